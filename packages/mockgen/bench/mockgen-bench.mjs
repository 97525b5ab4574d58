// Generates the warehouse at several scales into temp files and prints wall time, rows/s, CPU
// time and peak RSS. Each scale runs in its own process so peak memory is its own. The machine
// is often shared: a bare `node -e 0` is timed in the same run (CPU figures as a multiple of it)
// and the load average is printed before and after each scale.
//
//   node packages/mockgen/bench/mockgen-bench.mjs            # scales 1 and 100
//   node packages/mockgen/bench/mockgen-bench.mjs 1 10       # chosen scales
//   MOCKGEN_BENCH_FORMAT=parquet node …/mockgen-bench.mjs 1  # file output
//   MOCKGEN_BENCH_STEPS=1 node …/mockgen-bench.mjs 10        # CPU seconds of each step too
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canMeasureCpu, timeRuns } from '../../../bench/process-timer.mjs';

const self = fileURLToPath(import.meta.url);

async function runOne(scale) {
  const { generateWarehouse } = await import('../dist/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'mockgen-bench-'));
  const format = process.env.MOCKGEN_BENCH_FORMAT ?? 'duckdb';
  const warehousePath = join(dir, 'warehouse.duckdb');
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const steps = [];
  let stepCpu = process.cpuUsage();
  const onProgress = (p) => {
    const used = process.cpuUsage(stepCpu);
    stepCpu = process.cpuUsage();
    const name = p.table ?? p.phase;
    const last = steps.at(-1);
    const cpuS = (used.user + used.system) / 1e6;
    if (last !== undefined && last.name === name) last.cpuS += cpuS;
    else steps.push({ name, cpuS });
  };
  try {
    const summary = await generateWarehouse({
      warehousePath,
      scale,
      seed: 42,
      asOf: '2026-06-30',
      format,
      outDir: join(dir, 'out'),
      ...(process.env.MOCKGEN_BENCH_STEPS ? { onProgress } : {}),
    });
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const rows = summary.tables.reduce((n, t) => n + t.rows, 0);
    process.stdout.write(
      `${JSON.stringify({
        scale,
        format,
        wallMs: Math.round(wallMs),
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        rows,
        orders: summary.tables.find((t) => t.name === 'orders')?.rows,
        items: summary.tables.find((t) => t.name === 'order_items')?.rows,
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        fileMb: format === 'duckdb' ? Math.round(statSync(warehousePath).size / 2 ** 20) : undefined,
        steps: steps.map((st) => `${st.name} ${st.cpuS.toFixed(1)}`).join(', '),
      })}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--one') {
  await runOne(Number(process.argv[3]));
} else {
  const scales = process.argv.slice(2).map(Number);
  const results = [];
  const load = () => loadavg()[0].toFixed(1);
  const bare = canMeasureCpu ? timeRuns(5, process.execPath, ['-e', '0']).cpu : undefined;
  for (const scale of scales.length > 0 ? scales : [1, 100]) {
    const loadBefore = load();
    const out = execFileSync(process.execPath, [self, '--one', String(scale)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    results.push({ ...JSON.parse(out.trim().split('\n').pop()), load: `${loadBefore}→${load()}` });
  }
  console.log(`mockgen bench (${cpus().length} cores, Node ${process.version})`);
  if (bare !== undefined) console.log(`bare node -e 0: ${bare.toFixed(3)} s CPU (median of 5, this run)`);
  console.log('goal at scale 100: < 30 s wall, < 4 GB peak RSS (2 cores)');
  console.log(
    'scale  format   wall s   cpu s   × bare   rows          rows/s      orders     items       peak RSS  file     load 1m',
  );
  for (const r of results) {
    console.log(
      [
        String(r.scale).padEnd(6),
        r.format.padEnd(8),
        (r.wallMs / 1000).toFixed(2).padStart(6),
        (r.cpuMs / 1000).toFixed(2).padStart(7),
        (bare === undefined ? '' : `${Math.round(r.cpuMs / 1000 / bare)}×`).padStart(7),
        String(r.rows).padStart(12),
        String(Math.round(r.rows / (r.wallMs / 1000))).padStart(11),
        String(r.orders).padStart(10),
        String(r.items).padStart(10),
        `${r.peakRssMb} MB`.padStart(9),
        (r.fileMb === undefined ? '' : `${r.fileMb} MB`).padEnd(7),
        r.load,
      ].join('  '),
    );
    if (r.steps) console.log(`       cpu s by step: ${r.steps}`);
  }
}
