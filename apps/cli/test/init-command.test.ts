import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { shopsmart } from './support/cli-binary.js';

/** `shopsmart init NAME` through the real binary, in a scratch workspace with one path layer. */
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const projectYml = `# A scratch workspace: its layers and a warehouse in the folder.
name: scratch

layers:
  # The layer the workspace starts with.
  - name: base
    path: layers/base

target: dev
targets:
  dev:
    type: duckdb
    path: warehouse/dev.duckdb
    schema: main
    threads: 1
`;

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shopsmart-init-'));
  dirs.push(dir);
  const files: Record<string, string> = {
    'shopsmart.yml': projectYml,
    'layers/base/dbt_project.yml': 'name: base\nconfig-version: 2\nprofile: shopsmart\n',
    'layers/base/models/base_one.sql': 'select 1 as id\n',
    'layers/base/models/_base.yml':
      'version: 2\nmodels:\n  - name: base_one\n    description: One row.\n    columns:\n      - name: id\n        description: Id.\n',
    'packages/taken/package.json': '{ "name": "@shopsmart/used-elsewhere" }\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Every file under `dir`, relative, with its contents: what a refused init must leave as it was. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const path = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else out[path] = readFileSync(join(dir, path), 'utf8');
    }
  };
  walk('');
  return out;
}

describe('shopsmart init', () => {
  it('writes a layer package, lists it in shopsmart.yml (comments kept) and the layer builds green at once', async () => {
    const dir = workspace();
    const init = await shopsmart(['init', 'returns-desk', '--project-dir', dir]);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain(
      "Created layer 'returns_desk' in packages/returns-desk (@shopsmart/returns-desk)",
    );
    expect(init.stdout).toContain('pnpm install');
    expect(init.stdout).toContain('pnpm cli build -s returns_desk');

    const pkgDir = join(dir, 'packages', 'returns-desk');
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('@shopsmart/returns-desk');
    expect(pkg.scripts.build).toBe('tsup && shopsmart-layer build .');
    expect(pkg.scripts.test).toBe('vitest run');
    expect(pkg.keywords).toContain('shopsmart-layer');
    for (const file of [
      'dbt_project.yml',
      'models/returns_desk_example.sql',
      'models/_returns_desk__models.yml',
      'src/index.ts',
      'README.md',
    ])
      expect(existsSync(join(pkgDir, file)), file).toBe(true);
    expect(parse(readFileSync(join(pkgDir, 'dbt_project.yml'), 'utf8')).name).toBe('returns_desk');
    const properties = parse(readFileSync(join(pkgDir, 'models/_returns_desk__models.yml'), 'utf8'));
    const model = properties.models[0];
    expect(model.name).toBe('returns_desk_example');
    expect(model.description).toBeTruthy();
    for (const column of model.columns) expect(column.description, column.name).toBeTruthy();

    const text = readFileSync(join(dir, 'shopsmart.yml'), 'utf8');
    // The file as it was, with the new entry appended to layers: (comments and layout kept).
    expect(text).toBe(
      projectYml.replace(
        '    path: layers/base\n',
        '    path: layers/base\n  - name: returns_desk\n    path: packages/returns-desk\n',
      ),
    );

    const build = await shopsmart(['build', '-s', 'returns_desk', '--project-dir', dir]);
    expect(build.stderr).toBe('');
    expect(build.code).toBe(0);
    expect(build.stdout).toMatch(/OK view main\.returns_desk_example/);
    expect(build.stdout).toMatch(/PASS test unique_returns_desk_example_example_id/);
    expect(build.stdout).toMatch(/PASS test not_null_returns_desk_example_example_id/);
    expect(build.stdout).toMatch(/OK=1 PASS=3/);
  });

  it.each([
    ['Returns', 'e.g. shopsmart init returns'],
    ['1st_layer', 'e.g. shopsmart init st_layer'],
    ['my layer', 'e.g. shopsmart init my_layer'],
    ['../escape', 'e.g. shopsmart init escape'],
  ])('refuses the bad name %j with a hint, exit 2, nothing written', async (name, hint) => {
    const dir = workspace();
    const before = snapshot(dir);
    const { code, stderr } = await shopsmart(['init', name, '--project-dir', dir]);
    expect(code).toBe(2);
    expect(stderr).toContain(`error: '${name}' is not a valid layer name`);
    expect(stderr).toContain(`hint: ${hint}`);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(snapshot(dir)).toEqual(before);
  });

  it.each([
    ['base', "the project already has a layer named 'base'"],
    ['taken', 'packages/taken already exists'],
    ['used-elsewhere', 'a workspace package is already named @shopsmart/used-elsewhere (packages/taken)'],
  ])('refuses the existing name %j, exit 2, nothing written', async (name, message) => {
    const dir = workspace();
    const before = snapshot(dir);
    const { code, stderr } = await shopsmart(['init', name, '--project-dir', dir]);
    expect(code).toBe(2);
    expect(stderr).toContain(`error: ${message}`);
    expect(stderr).toContain('hint:');
    expect(snapshot(dir)).toEqual(before);
  });

  it('a second init of the same name is refused and leaves the first one alone', async () => {
    const dir = workspace();
    expect((await shopsmart(['init', 'desk', '--project-dir', dir])).code).toBe(0);
    const before = snapshot(dir);
    const again = await shopsmart(['init', 'desk', '--project-dir', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('packages/desk already exists');
    expect(snapshot(dir)).toEqual(before);
  });

  it('outside a workspace: exit 2, names --project-dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shopsmart-init-empty-'));
    dirs.push(dir);
    const { code, stderr } = await shopsmart(['init', 'desk', '--project-dir', dir]);
    expect(code).toBe(2);
    expect(stderr).toContain('no shopsmart.yml in');
    expect(stderr).toContain('--project-dir');
    expect(readdirSync(dir)).toEqual([]);
  });
});
