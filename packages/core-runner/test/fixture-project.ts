import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  buildManifest,
  type EngineEvent,
  EventBus,
  executeRun,
  type ParsedProject,
  type RunOptions,
  type RunResults,
  readProject,
} from '../src/index.js';

/** A fixture project: file path (relative to the project root) → contents. */
export type FixtureFiles = Record<string, string>;

export interface FixtureOptions {
  /** Project name (dbt_project.yml `name` and profile). */
  name?: string;
  threads?: number;
  /** Target schema of the profile (dbt's default when absent: main). */
  schema?: string;
  /** Skip the default dbt_project.yml / profiles.yml (the files map provides its own). */
  bare?: boolean;
}

/** A written fixture: its folder, warehouse file, and a way to remove it. */
export interface Fixture {
  dir: string;
  warehouse: string;
  write(files: FixtureFiles): void;
  remove(): void;
}

/** Writes `files` into `dir`, creating folders. */
export function writeFiles(dir: string, files: FixtureFiles): void {
  for (const [path, text] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
}

/**
 * Writes a plain dbt project to a fresh temp dir: a minimal `dbt_project.yml` and a `profiles.yml`
 * whose DuckDB output is `<dir>/wh.duckdb`, then `files` on top (they may replace either).
 *
 * @example
 * const fx = writeFixture({ 'models/a.sql': 'select 1 as x' });
 * const project = await loadFixture(fx.dir);
 */
export function writeFixture(files: FixtureFiles, options: FixtureOptions = {}): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'ssa-core-runner-'));
  const name = options.name ?? 'fixture';
  const warehouse = join(dir, 'wh.duckdb');
  const defaults: FixtureFiles = options.bare
    ? {}
    : {
        'dbt_project.yml': `name: ${name}\nprofile: ${name}\n`,
        'profiles.yml': profilesYml(name, warehouse, options.threads ?? 2, options.schema),
      };
  writeFiles(dir, { ...defaults, ...files });
  return {
    dir,
    warehouse,
    write: (more) => writeFiles(dir, more),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function profilesYml(name: string, path: string, threads = 2, schema?: string): string {
  const schemaLine = schema ? `      schema: ${schema}\n` : '';
  return `${name}:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${path}\n${schemaLine}      threads: ${threads}\n`;
}

/** readProject → buildManifest on the default target. */
export async function loadFixture(dir: string, cliVars?: Record<string, unknown>): Promise<ParsedProject> {
  const definition = await readProject(dir);
  const target = definition.targets[definition.defaultTarget];
  if (!target) throw new Error(`no default target in ${dir}`);
  return buildManifest({ definition, target, ...(cliVars ? { cliVars } : {}) });
}

export interface RunOutcome {
  results: RunResults;
  events: EngineEvent[];
  /** status by node name (models, seeds, tests). */
  status: Record<string, string>;
}

/** executeRun collecting every event; `status` maps node names to their result status. */
export async function runFixture(
  project: ParsedProject,
  options: Omit<RunOptions, 'events'>,
): Promise<RunOutcome> {
  const events: EngineEvent[] = [];
  const results = await executeRun(project, { ...options, events: new EventBus((e) => events.push(e)) });
  const status: Record<string, string> = {};
  for (const result of results.results) {
    const node = project.manifest.nodes[result.uniqueId];
    status[node?.name ?? result.uniqueId] = result.status;
  }
  return { results, events, status };
}

/** Loads and runs in one go (a fresh parse, as a new CLI invocation would do). */
export async function loadAndRun(
  dir: string,
  options: Omit<RunOptions, 'events'>,
  cliVars?: Record<string, unknown>,
): Promise<RunOutcome & { project: ParsedProject }> {
  const project = await loadFixture(dir, cliVars);
  return { project, ...(await runFixture(project, options)) };
}

/**
 * Runs `sql` on the warehouse file with a separate, short-lived DuckDB instance (never while a run
 * holds the file). BIGINTs come back as numbers.
 */
export async function queryWarehouse(path: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(path);
  try {
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(sql);
      return reader
        .getRowObjects()
        .map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)])));
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'object') {
    const text = String(value);
    return 'width' in value && 'scale' in value ? Number(text) : text;
  }
  return value;
}

/** Rows of a relation ordered by its first column, as plain JSON values. */
export async function tableRows(
  path: string,
  relation: string,
  orderBy = '1',
): Promise<Record<string, unknown>[]> {
  return queryWarehouse(path, `select * from ${relation} order by ${orderBy}`);
}

/** Runs `work` and returns what it threw (fails the test when nothing was thrown). */
export async function caught(work: () => unknown): Promise<Error & Record<string, unknown>> {
  try {
    await work();
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected an error, but none was thrown');
}
