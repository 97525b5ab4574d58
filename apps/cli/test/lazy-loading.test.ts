import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Each command loads only what it needs: the real binary runs with a module-resolution hook that
 * logs every module it resolves, and the log is checked for the engine, DuckDB and faker.
 */
const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.js');
const scratch = mkdtempSync(join(tmpdir(), 'shopsmart-lazy-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

writeFileSync(
  join(scratch, 'hooks.mjs'),
  `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.SHOPSMART_LOAD_LOG, resolved.url + '\\n');
  return resolved;
}
`,
);
// Packages the engine loads with require() (the YAML library, minijinja) bypass the resolve hook.
writeFileSync(
  join(scratch, 'require-log.cjs'),
  `const Module = require('node:module');
const { appendFileSync } = require('node:fs');
const load = Module._load;
Module._load = function (request, parent, isMain) {
  try {
    appendFileSync(process.env.SHOPSMART_LOAD_LOG, 'require:' + Module._resolveFilename(request, parent, isMain) + '\\n');
  } catch {}
  return load.apply(this, arguments);
};
`,
);
writeFileSync(
  join(scratch, 'register.mjs'),
  `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(scratch, 'hooks.mjs')).href)});\n`,
);

const project = join(scratch, 'shop');
for (const [path, text] of Object.entries({
  'dbt_project.yml': 'name: shop\nprofile: shop\nconfig-version: 2\n',
  'profiles.yml': `shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${join(project, 'wh.duckdb')}\n      threads: 1\n`,
  'models/a.sql': 'select 1 as id',
  // A plain scalar over two lines: plain YAML is read without the library (project/plain-yaml.ts), this file needs it.
  'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    description: the a\n      model\n',
})) {
  mkdirSync(dirname(join(project, path)), { recursive: true });
  writeFileSync(join(project, path), text);
}

let runs = 0;
/** The modules a command resolved (file URLs), and its exit code. */
function modulesOf(args: string[]): Promise<{ code: number; modules: string[] }> {
  const log = join(scratch, `load-${++runs}.log`);
  writeFileSync(log, '');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [
        '--require',
        join(scratch, 'require-log.cjs'),
        '--import',
        pathToFileURL(join(scratch, 'register.mjs')).href,
        bin,
        ...args,
      ],
      { env: { ...process.env, SHOPSMART_LOAD_LOG: log } },
      (error) => {
        const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
        resolve({ code, modules: readFileSync(log, 'utf8').split('\n').filter(Boolean) });
      },
    );
  });
}

const loads = (modules: string[], pattern: RegExp) => modules.some((url) => pattern.test(url));
const engine = /core-runner\/dist\//;
const duckdb = /@duckdb\/node-api/;
const faker = /@faker-js\/faker/;
const yaml = /\/node_modules\/yaml\//;
const minijinja = /minijinja-js/;

describe('lazy loading', () => {
  it('--help loads neither the engine nor DuckDB nor faker', async () => {
    const { code, modules } = await modulesOf(['--help']);
    expect(code).toBe(0);
    expect(loads(modules, /commander/)).toBe(true);
    expect(loads(modules, engine)).toBe(false);
    expect(loads(modules, duckdb)).toBe(false);
    expect(loads(modules, faker)).toBe(false);
  });

  it('a usage error loads no engine either', async () => {
    const { code, modules } = await modulesOf(['biuld']);
    expect(code).toBe(2);
    expect(loads(modules, engine)).toBe(false);
  });

  it('ls and compile read the project without DuckDB or faker', async () => {
    for (const command of ['ls', 'compile']) {
      const { code, modules } = await modulesOf([command, '--project-dir', project]);
      expect(code, command).toBe(0);
      expect(loads(modules, engine), command).toBe(true);
      expect(loads(modules, duckdb), command).toBe(false);
      expect(loads(modules, faker), command).toBe(false);
    }
  });

  it('a warm ls or compile -s reads the parse cache without the YAML library or the template engine', async () => {
    rmSync(join(project, 'target'), { recursive: true, force: true });
    const cold = await modulesOf(['ls', '--project-dir', project]);
    expect(cold.code).toBe(0);
    expect(loads(cold.modules, yaml)).toBe(true);
    for (const args of [['ls'], ['ls', '-s', 'a'], ['compile', '-s', 'a']]) {
      const warm = await modulesOf([...args, '--project-dir', project]);
      expect(warm.code, args.join(' ')).toBe(0);
      expect(loads(warm.modules, engine), args.join(' ')).toBe(true);
      expect(loads(warm.modules, yaml), args.join(' ')).toBe(false);
      expect(loads(warm.modules, minijinja), args.join(' ')).toBe(false);
    }
    const full = await modulesOf(['ls', '--project-dir', project, '--no-partial-parse']);
    expect(loads(full.modules, yaml)).toBe(true);
  });

  it('run opens the warehouse (DuckDB) without faker; generate loads faker', async () => {
    const run = await modulesOf(['run', '--project-dir', project]);
    expect(run.code).toBe(0);
    expect(loads(run.modules, duckdb)).toBe(true);
    expect(loads(run.modules, faker)).toBe(false);
    const generate = await modulesOf(['generate', '--project-dir', project, '--scale', '0.01']);
    expect(generate.code).toBe(0);
    expect(loads(generate.modules, faker)).toBe(true);
  });
});
