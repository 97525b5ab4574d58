import { execFile, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, writeDbtProject } from './support/cli-binary.js';

/** An SGR colour code (`ESC[32m`); the progress line's erase (`ESC[2K`) is not one. */
const colour = new RegExp(`${String.fromCharCode(27)}\\[\\d+m`);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment without the colour switches of whoever runs the tests. */
function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const key of ['NO_COLOR', 'FORCE_COLOR']) if (!(key in extra)) delete env[key];
  return env;
}

/** The binary with stdout and stderr piped. */
function piped(args: string[], cwd: string, extra: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, env: baseEnv(extra) }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

/** The binary on a real pseudo-terminal (util-linux `script`): stdout.isTTY is true. */
function onTerminal(
  args: string[],
  cwd: string,
  extra: Record<string, string> = {},
  watch?: (stdoutSoFar: string) => void,
): Promise<Run> {
  const command = [process.execPath, bin, ...args].map((a) => `'${a}'`).join(' ');
  return new Promise((resolve) => {
    const child = execFile(
      'script',
      ['-qec', command, '/dev/null'],
      { cwd, env: baseEnv({ COLUMNS: '120', ...extra }) },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
    let seen = '';
    if (watch)
      child.stdout?.on('data', (chunk: Buffer | string) => {
        seen += chunk.toString();
        watch(seen);
      });
  });
}

const models: Record<string, string> = {};
for (let i = 1; i <= 12; i++) models[`models/m${i}.sql`] = `select ${i} as id`;
const schema = `version: 2
models:
  - name: m1
    columns:
      - name: id
        data_tests: [not_null]
  - name: m2
    columns:
      - name: id
        data_tests:
          - accepted_values:
              values: [1]
              config: {severity: warn}
`;

describe('CLI output: colours, --quiet, progress line, --log-format json', () => {
  let project: ReturnType<typeof writeDbtProject>;
  const flags = () => ['--project-dir', project.dir, '--profiles-dir', project.dir];

  beforeAll(() => {
    project = writeDbtProject('shopsmart-output-', { ...models, 'models/schema.yml': schema });
  });
  afterAll(() => project.remove());

  it('piped output is plain lines: no ANSI escapes, no progress line', async () => {
    const run = await piped(['build', ...flags()], project.dir);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('\x1b');
    expect(run.stdout).not.toContain('\r');
    expect(run.stdout).toMatch(/^ 1 of 14 OK view main\.m1/m);
    expect(run.stdout).toMatch(/WARN test accepted_values_m2_id__1/);
  });

  it('a terminal gets coloured statuses and a live progress line, cleared at the end', async () => {
    const run = await onTerminal(['build', ...flags()], project.dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('\x1b[32mOK\x1b[0m');
    expect(run.stdout).toContain('\x1b[32mPASS\x1b[0m');
    expect(run.stdout).toContain('\x1b[33mWARN\x1b[0m');
    expect(run.stdout).toMatch(/\[ ?\d+\/14\] running m\d+ …/);
    // The progress line is erased before the summary and not drawn again after it.
    const summary = run.stdout.lastIndexOf('Finished build');
    expect(summary).toBeGreaterThan(0);
    expect(run.stdout.slice(summary)).not.toMatch(/running|starting|finishing/);
  });

  it('NO_COLOR (any non-empty value) and --no-color turn colours off on a terminal', async () => {
    for (const [args, env] of [
      [['build', ...flags()], { NO_COLOR: 'yes' }],
      [['build', '--no-color', ...flags()], {}],
      [['--no-color', 'build', ...flags()], { FORCE_COLOR: '1' }],
    ] as const) {
      const run = await onTerminal([...args], project.dir, env);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('OK view main.m1');
      expect(run.stdout).not.toMatch(colour);
    }
  });

  it('FORCE_COLOR colours piped output (no progress line: that needs a terminal)', async () => {
    const run = await piped(['build', ...flags()], project.dir, { FORCE_COLOR: '1' });
    expect(run.stdout).toContain('\x1b[32mOK\x1b[0m');
    expect(run.stdout).not.toContain('\r');
    const off = await piped(['build', ...flags()], project.dir, { FORCE_COLOR: '1', NO_COLOR: '1' });
    expect(off.stdout).not.toMatch(colour);
  });

  it('--quiet prints only the summary on success, and the errors when a node fails', async () => {
    const ok = await piped(['build', '-q', ...flags()], project.dir);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^Finished build in \d+\.\d\ds: OK=12 PASS=1 WARN=1 — all good$/),
    ]);
    expect(ok.stderr).toBe('');

    const broken = writeDbtProject('shopsmart-output-fail-', {
      'models/good.sql': 'select 1 as id',
      'models/bad.sql': 'select no_such_column from good',
      'models/after_bad.sql': 'select * from {{ ref("bad") }}',
    });
    try {
      const run = await piped(
        ['run', '--quiet', '--project-dir', broken.dir, '--profiles-dir', broken.dir],
        broken.dir,
      );
      expect(run.code).toBe(1);
      const lines = run.stdout.split('\n').filter((l) => l.trim() !== '');
      expect(lines.some((l) => / ERROR view main\.bad/.test(l))).toBe(true);
      expect(lines.some((l) => l.startsWith('Finished run'))).toBe(true);
      expect(lines.some((l) => l.startsWith('Error in model bad'))).toBe(true);
      expect(run.stdout).not.toMatch(/OK view|of 3 SKIP|Running run/);
    } finally {
      broken.remove();
    }
  });

  it('--log-format json: every stdout line is a JSON event, stderr empty, warnings included', async () => {
    // A corrupt parse cache (a parse warning) and a selector matching nothing (a run warning).
    mkdirSync(join(project.dir, 'target'), { recursive: true });
    writeFileSync(join(project.dir, 'target', 'partial_parse.bin'), 'not a parse cache');
    for (const args of [
      ['build', '--log-format', 'json', '-s', 'm1', 'no_such_model', ...flags()],
      ['build', '--log-format', 'json', ...flags()],
    ]) {
      // On a terminal too: json mode draws no progress line and no colours.
      for (const runner of [piped, onTerminal]) {
        writeFileSync(join(project.dir, 'target', 'partial_parse.bin'), 'not a parse cache');
        const run = await runner(args, project.dir, { FORCE_COLOR: '1' });
        expect(run.code).toBe(0);
        expect(run.stderr).toBe('');
        const lines = run.stdout.replace(/\r/g, '').trim().split('\n');
        const events = lines.map((line) => JSON.parse(line) as { kind: string; message?: string });
        expect(events.at(-1)?.kind).toBe('run_finished');
        const warnings = events.filter((e) => e.kind === 'warning').map((e) => e.message);
        expect(warnings.some((m) => /parse/.test(m ?? ''))).toBe(true);
        if (args.includes('no_such_model'))
          expect(warnings.some((m) => /no_such_model/.test(m ?? ''))).toBe(true);
      }
    }
  });

  it('--log-format json: usage and project errors are JSON lines on stdout too, stderr empty', async () => {
    interface Event {
      kind: string;
      level?: string;
      message?: string;
      error?: { code: string; message: string; hint?: string };
    }
    const cases: [string[], RegExp, (e: Event) => boolean][] = [
      [
        ['build', '--thread', '2', '--log-format', 'json', ...flags()],
        /unknown option '--thread'/,
        (e) => e.kind === 'log' && e.level === 'error',
      ],
      [
        ['build', '--log-format=json', '--project-dir', join(project.dir, 'nowhere')],
        /no shopsmart\.yml or dbt_project\.yml/,
        (e) => e.kind === 'error' && e.error?.code === 'SSA-PROJECT-001',
      ],
      [
        ['build', '--log-format', 'json', '--defer', ...flags()],
        /--defer needs --state/,
        (e) => e.kind === 'error' && e.error?.code === 'usage',
      ],
    ];
    for (const [args, text, shape] of cases) {
      const run = await piped(args, project.dir);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe('');
      const events = run.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Event);
      expect(events.some((e) => shape(e) && text.test(e.message ?? e.error?.message ?? ''))).toBe(true);
    }
  });

  it('generate: progress as JSON events in json mode, a live line on a terminal, stderr lines when piped', async () => {
    const generate = ['generate', '--scale', '0.01', ...flags()];
    const json = await piped([...generate, '--log-format', 'json'], project.dir);
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    const events = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; completed?: number; total?: number });
    expect(events.filter((e) => e.kind === 'progress').length).toBeGreaterThan(0);
    expect(events.at(-1)?.kind).toBe('generate_finished');

    const tty = await onTerminal(generate, project.dir);
    expect(tty.code).toBe(0);
    expect(tty.stdout).toContain('\r\x1b[2K');
    expect(tty.stdout).toMatch(/\[\d+\/\d+\] \w+.* …/);
    expect(tty.stdout).toMatch(/Generated [\d,]+ rows/);

    const plain = await piped(generate, project.dir);
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toContain('\x1b');
    expect(plain.stderr).toMatch(/^ {2}\[\d+\/\d+\] /m);
  });

  it('json mode on a terminal: waiting for a busy warehouse is a JSON event, not a redrawn line', async () => {
    const generated = await piped(['generate', '--scale', '0.01', ...flags()], project.dir);
    expect(generated.code).toBe(0);
    // A reader (as a notebook would be) holds the DuckDB file until advance says it is waiting
    // (no fixed hold time: under load the CLI may take longer than any hold to start).
    const script = `
      import { DuckDBInstance } from '@duckdb/node-api';
      const db = await DuckDBInstance.create(${JSON.stringify(join(project.dir, 'wh.duckdb'))});
      process.stdout.write('holding\\n');
      setTimeout(() => { db.closeSync(); process.exit(0); }, 50_000);`;
    const holder = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: join(dirname(bin), '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      holder.stdout?.once('data', () => resolve());
      holder.once('exit', (code) => reject(new Error(`holder exited early (${code})`)));
    });
    const run = await onTerminal(
      ['advance', '--days', '1', '--lock-timeout', '60', '--log-format', 'json', ...flags()],
      project.dir,
      {},
      (stdoutSoFar) => {
        if (/"level":"warn"/.test(stdoutSoFar)) holder.kill();
      },
    );
    holder.kill();
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('\x1b');
    const events = run.stdout
      .replace(/\r/g, '')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; level?: string; message?: string });
    expect(
      events.some((e) => e.kind === 'log' && e.level === 'warn' && /warehouse/.test(e.message ?? '')),
    ).toBe(true);
    expect(events.at(-1)?.kind).toBe('advance_finished');
  });
});
