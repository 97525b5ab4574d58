import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, shopsmart } from './support/cli-binary.js';

/** The argument parser, through the real built binary: help, errors, exit codes. */

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shopsmart-parser-'));
  dirs.push(dir);
  const files: Record<string, string> = {
    'dbt_project.yml': 'name: shop\nprofile: shop\nconfig-version: 2\n',
    'profiles.yml': `shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${join(dir, 'wh.duckdb')}\n      threads: 1\n`,
    'models/a.sql': 'select 1 as id',
    'models/b.sql': "select * from {{ ref('a') }}",
    'models/c.sql': 'select 2 as id',
    'seeds/s.csv': 'x\n1\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const commandsWithHelp = [
  ['build'],
  ['run'],
  ['seed'],
  ['test'],
  ['snapshot'],
  ['compile'],
  ['ls'],
  ['generate'],
  ['advance'],
  ['source', 'freshness'],
  ['debug'],
  ['clean'],
  ['deps'],
  ['parse'],
];

describe('--version', () => {
  it("prints the CLI package's version, exit 0, and -V is the same", async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    for (const flag of ['--version', '-V']) {
      const { code, stdout } = await shopsmart([flag]);
      expect(code).toBe(0);
      expect(stdout.trim()).toBe(`shopsmart ${version}`);
    }
  });
});

describe('a reader that closes the pipe early (`shopsmart --help | head -1`)', () => {
  it('ends the command quietly with its own exit code, not an EPIPE crash', async () => {
    const child = spawn(process.execPath, [bin, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('--help', () => {
  it('the root lists every command, the global options and examples, exit 0', async () => {
    const { code, stdout } = await shopsmart(['--help']);
    expect(code).toBe(0);
    for (const [name] of commandsWithHelp) expect(stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    expect(stdout).toMatch(/^ {2}docs\b/m);
    expect(stdout).toContain('--project-dir <dir>');
    expect(stdout).toMatch(/Examples:\n {2}\$ shopsmart /);
  });

  it.each(commandsWithHelp)('%s --help shows its options and examples', async (...command) => {
    const { code, stdout, stderr } = await shopsmart([...command, '--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(new RegExp(`Usage: shopsmart ${command.join(' ')}(\\|\\w+)? \\[options\\]`));
    expect(stdout).toMatch(/Options:\n/);
    expect(stdout).toMatch(/Global Options:\n[\s\S]*--target <name>/);
    expect(stdout).toMatch(new RegExp(`Examples:\\n {2}\\$ shopsmart ${command.join(' ')}`));
  });

  it('each command lists the flags it takes', async () => {
    expect((await shopsmart(['build', '--help'])).stdout).toMatch(
      /--select <selector\.\.\.>[\s\S]*--threads <n>[\s\S]*--full-refresh[\s\S]*--resource-type <type>/,
    );
    expect((await shopsmart(['ls', '--help'])).stdout).toMatch(/--output <format>[\s\S]*"json"/);
    expect((await shopsmart(['generate', '--help'])).stdout).toMatch(
      /--scale <n>[\s\S]*--seed <n>[\s\S]*--as-of <date>[\s\S]*--dirty[\s\S]*--format <format>/,
    );
  });

  it('no arguments: the root help and exit 2', async () => {
    const { code, stdout } = await shopsmart([]);
    expect(code).toBe(2);
    expect(stdout).toContain('Usage: shopsmart <command> [options]');
  });
});

describe('bad usage exits 2 with what is wrong and a hint', () => {
  it.each([
    [['biuld'], /error: unknown command 'biuld'\n {2}hint: did you mean 'build'\?/],
    [['ls', '--selct', 'a'], /error: unknown option '--selct'\n {2}hint: did you mean '--select'\?/],
    [['run', '--thread', '2'], /unknown option '--thread'\n {2}hint: did you mean '--threads'\?/],
    [['source', 'freshnes'], /unknown command 'freshnes'\n {2}hint: did you mean 'freshness'\?/],
    [['source'], /error: 'shopsmart source' needs a sub-command/],
    [['run', '--threads', '-2'], /--threads <n>' argument '-2' is invalid\. It must be a positive integer/],
    [['run', '--threads', '0'], /--threads <n>' argument '0' is invalid/],
    [['run', '--threads', '1.5'], /--threads <n>' argument '1.5' is invalid/],
    [['generate', '--scale', '-1'], /--scale <n>' argument '-1' is invalid\. It must be a positive number/],
    [['generate', '--scale', 'big'], /--scale <n>' argument 'big' is invalid/],
    [['generate', '--seed', 'x'], /--seed <n>' argument 'x' is invalid\. It must be a whole number/],
    [['advance', '--days', '0'], /--days <n>' argument '0' is invalid/],
    [
      ['generate', '--format', 'xlsx'],
      /--format <format>' argument 'xlsx' is invalid\. Allowed choices are duckdb, csv, parquet/,
    ],
    [['ls', '--output', 'xml'], /Allowed choices are name, selector, json, path/],
    [
      ['ls', '--resource-type', 'modle'],
      /--resource-type <type>' argument 'modle' is invalid\. Allowed choices are model/,
    ],
    [['build', '--log-format', 'xml'], /--log-format <format>' argument 'xml' is invalid/],
    [['build', '--indirect-selection', 'lazy'], /Allowed choices are eager, cautious, buildable, empty/],
    [['run', '--threads'], /option '--threads <n>' argument missing/],
    [['ls', 'extra'], /too many arguments/],
    [['run', '--defer'], /--defer needs --state <dir>/],
    [['ls', '--vars', '[1, 2]'], /--vars must be a YAML\/JSON mapping/],
  ])('%j', async (args, message) => {
    const { code, stdout, stderr } = await shopsmart(args as string[]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('a bad value hint points at the command help', async () => {
    const { stderr } = await shopsmart(['run', '--threads', 'x']);
    expect(stderr).toMatch(/hint: run shopsmart run --help/);
  });
});

describe('flags keep their meaning', () => {
  it('one -s takes several selectors; --exclude subtracts; --resource-type repeats', async () => {
    const dir = project();
    const several = await shopsmart(['ls', '--project-dir', dir, '-s', 'a', 'c', '--resource-type', 'model']);
    expect(several.code).toBe(0);
    expect(several.stdout.trim().split('\n')).toEqual(['shop.a', 'shop.c']);
    const excluded = await shopsmart(['ls', '--project-dir', dir, '--exclude', 'a', 'b']);
    expect(excluded.stdout.trim().split('\n')).toEqual(['shop.c', 'shop.s']);
    const types = await shopsmart([
      'list',
      '--project-dir',
      dir,
      '--resource-type',
      'seed',
      '--resource-type',
      'model',
      '-m',
      '+b',
      's',
    ]);
    expect(types.stdout.trim().split('\n')).toEqual(['shop.a', 'shop.b', 'shop.s']);
  });

  it('global flags are taken before or after the command, and --flag=value works', async () => {
    const dir = project();
    const before = await shopsmart(['--project-dir', dir, 'ls', '-s', 'b']);
    expect(before).toMatchObject({ code: 0, stdout: 'shop.b\n' });
    const inline = await shopsmart(['ls', `--project-dir=${dir}`, '--select=b', '--output=path']);
    expect(inline).toMatchObject({ code: 0, stdout: 'models/b.sql\n' });
  });

  it('run --threads 1 -s a builds only a', async () => {
    const dir = project();
    const { code, stdout } = await shopsmart(['run', '--project-dir', dir, '--threads', '1', '-s', 'a']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Running run with 1 node .*\(1 threads\)/);
  });
});
