import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode, exitCodeOf, exitCodeTable, formatExitCodes } from '../src/exit-codes.js';
import { main } from '../src/main.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function writeProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shopsmart-exit-'));
  const files: Record<string, string> = {
    'dbt_project.yml': 'name: shop\nprofile: shop\nconfig-version: 2\n',
    'profiles.yml': `shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${join(dir, 'wh.duckdb')}\n`,
    'models/one.sql': 'select 1 as id',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function capture() {
  const lines: { out: string[]; err: string[] } = { out: [], err: [] };
  return { lines, output: { out: (l: string) => lines.out.push(l), err: (l: string) => lines.err.push(l) } };
}

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const step of cleanup.splice(0)) step();
});

/** A live process that is not this one (the test runner's parent) holding the warehouse's lock file. */
function holdLock(dir: string): number {
  writeFileSync(
    join(dir, 'wh.duckdb.lock'),
    JSON.stringify({ pid: process.ppid, startedAt: new Date().toISOString(), command: 'build' }),
  );
  return process.ppid;
}

describe('one exit-code table', () => {
  it('has one distinct code per outcome, and the README repeats it row for row', () => {
    const codes = exitCodeTable.map((row) => row.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(Object.values(ExitCode).sort((a, b) => a - b)).toEqual(codes);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const rows = readme
      .split('\n')
      .filter((line) => /^\| \d+ \|/.test(line))
      .map((line) => line.replace(/`/g, ''));
    expect(rows).toEqual(exitCodeTable.map((row) => `| ${row.code} | ${row.meaning} |`));
    expect(formatExitCodes().split('\n')).toHaveLength(exitCodeTable.length + 1);
  });

  it('maps error codes: lock and busy file → busy, SQL → node failed, mockgen internal → internal', () => {
    expect(exitCodeOf('SSA-LOCK-001')).toBe(ExitCode.warehouseBusy);
    expect(exitCodeOf('SSA-MOCK-005')).toBe(ExitCode.warehouseBusy);
    expect(exitCodeOf('SSA-SQL-001')).toBe(ExitCode.nodeFailed);
    expect(exitCodeOf('SSA-MOCK-999')).toBe(ExitCode.internal);
    expect(exitCodeOf('SSA-REF-404')).toBe(ExitCode.usage);
  });

  it.each([
    ['build', []],
    ['advance', ['--days', '1']],
  ])(
    'a lock held by another run makes %s exit with the busy code, naming the holder',
    async (command, extra) => {
      const dir = writeProject();
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      const holder = holdLock(dir);
      const { lines, output } = capture();
      const code = await main([command, ...extra, '--project-dir', dir], output);
      expect(code).toBe(ExitCode.warehouseBusy);
      expect(lines.err.join('\n')).toContain(`in use by run ${holder}`);
    },
  );
});
