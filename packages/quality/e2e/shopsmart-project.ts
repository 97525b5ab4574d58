import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  buildManifest,
  EventBus,
  executeRun,
  type ParsedProject,
  type RunOptions,
  type RunResults,
  readProject,
} from '@shopsmart/core-runner';

/** The repository root, where shopsmart.yml composes every layer of the ShopSmart project. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** A scratch warehouse for one suite. */
export function scratch(prefix: string): { dir: string; warehouse: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `shopsmart-${prefix}-`));
  return {
    dir,
    warehouse: join(dir, 'wh.duckdb'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The real project (shopsmart.yml) pointed at a scratch warehouse and target folder. */
export async function openShopsmart(
  dir: string,
  warehouse: string,
  vars: Record<string, unknown> = {},
): Promise<ParsedProject> {
  const definition = await readProject(repoRoot);
  const dev = definition.targets[definition.defaultTarget];
  if (!dev) throw new Error('no default target in shopsmart.yml');
  const target = { ...dev, path: warehouse, threads: 2 };
  return buildManifest({
    definition: { ...definition, targetPath: join(dir, 'target') },
    target,
    cliVars: vars,
  });
}

export async function build(
  project: ParsedProject,
  options: Partial<Omit<RunOptions, 'events'>> = {},
): Promise<RunResults> {
  return executeRun(project, { command: 'build', events: new EventBus(), writeArtifacts: false, ...options });
}

export async function query(warehouse: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(warehouse);
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Failing / erroring results, as readable lines (for assertion messages). */
export function problems(project: ParsedProject, results: RunResults): string[] {
  return results.results
    .filter((r) => r.status === 'fail' || r.status === 'error')
    .map((r) => `${project.manifest.nodes[r.uniqueId]?.name ?? r.uniqueId}: ${r.status} ${r.message}`);
}
