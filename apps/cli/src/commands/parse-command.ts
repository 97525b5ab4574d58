import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildManifest, SqlCompiler, writeManifestArtifacts } from '@shopsmart/core-runner';
import type { CliArgs } from '../cli-options.js';
import { createEventPrinter, type Output } from '../event-printer.js';
import { ExitCode } from '../exit-codes.js';
import { openTarget } from '../project-session.js';

const seconds = (from: number, to: number) => Number(((to - from) / 1000).toFixed(4));

/**
 * `shopsmart parse`: reads and validates the project, writes target/manifest.json and
 * target/perf_info.json (how long each stage took, in seconds, as dbt's perf_info does).
 *
 * @example
 * // $ shopsmart parse
 * // Parsed 41 models, 1061 tests, ... in 0.84s → target/manifest.json, target/perf_info.json
 */
export async function parseCommand(args: CliArgs, output: Output): Promise<number> {
  const started = performance.now();
  const { definition, target } = await openTarget(args);
  const read = performance.now();
  const partialParse = args.options.partialParse !== false;
  const project = await buildManifest({
    definition,
    target,
    cliVars: args.vars,
    partialParse,
    onWarning: (message) =>
      createEventPrinter(args.logFormat, output)({ kind: 'warning', message, at: new Date().toISOString() }),
  });
  const built = performance.now();
  await writeManifestArtifacts(project, new SqlCompiler(project), false);
  const written = performance.now();
  const counts: Record<string, number> = {};
  for (const node of Object.values(project.manifest.nodes))
    counts[node.resourceType] = (counts[node.resourceType] ?? 0) + 1;
  const perf = {
    path_count: project.parsed.size,
    is_partial_parse_enabled: partialParse,
    read_project_elapsed: seconds(started, read),
    load_all_elapsed: seconds(read, built),
    write_manifest_elapsed: seconds(built, written),
    total_elapsed: seconds(started, written),
    node_counts: counts,
    projects: definition.layers.map((layer) => ({ project_name: layer.name, root: layer.root })),
  };
  mkdirSync(definition.targetPath, { recursive: true });
  writeFileSync(join(definition.targetPath, 'perf_info.json'), `${JSON.stringify(perf, null, 2)}\n`);
  if (args.logFormat === 'json') output.out(JSON.stringify({ kind: 'parse_finished', ...perf }));
  else {
    const what = Object.entries(counts)
      .map(([type, n]) => `${n} ${n === 1 ? type : type === 'analysis' ? 'analyses' : `${type}s`}`)
      .join(', ');
    output.out(
      `Parsed ${what || 'nothing'} in ${perf.total_elapsed.toFixed(2)}s → ${join(definition.targetPath, 'manifest.json')}, perf_info.json`,
    );
  }
  return ExitCode.ok;
}
