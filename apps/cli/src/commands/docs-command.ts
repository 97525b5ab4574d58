import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDocs, ShopsmartError } from '@shopsmart/core-runner';
import { parseCliArgs } from '../cli-program.js';
import { serveStatic } from '../docs-server.js';
import type { Output } from '../event-printer.js';
import { ExitCode } from '../exit-codes.js';
import { openProject, openTarget } from '../project-session.js';
import { reportError } from '../report-error.js';
import { UsageError } from '../usage-error.js';

export const docsUsage = `usage: shopsmart docs <generate|serve> [options]

  docs generate   write target/catalog.json and the static docs site to target/docs/
                  (pages, lineage, search, the exposures' dashboards read from the
                  warehouse; opens from the file system)
  docs serve      serve target/docs on loopback (default http://127.0.0.1:8080)

options:
      --port <n>              docs serve: port (default 8080; 0 picks a free one)
      --host <address>        docs serve: address to listen on (default 127.0.0.1)
  -t, --target <name>  --project-dir <dir>  --profiles-dir <dir>  --vars <yaml>   as for other commands

examples:
  shopsmart docs generate && open target/docs/index.html
  shopsmart docs serve --port 8081
`;

/** The built site shipped in the CLI package (dist/docs-site, copied there at build). */
export function shippedSiteAssets(): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'docs-site');
}

interface DocsArgs {
  sub: 'generate' | 'serve';
  port: number;
  host: string;
  rest: string[];
}

function parseDocsArgs(argv: string[]): DocsArgs {
  const [sub, ...tail] = argv;
  if (sub !== 'generate' && sub !== 'serve')
    throw new UsageError(
      sub && !sub.startsWith('-') ? `unknown docs sub-command '${sub}'` : "'docs' needs a sub-command",
      sub ?? '',
      ['generate', 'serve'],
    );
  let port = 8080;
  let host = '127.0.0.1';
  const rest: string[] = [];
  for (let i = 0; i < tail.length; i++) {
    const token = tail[i] as string;
    const [flag, inline] = token.startsWith('--') ? token.split(/=(.*)/s, 2) : [token, undefined];
    if (flag === '--port' || flag === '--host') {
      const value = inline ?? tail[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      if (flag === '--host') host = value;
      else {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0 || n > 65535)
          throw new UsageError(`--port must be an integer from 0 to 65535, got '${value}'`);
        port = n;
      }
      if (sub !== 'serve') throw new UsageError(`${flag} applies to 'docs serve' only`);
    } else rest.push(token);
  }
  return { sub, port, host, rest };
}

/**
 * `shopsmart docs generate|serve`. Parses its own sub-command and --port/--host; the project
 * flags go through the shared parser.
 *
 * @example
 * // $ shopsmart docs generate
 * // Catalog: 42 relations → target/catalog.json
 * // Dashboards: 19 charts read from the warehouse
 * // Docs site: target/docs/index.html (open it, or run `shopsmart docs serve`)
 */
export async function docsCommand(argv: string[], output: Output): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    output.out(docsUsage);
    return ExitCode.ok;
  }
  try {
    const docs = parseDocsArgs(argv);
    const args = await parseCliArgs(['compile', ...docs.rest]);
    if (docs.sub === 'generate') {
      const project = await openProject(args, output);
      const assets = shippedSiteAssets();
      if (!existsSync(join(assets, 'index.html')))
        throw new UsageError(`the docs site assets are missing from ${assets}; rebuild @shopsmart/cli`);
      const result = await generateDocs(project, { siteAssets: assets });
      const shown = (path: string) => relative(process.cwd(), path) || '.';
      output.out(`Catalog: ${result.relations} relations → ${shown(result.catalogPath)}`);
      if (result.charts.read + result.charts.missing > 0)
        output.out(
          `Dashboards: ${result.charts.read} charts read from the warehouse${result.charts.missing ? `, ${result.charts.missing} without data (see their exposure pages)` : ''}`,
        );
      output.out(
        `Docs site: ${shown(join(result.siteDir ?? '', 'index.html'))} (${result.documented} resources, ${(result.elapsedMs / 1000).toFixed(2)}s) — open it, or run \`shopsmart docs serve\``,
      );
      return ExitCode.ok;
    }
    const { definition } = await openTarget(args);
    const root = join(definition.targetPath, 'docs');
    if (!existsSync(join(root, 'index.html')))
      throw new ShopsmartError('SSA-DOCS-404', `no docs site in ${root}`, {
        hint: 'run `shopsmart docs generate` first',
      });
    const server = await serveStatic(root, { host: docs.host, port: docs.port });
    const { port } = server.address() as AddressInfo;
    const shownHost = docs.host.includes(':') ? `[${docs.host}]` : docs.host;
    output.out(`Serving ${root} at http://${shownHost}:${port}/ — press Ctrl+C to stop`);
    await new Promise<void>((resolve) => {
      const stop = () => server.close(() => resolve());
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return ExitCode.ok;
  } catch (error) {
    return reportError(error, output);
  }
}
