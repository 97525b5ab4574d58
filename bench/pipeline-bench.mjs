// The ShopSmart pipeline end to end at scale 1: generate → build (seeds, models, snapshots, every
// data and unit test) → each analysis query timed. Prints figures; asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
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
console.log(
  `ShopSmart pipeline bench — scale ${scale}, node ${process.version}, load average ${loadavg()[0].toFixed(1)} (figures under load are slower; CPU is steadier than wall)`,
);

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
  // On one thread each node's CPU (DuckDB's threads included) is the process's CPU while it runs;
  // tests run in batches (one union-all query each), so a batch's CPU is counted as a whole.
  const cpuMs = () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  const nodeCpu = new Map();
  const batches = [];
  let nodeStart = 0;
  let testsRunning = 0;
  const profile = (event) => {
    const isTest = event.uniqueId?.startsWith('test.');
    if (event.kind === 'node_started') {
      if (!isTest) nodeStart = cpuMs();
      else if (testsRunning++ === 0) batches.push({ start: cpuMs(), tests: [] });
      if (isTest) batches.at(-1).tests.push(event.uniqueId);
    }
    if (event.kind === 'node_finished') {
      if (!isTest) nodeCpu.set(event.uniqueId, cpuMs() - nodeStart);
      else if (--testsRunning === 0) batches.at(-1).cpu = cpuMs() - batches.at(-1).start;
    }
  };
  const cpu1 = process.cpuUsage();
  const t4 = performance.now();
  const serial = await executeRun(project, { command: 'build', threads: 1, events: new EventBus(profile) });
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
  const sum = (values) => values.reduce((a, b) => a + b, 0);
  const byType = (type) => sum([...nodeCpu].filter(([id]) => id.startsWith(`${type}.`)).map(([, ms]) => ms));
  line(
    'CPU on one thread: models / test batches / unit tests / snapshots / seeds',
    `${(byType('model') / 1000).toFixed(2)} / ${(sum(batches.map((b) => b.cpu ?? 0)) / 1000).toFixed(2)} (${batches.length} batches) / ${(byType('unit_test') / 1000).toFixed(2)} / ${(byType('snapshot') / 1000).toFixed(2)} / ${(byType('seed') / 1000).toFixed(2)} s`,
  );
  console.log('\n  the costliest nodes on one thread (CPU)');
  for (const [id, ms] of [...nodeCpu].sort((a, b) => b[1] - a[1]).slice(0, 8))
    line(id, `${ms.toFixed(0)} ms`);
  console.log('\n  the costliest test batches on one thread (CPU; the models they test)');
  const testedBy = (tests) => {
    const counts = new Map();
    for (const id of tests) {
      const attached = project.manifest.nodes[id]?.attachedNode?.split('.').pop() ?? 'singular';
      counts.set(attached, (counts.get(attached) ?? 0) + 1);
    }
    return [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([name, n]) => `${name}×${n}`)
      .join(' ');
  };
  for (const batch of [...batches].sort((a, b) => (b.cpu ?? 0) - (a.cpu ?? 0)).slice(0, 5))
    line(
      `${batch.tests.length} tests: ${testedBy(batch.tests)}`.slice(0, 48),
      `${(batch.cpu ?? 0).toFixed(0)} ms`,
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
