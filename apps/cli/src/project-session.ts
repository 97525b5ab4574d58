import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  buildManifest,
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
import type { CliArgs } from './cli-args.js';

/** The project the CLI was pointed at and its chosen target (`--target`, else the default). */
export async function openTarget(
  args: CliArgs,
): Promise<{ definition: ProjectDefinition; target: TargetConfig }> {
  // Connection settings may read --vars and must render for the chosen target only.
  const definition = await readProject(args.projectDir, args.profilesDir, {
    cliVars: args.vars,
    target: args.target,
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
  return { definition, target: { ...target, threads: args.threads ?? target.threads } };
}

/** Reads and parses the project the CLI was pointed at, for the chosen target. */
export async function openProject(args: CliArgs): Promise<ParsedProject> {
  const { definition, target } = await openTarget(args);
  return buildManifest({ definition, target, cliVars: args.vars });
}

/** The saved manifest checksums and last results in `--state <dir>` (for state: and result: selectors). */
export function readState(
  args: CliArgs,
  targetPath: string,
): { state?: PreviousState; results?: PreviousResults } {
  const dir = args.state ? resolve(args.state) : targetPath;
  const out: { state?: PreviousState; results?: PreviousResults } = {};
  const manifestFile = join(dir, 'manifest.json');
  if (args.state && existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
      nodes: Record<string, { checksum: { checksum: string } }>;
      sources?: Record<string, { checksum: { checksum: string } }>;
    };
    const nodes: PreviousState['nodes'] = {};
    for (const [id, node] of Object.entries({ ...manifest.nodes, ...(manifest.sources ?? {}) }))
      nodes[id] = { checksum: node.checksum.checksum };
    out.state = { nodes };
  }
  const resultsFile = join(dir, 'run_results.json');
  if (existsSync(resultsFile)) {
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
