import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type BuildManifestOptions,
  buildManifest,
  type DeferState,
  didYouMean,
  formatSuggestions,
  type ParsedProject,
  type PreviousResults,
  type PreviousState,
  type ProjectDefinition,
  readProject,
  ShopsmartError,
  type TargetConfig,
} from '@shopsmart/core-runner';
import type { CliArgs } from './cli-options.js';
import { createEventPrinter, type Output } from './event-printer.js';

/** The project the CLI was pointed at and its chosen target (`--target`, else the default). */
export async function openTarget(
  args: CliArgs,
): Promise<{ definition: ProjectDefinition; target: TargetConfig }> {
  // Connection settings may read --vars and must render for the chosen target only.
  const definition = await readProject(args.projectDir, args.profilesDir, {
    cliVars: args.vars,
    target: args.target,
    // the project files' YAML from the memo in target/ unless --no-partial-parse
    partialParse: args.options.partialParse !== false,
  });
  const name = args.target ?? definition.defaultTarget;
  const target = definition.targets[name];
  if (!target) {
    throw new ShopsmartError('SSA-TARGET-404', `target '${name}' is not defined`, {
      hint:
        formatSuggestions(didYouMean(name, Object.keys(definition.targets))) ??
        `targets: ${Object.keys(definition.targets).join(', ')}`,
    });
  }
  const lockTimeout = args.options.lockTimeout as number | undefined;
  return {
    definition,
    target: {
      ...target,
      threads: args.threads ?? target.threads,
      lockTimeout: lockTimeout ?? target.lockTimeout,
    },
  };
}

/**
 * Reads and parses the project the CLI was pointed at, for the chosen target. Parse warnings go
 * through `output` as warning events (a JSON line with --log-format json).
 */
export async function openProject(
  args: CliArgs,
  output?: Output,
  options: Pick<BuildManifestOptions, 'saveCacheLater' | 'onSqlNodeCount'> = {},
): Promise<ParsedProject> {
  const { definition, target } = await openTarget(args);
  // dbt's partial parsing: the parse cache in target/ answers unless --no-partial-parse.
  return buildManifest({
    definition,
    target,
    cliVars: args.vars,
    partialParse: args.options.partialParse !== false,
    skipUnparsableNodes: args.options.skipUnparsable === true,
    ...options,
    onWarning: (message) => {
      if (output)
        createEventPrinter(
          args.logFormat,
          output,
        )({ kind: 'warning', message, at: new Date().toISOString() });
      else process.stderr.write(`warning: ${message}\n`);
    },
  });
}

interface StateManifestNode {
  checksum: { checksum: string };
  database?: string | null;
  schema?: string | null;
  alias?: string | null;
}

/**
 * The saved manifest checksums and last results in `--state <dir>` (for state: and result:
 * selectors), and with `--defer` where that environment built each node.
 */
export function readState(
  args: CliArgs,
  targetPath: string,
  /** false when no selector can use `result:` (ls and compile skip reading run_results.json). */
  needResults = true,
): { state?: PreviousState; results?: PreviousResults; defer?: DeferState } {
  const dir = args.state ? resolve(args.state) : targetPath;
  const out: { state?: PreviousState; results?: PreviousResults; defer?: DeferState } = {};
  const manifestFile = join(dir, 'manifest.json');
  if (args.defer && !existsSync(manifestFile))
    throw new ShopsmartError('SSA-STATE-404', `--defer: no manifest.json in ${dir}`, {
      hint: 'point --state at the target/ folder (manifest.json) of the environment to defer to',
    });
  if (args.state && existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
      metadata?: { warehouse_path?: string };
      nodes: Record<string, StateManifestNode>;
      sources?: Record<string, StateManifestNode>;
    };
    const nodes: PreviousState['nodes'] = {};
    for (const [id, node] of Object.entries({ ...manifest.nodes, ...(manifest.sources ?? {}) }))
      nodes[id] = { checksum: node.checksum.checksum };
    out.state = { nodes };
    if (args.defer) {
      const relations: DeferState['relations'] = {};
      for (const [id, node] of Object.entries(manifest.nodes)) {
        if (!node.schema || !node.alias) continue;
        relations[id] = {
          ...(node.database ? { database: node.database } : {}),
          schema: node.schema,
          identifier: node.alias,
        };
      }
      const warehouse = manifest.metadata?.warehouse_path;
      out.defer = { relations, ...(warehouse ? { warehousePath: resolve(dir, warehouse) } : {}) };
    }
  }
  const resultsFile = join(dir, 'run_results.json');
  if (needResults && existsSync(resultsFile)) {
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as {
      results: { unique_id: string; status: string }[];
    };
    out.results = {
      results: results.results.map((r) => ({
        uniqueId: r.unique_id,
        status: r.status as PreviousResults['results'][number]['status'],
      })),
    };
  }
  return out;
}

/**
 * Whether the selection may use `result:` (and so needs run_results.json): a `result:` in
 * --select / --exclude, or a YAML selector (named, or the default of selectors.yml).
 */
export function mayUseResults(args: CliArgs, rootDir: string): boolean {
  if ([...args.select, ...args.exclude].some((text) => text.includes('result:'))) return true;
  if ((args.options as { selector?: string }).selector !== undefined) return true;
  return existsSync(join(rootDir, 'selectors.yml'));
}
