import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/exit-codes.js';
import { main } from '../src/main.js';

const cliDir = join(dirname(fileURLToPath(import.meta.url)), '..');

function writeProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shopsmart-lock-'));
  const files: Record<string, string> = {
    'dbt_project.yml': 'name: shop\nprofile: shop\nconfig-version: 2\n',
    'profiles.yml': `shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${join(dir, 'wh.duckdb')}\n`,
    'models/one.sql': 'select 1 as id',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A reader (as a notebook would be) holding the warehouse file open for `ms`. */
async function holdFile(path: string, ms: number): Promise<ChildProcess> {
  const script = `
    import { DuckDBInstance } from '@duckdb/node-api';
    const db = await DuckDBInstance.create(${JSON.stringify(path)});
    process.stdout.write('holding\\n');
    setTimeout(() => { db.closeSync(); process.exit(0); }, ${ms});`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: cliDir,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  cleanup.push(() => child.kill());
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`holder exited early (${code})`)));
  });
  return child;
}

function capture() {
  const lines: { out: string[]; err: string[] } = { out: [], err: [] };
  return { lines, output: { out: (l: string) => lines.out.push(l), err: (l: string) => lines.err.push(l) } };
}

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const step of cleanup.splice(0)) step();
});

describe('--lock-timeout', () => {
  it('a reader holding the file: build fails at once with the busy code, naming the process', async () => {
    const dir = writeProject();
    const holder = await holdFile(join(dir, 'wh.duckdb'), 20_000);
    const { lines, output } = capture();
    expect(await main(['build', '--project-dir', dir], output)).toBe(ExitCode.warehouseBusy);
    expect(lines.err.join('\n')).toContain(`is held open by process ${holder.pid} (`);
    expect(lines.err.join('\n')).not.toMatch(/\n\s+at /);
  });

  it('build --lock-timeout 20 waits for the reader (one line saying so), then builds', async () => {
    const dir = writeProject();
    const holder = await holdFile(join(dir, 'wh.duckdb'), 1_500);
    const { lines, output } = capture();
    expect(await main(['build', '--lock-timeout', '20', '--project-dir', dir], output)).toBe(ExitCode.ok);
    const waits = lines.err.filter((l) => l.startsWith('waiting up to 20 s for the warehouse'));
    expect(waits).toHaveLength(1);
    expect(waits[0]).toContain(`process ${holder.pid}`);
  });

  it('advance: a reader holding the file is named too, and the timeout says how long it waited', async () => {
    const dir = writeProject();
    const holder = await holdFile(join(dir, 'wh.duckdb'), 20_000);
    const { lines, output } = capture();
    const code = await main(['advance', '--days', '1', '--lock-timeout', '1', '--project-dir', dir], output);
    expect(code).toBe(ExitCode.warehouseBusy);
    expect(lines.err.join('\n')).toMatch(
      new RegExp(`held open by process ${holder.pid} .*\\(waited 1 s, --lock-timeout 1\\)`),
    );
  });

  it('rejects a negative timeout as bad usage', async () => {
    const { lines, output } = capture();
    expect(await main(['build', '--lock-timeout', '-3'], output)).toBe(ExitCode.usage);
    expect(lines.err.join('\n')).toContain('--lock-timeout');
  });
});
