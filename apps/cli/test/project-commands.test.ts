import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shopsmart } from './support/cli-binary.js';

/** debug, clean and parse through the real binary, their error paths included. */
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(extra: Record<string, string> = {}, projectYml = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'shopsmart-project-cmd-'));
  dirs.push(dir);
  const files: Record<string, string> = {
    'dbt_project.yml': `name: shop\nprofile: shop\nconfig-version: 2\n${projectYml}`,
    'profiles.yml': `shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${join(dir, 'wh.duckdb')}\n      threads: 1\n`,
    'models/a.sql': 'select 1 as id',
    'models/b.sql': "select * from {{ ref('a') }}",
    'models/schema.yml':
      'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [unique]\n',
    ...extra,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('shopsmart debug', () => {
  it('reports the project, targets, versions, the warehouse and the lock; exit 0', async () => {
    const dir = project();
    const { code, stdout } = await shopsmart(['debug', '--project-dir', dir]);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^shopsmart \d+\.\d+\.\d+, engine @shopsmart\/core-runner \d+\.\d+\.\d+, node v\d+/,
    );
    expect(stdout).toMatch(/project\s+OK\s+shop \(dbt project\)/);
    expect(stdout).toMatch(/targets\s+OK\s+dev \(used\)/);
    expect(stdout).toMatch(/lock\s+OK\s+free/);
    expect(stdout).toMatch(/warehouse\s+OK\s+opens and answers \(duckdb v1\.\d+\.\d+\)/);
    expect(stdout.trim().split('\n').at(-1)).toBe('All checks passed!');
  });

  it('exit 1 naming the holder when another live run holds the lock', async () => {
    const dir = project();
    writeFileSync(
      join(dir, 'wh.duckdb.lock'),
      JSON.stringify({ pid: process.pid, startedAt: '2026-12-01T10:00:00.000Z', command: 'build' }),
    );
    const { code, stdout } = await shopsmart(['debug', '--project-dir', dir]);
    expect(code).toBe(1);
    expect(stdout).toMatch(new RegExp(`lock\\s+ERROR\\s+held by run ${process.pid} \\(build\\)`));
    expect(stdout).toMatch(/1 check failed/);
  });

  it('exit 1 for an unknown target and for a folder with no project; json mode is JSON only', async () => {
    const dir = project();
    const target = await shopsmart(['debug', '--project-dir', dir, '--target', 'prod']);
    expect(target.code).toBe(1);
    expect(target.stdout).toMatch(/targets\s+ERROR\s+dev — 'prod' is not defined/);
    const empty = mkdtempSync(join(tmpdir(), 'shopsmart-empty-'));
    dirs.push(empty);
    const none = await shopsmart(['debug', '--project-dir', empty, '--log-format', 'json']);
    expect(none.code).toBe(1);
    const events = none.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; name?: string; ok?: boolean });
    expect(events.find((e) => e.name === 'project')).toMatchObject({ ok: false });
    expect(events.at(-1)).toEqual({ kind: 'debug_finished', success: false });
  });
});

describe('shopsmart clean', () => {
  it('deletes target/ by default and every clean-target listed', async () => {
    const dir = project({ 'target/manifest.json': '{}', 'logs/x.log': 'x', 'dbt_packages/p/a.sql': '' });
    const first = await shopsmart(['clean', '--project-dir', dir]);
    expect(first.code).toBe(0);
    expect(existsSync(join(dir, 'target'))).toBe(false);
    expect(existsSync(join(dir, 'logs'))).toBe(true);
    const listed = project(
      { 'logs/x.log': 'x', 'dbt_packages/p/a.sql': '' },
      'clean-targets: [logs, dbt_packages, target]\n',
    );
    const second = await shopsmart(['clean', '--project-dir', listed]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Cleaned target (not there)');
    expect(existsSync(join(listed, 'logs'))).toBe(false);
    expect(existsSync(join(listed, 'dbt_packages'))).toBe(false);
    expect(existsSync(join(listed, 'models', 'a.sql'))).toBe(true);
  });

  it.each([
    ['../outside', /'..\/outside' is outside the project/],
    ['/tmp', /'\/tmp' is outside the project/],
    ['.', /'.' is the project folder itself/],
    ['models', /'models' holds the project's sources/],
  ])('refuses %s with exit 2 and deletes nothing', async (path, message) => {
    const dir = project({ 'target/keep.json': '{}' }, `clean-targets: [target, '${path}']\n`);
    const { code, stderr } = await shopsmart(['clean', '--project-dir', dir]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(existsSync(join(dir, 'target', 'keep.json'))).toBe(true);
    expect(existsSync(join(dir, 'models', 'a.sql'))).toBe(true);
  });
});

describe('shopsmart parse', () => {
  it('writes manifest.json and perf_info.json with the timing', async () => {
    const dir = project();
    const { code, stdout } = await shopsmart(['parse', '--project-dir', dir]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Parsed 2 models, 1 test in \d+\.\d\ds/);
    const manifest = JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8')) as {
      nodes: Record<string, unknown>;
    };
    expect(Object.keys(manifest.nodes)).toContain('model.shop.b');
    const perf = JSON.parse(readFileSync(join(dir, 'target', 'perf_info.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(perf).toMatchObject({ node_counts: { model: 2, test: 1 } });
    expect(perf.total_elapsed).toBeGreaterThan(0);
    expect(perf.load_all_elapsed).toBeLessThanOrEqual(perf.total_elapsed as number);
  });

  it('json mode prints one JSON line; a broken project exits 2 naming the file', async () => {
    const dir = project();
    const json = await shopsmart(['parse', '--project-dir', dir, '--log-format', 'json']);
    expect(json.code).toBe(0);
    const lines = json.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      kind: 'parse_finished',
      node_counts: { model: 2 },
    });
    const broken = project({ 'models/c.sql': "select * from {{ ref('nope') }}" });
    const failed = await shopsmart(['parse', '--project-dir', broken]);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(/models\/c\.sql/);
    expect(existsSync(join(broken, 'target', 'perf_info.json'))).toBe(false);
  });
});

describe('root --help', () => {
  it('prints the exit-code table of exit-codes.ts', async () => {
    const { exitCodeTable } = await import('../src/exit-codes.js');
    const { stdout } = await shopsmart(['--help']);
    expect(stdout).toContain('exit codes:');
    for (const row of exitCodeTable)
      expect(stdout).toContain(`${String(row.code).padStart(3)}  ${row.meaning}`);
    for (const name of ['debug', 'clean', 'parse']) expect(stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
  });
});
