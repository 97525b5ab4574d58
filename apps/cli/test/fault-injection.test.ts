import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin } from './support/cli-binary.js';
import { scratchProject } from './support/scratch-project.js';

/**
 * Faults injected into the real binary on the real ShopSmart project at a small scale: SIGKILL at
 * a seeded random moment of `build` and of `advance`, and Ctrl-C (SIGINT) during `build`. After
 * each, the next command succeeds and the warehouse equals what a clean build makes.
 *
 * `FAULT_TRIALS` (default 2) and `FAULT_SEED` (default 16) choose how many SIGKILL trials run and
 * where they strike; `pnpm bench` runs more of them (bench/fault-bench.mjs).
 */
const trials = Number(process.env.FAULT_TRIALS ?? 2);
const seed = Number(process.env.FAULT_SEED ?? 16);

/** mulberry32: a small seeded generator, so a failing trial can be replayed with its seed. */
function random(seedValue: number): () => number {
  let state = seedValue >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * When to strike: `afterNodes` progress lines (`N of M ...`) into a build, or `afterMs` after the
 * start.
 */
type Strike = { signal: NodeJS.Signals; againAfterMs?: number } & (
  | { afterNodes: number }
  | { afterMs: number }
);

/** Spawns the CLI in `dir`; `strike` (if given) sends its signal at its moment. */
function run(dir: string, args: string[], strike?: Strike): Promise<Exit> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [bin, ...args, '--project-dir', dir], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let struck = false;
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (strike && 'afterNodes' in strike && !struck) {
        const nodesDone = stdout.match(/^\d+ of \d+ /gm)?.length ?? 0;
        if (nodesDone >= strike.afterNodes) {
          struck = true;
          child.kill(strike.signal);
          // a second signal, as an impatient user presses Ctrl-C twice
          if (strike.againAfterMs !== undefined)
            setTimeout(() => child.kill(strike.signal), strike.againAfterMs);
        }
      }
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer =
      strike && 'afterMs' in strike ? setTimeout(() => child.kill(strike.signal), strike.afterMs) : undefined;
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

type WarehouseState = Record<string, { rows: number; checksum: string }>;

/**
 * Every relation of the warehouse with its row count and an order-independent checksum of its
 * rows; columns named `dbt_*` (the time of the run that wrote a row, snapshot validity) are left
 * out because a later run moves them by design, and so is `model_audit_log` (staging's post-hook
 * log: one row per model per run, so every run — a killed one too — adds rows by design).
 */
async function warehouseState(path: string, schemas?: string[]): Promise<WarehouseState> {
  const db = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await db.connect();
  try {
    const relations = (
      await connection.runAndReadAll(
        `select table_schema, table_name from information_schema.tables
         where table_catalog = current_database() order by all`,
      )
    ).getRowObjectsJson() as { table_schema: string; table_name: string }[];
    const state: WarehouseState = {};
    for (const { table_schema: schema, table_name: name } of relations) {
      if (schemas && !schemas.includes(schema)) continue;
      if (name === 'model_audit_log') continue;
      const relation = `"${schema}"."${name}"`;
      const [row] = (
        await connection.runAndReadAll(
          `select count(*)::integer as row_count,
                  coalesce(md5(string_agg(row_hash, '' order by row_hash)), '') as checksum
           from (select md5(t::varchar) as row_hash
                 from (select columns(c -> c not like 'dbt\\_%' escape '\\') from ${relation}) t)`,
        )
      ).getRowObjectsJson() as { row_count: number; checksum: string }[];
      state[`${schema}.${name}`] = { rows: Number(row?.row_count), checksum: String(row?.checksum) };
    }
    return state;
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

const generate = ['generate', '--scale', '0.05', '--seed', '7', '--as-of', '2026-03-31'];
const project = scratchProject('faults');
const warehouse = join(project.dir, 'warehouse', 'dev.duckdb');
const rawCopy = join(project.dir, 'raw-only.duckdb');
let clean: WarehouseState = {};
let nodeCount = 0;
let cleanBuildMs = 0;

/** The generated warehouse with no models built, as every build trial starts. */
function startFromRaw(): void {
  for (const name of readdirSync(join(project.dir, 'warehouse')))
    rmSync(join(project.dir, 'warehouse', name), { force: true });
  rmSync(join(project.dir, 'target'), { recursive: true, force: true });
  copyFileSync(rawCopy, warehouse);
}

const failureOf = (exit: Exit) => `exit ${exit.code}\n${exit.stdout.slice(-2000)}\n${exit.stderr}`;

beforeAll(async () => {
  const generated = await run(project.dir, generate);
  expect(generated.code, failureOf(generated)).toBe(0);
  copyFileSync(warehouse, rawCopy);
  const built = await run(project.dir, ['build']);
  expect(built.code, failureOf(built)).toBe(0);
  cleanBuildMs = built.ms;
  nodeCount = Number(/^\d+ of (\d+) /m.exec(built.stdout)?.[1]);
  expect(nodeCount).toBeGreaterThan(1000);
  clean = await warehouseState(warehouse);
}, 600_000);

afterAll(() => project.remove());

describe(`SIGKILL at a random moment of build (${trials} trials, seed ${seed})`, () => {
  const next = random(seed);
  for (let trial = 1; trial <= trials; trial++) {
    it(`trial ${trial}: the next build succeeds and the warehouse equals a clean build's`, async () => {
      startFromRaw();
      // a moment between the start and the end of a build; if the build beat the kill (builds vary
      // with the machine's load), the same trial strikes again at half the delay
      let afterMs = Math.round(200 + next() * cleanBuildMs * 0.8);
      let killed = await run(project.dir, ['build'], { afterMs, signal: 'SIGKILL' });
      while (killed.signal !== 'SIGKILL' && afterMs > 100) {
        startFromRaw();
        afterMs = Math.round(afterMs / 2);
        killed = await run(project.dir, ['build'], { afterMs, signal: 'SIGKILL' });
      }
      expect(killed.signal, `the build ended before a kill at ${afterMs} ms`).toBe('SIGKILL');
      const rebuilt = await run(project.dir, ['build']);
      expect(rebuilt.code, failureOf(rebuilt)).toBe(0);
      expect(await warehouseState(warehouse)).toEqual(clean);
    });
  }
});

describe('Ctrl-C during build', () => {
  it('exits 130 with one line, writes run_results.json, releases the lock, and the next build equals a clean one', async () => {
    startFromRaw();
    const interrupted = await run(project.dir, ['build'], {
      // early, among the models: the data tests after them run in a few ms each
      afterNodes: 20,
      signal: 'SIGINT',
    });
    expect(interrupted.code, failureOf(interrupted)).toBe(130);
    expect(interrupted.stderr).toMatch(/^interrupted: \d+ done, \d+ cancelled$/m);
    expect(interrupted.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    const results = JSON.parse(readFileSync(join(project.dir, 'target', 'run_results.json'), 'utf8')) as {
      results: { status: string }[];
    };
    const statuses = new Set(results.results.map((r) => r.status));
    expect(statuses.has('skipped'), `statuses: ${[...statuses].join(', ')}`).toBe(true);
    for (const status of statuses)
      expect(['success', 'pass', 'warn', 'cancelled', 'skipped']).toContain(status);
    const [, done] = /^interrupted: (\d+) done/m.exec(interrupted.stderr) ?? [];
    expect(results.results.filter((r) => ['success', 'pass', 'warn'].includes(r.status)).length).toBe(
      Number(done),
    );
    expect(existsSync(`${warehouse}.lock`)).toBe(false);
    expect(existsSync(`${warehouse}.wal`)).toBe(false);

    const rebuilt = await run(project.dir, ['build']);
    expect(rebuilt.code, failureOf(rebuilt)).toBe(0);
    expect(await warehouseState(warehouse)).toEqual(clean);
  });
});

describe('Ctrl-C twice during build', () => {
  it('the second exits at once with 130, leaves no lock, and the next build equals a clean one', async () => {
    startFromRaw();
    const interrupted = await run(project.dir, ['build'], {
      afterNodes: 20,
      againAfterMs: 20,
      signal: 'SIGINT',
    });
    expect(interrupted.code, failureOf(interrupted)).toBe(130);
    expect(interrupted.stderr).toMatch(/^interrupted again \(SIGINT\): stopped at once$/m);
    expect(interrupted.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(existsSync(`${warehouse}.lock`)).toBe(false);

    const rebuilt = await run(project.dir, ['build']);
    expect(rebuilt.code, failureOf(rebuilt)).toBe(0);
    expect(await warehouseState(warehouse)).toEqual(clean);
  });
});

describe('SIGKILL at a random moment of advance', () => {
  it('leaves the raw data as before or as after the advance, and the next advance and build succeed', async () => {
    startFromRaw();
    const before = await warehouseState(warehouse, ['raw']);
    const advanced = await run(project.dir, ['advance', '--days', '3']);
    expect(advanced.code, failureOf(advanced)).toBe(0);
    const after = await warehouseState(warehouse, ['raw']);
    expect(after).not.toEqual(before);

    startFromRaw();
    const afterMs = Math.round(50 + random(seed + 1)() * advanced.ms);
    const killed = await run(project.dir, ['advance', '--days', '3'], { afterMs, signal: 'SIGKILL' });
    const state = await warehouseState(warehouse, ['raw']);
    if (killed.signal === 'SIGKILL') expect([before, after]).toContainEqual(state);
    else expect(state).toEqual(after);

    if (killed.signal === 'SIGKILL' && JSON.stringify(state) === JSON.stringify(before)) {
      const again = await run(project.dir, ['advance', '--days', '3']);
      expect(again.code, failureOf(again)).toBe(0);
      expect(await warehouseState(warehouse, ['raw'])).toEqual(after);
    }
    const built = await run(project.dir, ['build']);
    expect(built.code, failureOf(built)).toBe(0);
  });
});
