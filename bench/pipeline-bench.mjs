// The ShopSmart pipeline end to end at scale 1: generate → build (seeds, models, snapshots, every
// data and unit test) → each analysis query timed. Prints figures; asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const load = (path) => import(pathToFileURL(join(root, path)).href);
const { buildManifest, EventBus, executeRun, readProject, SqlCompiler } = await load(
  'packages/core-runner/dist/index.js',
);
const { generateWarehouse } = await load('packages/mockgen/dist/index.js');
const { DuckDBInstance } = await import(
  pathToFileURL(join(root, 'packages/core-runner/node_modules/@duckdb/node-api/lib/index.js')).href
);

// biome-ignore lint/suspicious/noUndeclaredEnvVars: an optional knob of this script only
const scale = Number(process.env.BENCH_SCALE ?? 1);
const dir = mkdtempSync(join(tmpdir(), 'shopsmart-pipeline-'));
const warehouse = join(dir, 'wh.duckdb');
const line = (label, value) => console.log(`  ${label.padEnd(48)} ${value}`);
console.log(`ShopSmart pipeline bench — scale ${scale}, node ${process.version}`);

try {
  const t0 = performance.now();
  const generated = await generateWarehouse({
    warehousePath: warehouse,
    scale,
    seed: 42,
    asOf: '2026-11-20',
  });
  const t1 = performance.now();
  const definition = await readProject(root);
  const target = { ...definition.targets[definition.defaultTarget], path: warehouse };
  const project = buildManifest({ definition: { ...definition, targetPath: join(dir, 'target') }, target });
  const t2 = performance.now();
  const results = await executeRun(project, { command: 'build', events: new EventBus() });
  const t3 = performance.now();
  const count = (type) => results.results.filter((r) => r.uniqueId.startsWith(`${type}.`)).length;
  const rows = generated.tables.reduce((sum, t) => sum + t.rows, 0);
  line('generate (raw rows)', `${(t1 - t0).toFixed(0)} ms  (${rows.toLocaleString('en-US')} rows)`);
  line('parse + compile the project', `${(t2 - t1).toFixed(0)} ms`);
  line('build: run every node and test, write artifacts', `${(t3 - t2).toFixed(0)} ms`);
  line(
    'nodes',
    `${count('model')} models, ${count('seed')} seeds, ${count('snapshot')} snapshots, ${count('test')} data tests, ${count('unit_test')} unit tests`,
  );
  line('all passed', String(results.success));
  line(
    'whole pipeline (generate → build with all tests)',
    `${((t3 - t0) / 1000).toFixed(2)} s  (target < 5 s)`,
  );
  const cpuSeconds = (usage) => ((usage.user + usage.system) / 1e6).toFixed(2);
  line('CPU of this process so far (DuckDB threads included)', `${cpuSeconds(process.cpuUsage())} s`);

  // Per-node overhead: the same build again on one thread; whatever the run spends outside the
  // nodes' own work (planning, scheduling, events, locks, artifacts) divided by the nodes.
  const cpu1 = process.cpuUsage();
  const t4 = performance.now();
  const serial = await executeRun(project, { command: 'build', threads: 1, events: new EventBus() });
  const t5 = performance.now();
  const nodeMs = serial.results.reduce((sum, r) => sum + r.executionMs, 0);
  line(
    'build again, threads=1',
    `${((t5 - t4) / 1000).toFixed(2)} s wall, ${cpuSeconds(process.cpuUsage(cpu1))} s CPU`,
  );
  line(
    'per-node overhead outside node work, threads=1',
    `${((t5 - t4 - nodeMs) / serial.results.length).toFixed(2)} ms/node over ${serial.results.length} nodes  (target ≤ 3 ms)`,
  );

  const compiler = new SqlCompiler(project);
  const instance = await DuckDBInstance.create(warehouse);
  const connection = await instance.connect();
  console.log(`\n  analyses (median of 5 runs, scale ${scale}; target < 50 ms each)`);
  for (const node of Object.values(project.manifest.nodes).filter((n) => n.resourceType === 'analysis')) {
    const sql = compiler.compile(node.uniqueId);
    const times = [];
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      await connection.runAndReadAll(sql);
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    line(node.name, `${times[2].toFixed(1)} ms`);
  }
  connection.closeSync();
  instance.closeSync();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
