// The ShopSmart build on PostgreSQL vs DuckDB at scale 1: the same generated raw tables (loaded
// into Postgres with COPY), then `build` (seeds, models, snapshots, every data and unit test) on
// each target. Prints figures; asserts nothing.
//
// Postgres is the server the PG* variables name (a fresh database of its own is created there and
// dropped after); without them a throwaway cluster is started (scripts/pg-throwaway.sh).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const load = (path) => import(pathToFileURL(join(root, path)).href);
const { buildManifest, EventBus, executeRun, readProject } = await load('packages/core-runner/dist/index.js');
const { generateWarehouse, loadIntoPostgres } = await load('packages/mockgen/dist/index.js');
const { default: pg } = await import(
  pathToFileURL(join(root, 'packages/core-runner/node_modules/pg/lib/index.js')).href
);

// biome-ignore lint/suspicious/noUndeclaredEnvVars: an optional knob of this script only
const scale = Number(process.env.BENCH_SCALE ?? 1);
const line = (label, value) => console.log(`  ${label.padEnd(48)} ${value}`);
const throwaway = join(root, 'scripts', 'pg-throwaway.sh');
let stopServer = () => undefined;
// biome-ignore lint/suspicious/noUndeclaredEnvVars: the libpq variables name the server
if (!(process.env.PGHOST && process.env.PGUSER)) {
  const exports = execFileSync('bash', [throwaway, 'start'], { encoding: 'utf8' });
  for (const [, key, value] of exports.matchAll(/^export (\w+)='?([^'\n]*)'?$/gm)) process.env[key] = value;
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: set by pg-throwaway.sh just above
  const cluster = process.env.SHOPSMART_PG_DIR;
  stopServer = () => execFileSync('bash', [throwaway, 'stop', cluster]);
}
const database = `ssa_bench_${randomBytes(4).toString('hex')}`;
const admin = async (sql) => {
  const client = new pg.Client({ database: 'postgres' });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

const dir = mkdtempSync(join(tmpdir(), 'shopsmart-pg-bench-'));
const warehouse = join(dir, 'wh.duckdb');
console.log(`ShopSmart build on PostgreSQL vs DuckDB — scale ${scale}, node ${process.version}`);

async function build(definition, target, name) {
  const project = buildManifest({
    definition: { ...definition, targetPath: join(dir, `target-${name}`) },
    target,
  });
  const started = performance.now();
  const results = await executeRun(project, { command: 'build', events: new EventBus() });
  const ms = performance.now() - started;
  const count = (type) => results.results.filter((r) => r.uniqueId.startsWith(`${type}.`)).length;
  const failed = results.results.filter((r) => r.status === 'error' || r.status === 'fail').length;
  return {
    ms,
    results,
    failed,
    nodes: `${count('model')} models, ${count('test')} data tests, ${count('unit_test')} unit tests`,
  };
}

try {
  await admin(`create database ${database}`);
  process.env.PGDATABASE = database;
  const generated = await generateWarehouse({
    warehousePath: warehouse,
    scale,
    seed: 42,
    asOf: '2026-11-20',
  });
  const rows = generated.tables.reduce((sum, t) => sum + t.rows, 0);
  const definition = await readProject(root);
  const pgTarget = definition.targets.pg;
  if (pgTarget?.postgres === undefined) throw new Error("shopsmart.yml has no postgres target 'pg'");
  const t0 = performance.now();
  await loadIntoPostgres(warehouse, pgTarget.postgres);
  const loadMs = performance.now() - t0;

  const duck = await build(
    definition,
    { ...definition.targets[definition.defaultTarget], path: warehouse },
    'duckdb',
  );
  const post = await build(definition, pgTarget, 'pg');
  const load1 = loadavg()[0].toFixed(1);
  line('raw rows (generated once, same for both)', rows.toLocaleString('en-US'));
  line('load into Postgres (COPY)', `${(loadMs / 1000).toFixed(2)} s`);
  line('nodes', duck.nodes);
  line('build on DuckDB', `${(duck.ms / 1000).toFixed(2)} s  (${duck.failed} failed)`);
  line('build on PostgreSQL', `${(post.ms / 1000).toFixed(2)} s  (${post.failed} failed)`);
  line('PostgreSQL / DuckDB', `${(post.ms / duck.ms).toFixed(1)}×`);
  line('load average (1 min) at the end', load1);
} finally {
  await admin(`drop database if exists ${database} with (force)`).catch(() => undefined);
  stopServer();
  rmSync(dir, { recursive: true, force: true });
}
