// Generates the warehouse at several scales into temp files and prints wall time, rows/s, CPU
// time and peak RSS. Each scale runs in its own process so peak memory is its own.
//
//   node packages/mockgen/bench/mockgen-bench.mjs            # scales 1 and 100
//   node packages/mockgen/bench/mockgen-bench.mjs 1 10       # chosen scales
//   MOCKGEN_BENCH_FORMAT=parquet node …/mockgen-bench.mjs 1  # file output
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);

async function runOne(scale) {
  const { generateWarehouse } = await import('../dist/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'mockgen-bench-'));
  const format = process.env.MOCKGEN_BENCH_FORMAT ?? 'duckdb';
  const warehousePath = join(dir, 'warehouse.duckdb');
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  try {
    const summary = await generateWarehouse({
      warehousePath,
      scale,
      seed: 42,
      asOf: '2026-06-30',
      format,
      outDir: join(dir, 'out'),
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
  for (const scale of scales.length > 0 ? scales : [1, 100]) {
    const out = execFileSync(process.execPath, [self, '--one', String(scale)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    results.push(JSON.parse(out.trim().split('\n').pop()));
  }
  console.log(`mockgen bench (${cpus().length} cores, Node ${process.version})`);
  console.log(
    'scale  format   wall s   cpu s   rows          rows/s      orders     items       peak RSS  file',
  );
  for (const r of results) {
    console.log(
      [
        String(r.scale).padEnd(6),
        r.format.padEnd(8),
        (r.wallMs / 1000).toFixed(2).padStart(6),
        (r.cpuMs / 1000).toFixed(2).padStart(7),
        String(r.rows).padStart(12),
        String(Math.round(r.rows / (r.wallMs / 1000))).padStart(11),
        String(r.orders).padStart(10),
        String(r.items).padStart(10),
        `${r.peakRssMb} MB`.padStart(9),
        r.fileMb === undefined ? '' : `${r.fileMb} MB`,
      ].join('  '),
    );
  }
}
