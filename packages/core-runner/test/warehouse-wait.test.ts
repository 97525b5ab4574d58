import { type ChildProcess, spawn } from 'node:child_process';
import { unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type EngineEvent, EventBus, executeRun, type ParsedProject } from '../src/index.js';
import { caught, type Fixture, loadFixture, writeFixture } from './fixture-project.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Another process holding the DuckDB file open (as a notebook would) for `ms`, then closing it. */
async function holdFile(path: string, ms: number): Promise<ChildProcess> {
  const script = `
    import { DuckDBInstance } from '@duckdb/node-api';
    const db = await DuckDBInstance.create(${JSON.stringify(path)});
    process.stdout.write('holding\\n');
    setTimeout(() => { db.closeSync(); process.exit(0); }, ${ms});`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: packageDir,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  holders.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`holder exited early (${code})`)));
  });
  return child;
}

const holders: ChildProcess[] = [];
const fixtures: Fixture[] = [];
afterEach(() => {
  for (const child of holders.splice(0)) child.kill();
  for (const fx of fixtures.splice(0)) fx.remove();
});

async function project(lockTimeout?: number): Promise<{ fx: Fixture; project: ParsedProject }> {
  const fx = writeFixture({ 'models/one.sql': 'select 1 as id' });
  fixtures.push(fx);
  const loaded = await loadFixture(fx.dir);
  return { fx, project: { ...loaded, target: { ...loaded.target, lockTimeout } } };
}

const run = (p: ParsedProject, events: EngineEvent[] = []) =>
  executeRun(p, { command: 'run', events: new EventBus((e) => events.push(e)), writeArtifacts: false });

describe('a busy warehouse and --lock-timeout', () => {
  it('without a timeout, a file held by another process fails at once, naming its PID', async () => {
    const { fx, project: p } = await project();
    const holder = await holdFile(fx.warehouse, 20_000);
    const started = Date.now();
    const error = await caught(() => run(p));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error.code).toBe('SSA-LOCK-004');
    expect(error.message).toContain(`held open by process ${holder.pid} (`);
    expect(String(error.hint)).toContain('--lock-timeout');
  });

  it('with a timeout, waits for the reader to let go (reporting the wait), then runs', async () => {
    const { fx, project: p } = await project(20);
    const holder = await holdFile(fx.warehouse, 1_500);
    const events: EngineEvent[] = [];
    const results = await run(p, events);
    expect(results.success).toBe(true);
    const waits = events.filter((e) => e.kind === 'warehouse_wait');
    expect(waits.length).toBeGreaterThan(1);
    expect(waits[0]).toMatchObject({ timeoutMs: 20_000 });
    expect((waits[0] as { reason: string }).reason).toContain(`process ${holder.pid}`);
  });

  it('with a timeout that runs out, the error says who holds it and how long it waited', async () => {
    const { fx, project: p } = await project(1);
    const holder = await holdFile(fx.warehouse, 20_000);
    const error = await caught(() => run(p));
    expect(error.code).toBe('SSA-LOCK-004');
    expect(error.message).toMatch(new RegExp(`process ${holder.pid} .*\\(waited 1 s, --lock-timeout 1\\)`));
  });

  it("waits for another run's lock file the same way", async () => {
    const { fx, project: p } = await project(20);
    writeFileSync(
      `${fx.warehouse}.lock`,
      JSON.stringify({ pid: process.ppid, startedAt: '2026-01-01T00:00:00.000Z', command: 'build' }),
    );
    setTimeout(() => unlinkSync(`${fx.warehouse}.lock`), 1_000);
    const events: EngineEvent[] = [];
    expect((await run(p, events)).success).toBe(true);
    const wait = events.find((e) => e.kind === 'warehouse_wait') as { reason: string } | undefined;
    expect(wait?.reason).toContain(`in use by run ${process.ppid} (build)`);
  });
});
