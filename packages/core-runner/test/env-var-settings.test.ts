import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildManifest, readProject } from '../src/index.js';
import {
  caught,
  type Fixture,
  loadAndRun,
  queryWarehouse,
  runFixture,
  writeFixture,
} from './fixture-project.js';

const fixtures: Fixture[] = [];
const setVars: string[] = [];
/** Sets environment variables for one test; they are removed afterwards. */
function setEnv(vars: Record<string, string>): void {
  for (const [name, value] of Object.entries(vars)) {
    process.env[name] = value;
    setVars.push(name);
  }
}
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
  for (const name of setVars.splice(0)) delete process.env[name];
});

/** Every file under `dir`, recursively, relative paths. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** A shopsmart.yml project with one local layer `shop` holding `files`. */
function shopsmartFixture(targets: string, files: Record<string, string> = {}): Fixture {
  const fx = writeFixture(
    {
      'shopsmart.yml': `name: envproject\nlayers:\n  - name: shop\n    path: shop\ntarget: dev\ntargets:\n${targets}`,
      'shop/models/orders.sql': 'select 1 as order_id, 9.5 as amount\n',
      ...files,
    },
    { bare: true },
  );
  fixtures.push(fx);
  return fx;
}

describe('env_var() in shopsmart.yml targets', () => {
  it('renders path, schema and threads (with | int), and the build lands in the rendered file', async () => {
    setEnv({ SSA_EV_WAREHOUSE: 'wh-from-env', SSA_EV_THREADS: '3' });
    const fx = shopsmartFixture(
      [
        '  dev:',
        '    type: duckdb',
        `    path: "{{ env_var('SSA_EV_WAREHOUSE') }}/dev.duckdb"`,
        `    schema: "{{ env_var('SSA_EV_SCHEMA_UNSET', 'analytics') }}"`,
        `    threads: "{{ env_var('SSA_EV_THREADS') | int }}"`,
        '',
      ].join('\n'),
    );
    const definition = await readProject(fx.dir);
    const dev = definition.targets.dev;
    expect(dev).toMatchObject({
      path: join(fx.dir, 'wh-from-env', 'dev.duckdb'),
      schema: 'analytics',
      threads: 3,
    });
    if (!dev) throw new Error('no dev target');
    const outcome = await runFixture(buildManifest({ definition, target: dev }), { command: 'build' });
    expect(outcome.status.orders).toBe('success');
    expect(
      await queryWarehouse(dev.path, 'select order_id, amount::double as amount from analytics.orders'),
    ).toEqual([{ order_id: 1, amount: 9.5 }]);
    // Today's bug: a file or folder named after the Jinja text.
    expect(readdirSync(fx.dir).filter((name) => name.includes('{'))).toEqual([]);
  });

  it('an unset variable without a default is an error naming the file, key and line, with a hint', async () => {
    const fx = shopsmartFixture(
      ['  dev:', '    type: duckdb', `    path: "{{ env_var('SSA_EV_NEVER_SET') }}"`, ''].join('\n'),
    );
    const error = await caught(() => readProject(fx.dir));
    expect(error).toMatchObject({ code: 'SSA-ENV-404', file: 'shopsmart.yml', line: 9 });
    expect(error.message).toBe(
      "env_var('SSA_EV_NEVER_SET') is not set and has no default (in targets.dev.path)",
    );
    expect(error.hint).toContain("env_var('SSA_EV_NEVER_SET', '...')");
    expect(existsSync(join(fx.dir, 'warehouse'))).toBe(false);
  });

  it('only the chosen target has to render: an unset prod variable does not stop dev', async () => {
    const fx = shopsmartFixture(
      [
        '  dev:',
        '    path: dev.duckdb',
        '  prod:',
        `    path: "{{ env_var('SSA_EV_PROD_PATH') }}"`,
        `    threads: "{{ env_var('SSA_EV_PROD_THREADS') | int }}"`,
        '',
      ].join('\n'),
    );
    const definition = await readProject(fx.dir);
    expect(definition.targets.dev?.path).toBe(join(fx.dir, 'dev.duckdb'));
    const error = await caught(() => readProject(fx.dir, undefined, { target: 'prod' }));
    expect(error.constructor.name).toBe('ShopsmartErrorList');
    expect((error.errors as { code: string; line: number }[]).map((e) => [e.code, e.line])).toEqual([
      ['SSA-ENV-404', 10],
      ['SSA-ENV-404', 11],
    ]);
    // buildManifest on the broken target reports the same, whoever picked it.
    const prod = definition.targets.prod;
    if (!prod) throw new Error('no prod target');
    expect((await caught(() => buildManifest({ definition, target: prod }))).constructor.name).toBe(
      'ShopsmartErrorList',
    );
  });

  it('var() in a target reads --vars only, with a hint when missing', async () => {
    const fx = shopsmartFixture(['  dev:', `    path: "{{ var('warehouse_file') }}"`, ''].join('\n'), {
      'shop/dbt_project.yml': 'name: shop\nvars:\n  warehouse_file: not-for-profiles.duckdb\n',
    });
    const definition = await readProject(fx.dir, undefined, {
      cliVars: { warehouse_file: 'from-cli.duckdb' },
    });
    expect(definition.targets.dev?.path).toBe(join(fx.dir, 'from-cli.duckdb'));
    const error = await caught(() => readProject(fx.dir));
    expect(error).toMatchObject({ code: 'SSA-VAR-404', file: 'shopsmart.yml', line: 8 });
    expect(error.hint).toContain('sees only --vars');
  });
});

describe('env_var() in a dbt profiles.yml and dbt_project.yml', () => {
  const profile = (output: string) =>
    `fixture:\n  target: "{{ env_var('SSA_EV_TARGET', 'dev') }}"\n  outputs:\n    dev:\n      type: duckdb\n${output}`;

  it('renders profile outputs, the profile target, and dbt_project.yml configs with target', async () => {
    setEnv({ SSA_EV_DB_FILE: 'from-env.duckdb', SSA_EV_CUSTOM_SCHEMA: 'reporting' });
    const fx = writeFixture({
      'profiles.yml': profile(
        [
          `      path: "{{ env_var('SSA_EV_DB_FILE') }}"`,
          `      threads: "{{ env_var('SSA_EV_UNSET_THREADS', '2') | as_number }}"`,
          '',
        ].join('\n'),
      ),
      'dbt_project.yml': [
        'name: fixture',
        `profile: "{{ env_var('SSA_EV_PROFILE', 'fixture') }}"`,
        'vars:',
        `  kept_as_text: "{{ this_is_not_rendered_when_loading }}"`,
        'on-run-start:',
        `  - "create table if not exists {{ target.schema }}.started (started_at timestamp)"`,
        'models:',
        '  fixture:',
        `    +schema: "{{ env_var('SSA_EV_CUSTOM_SCHEMA') }}"`,
        `    +materialized: "{{ 'table' if target.name == 'dev' else 'view' }}"`,
        `    +pre-hook: "insert into {{ target.schema }}.started values (now())"`,
        '',
      ].join('\n'),
      'models/orders.sql': 'select 1 as order_id\n',
    });
    fixtures.push(fx);
    const { project, status } = await loadAndRun(fx.dir, { command: 'build' });
    expect(project.target).toMatchObject({ name: 'dev', path: join(fx.dir, 'from-env.duckdb'), threads: 2 });
    expect(status.orders).toBe('success');
    const node = project.manifest.nodes['model.fixture.orders'];
    expect(node?.config.materialized).toBe('table');
    expect(node?.relation).toEqual({ database: 'from-env', schema: 'main_reporting', identifier: 'orders' });
    const path = join(fx.dir, 'from-env.duckdb');
    expect(
      await queryWarehouse(
        path,
        "select table_type from information_schema.tables where table_schema = 'main_reporting' and table_name = 'orders'",
      ),
    ).toEqual([{ table_type: 'BASE TABLE' }]);
    // Hooks were rendered when they ran (target.schema), not when the file was read.
    expect(await queryWarehouse(path, 'select count(*)::integer as n from main.started')).toEqual([{ n: 1 }]);
  });

  it('an unset variable in profiles.yml or dbt_project.yml is an error naming file, key and line', async () => {
    const inProfile = writeFixture({
      'profiles.yml': profile(`      path: "{{ env_var('SSA_EV_NOPE') }}"\n`),
    });
    const inProject = writeFixture({
      'dbt_project.yml': `name: fixture\nprofile: fixture\nmodels:\n  fixture:\n    +schema: "{{ env_var('SSA_EV_NOPE_EITHER') }}"\n`,
      'models/a.sql': 'select 1 as x\n',
    });
    fixtures.push(inProfile, inProject);
    const profileError = await caught(() => readProject(inProfile.dir));
    expect(profileError).toMatchObject({ code: 'SSA-ENV-404', line: 6 });
    expect(String(profileError.file)).toMatch(/profiles\.yml$/);
    expect(profileError.message).toContain('(in fixture.outputs.dev.path)');
    const projectError = await caught(async () => {
      const definition = await readProject(inProject.dir);
      return buildManifest({ definition, target: definition.targets.dev as never });
    });
    expect(projectError).toMatchObject({ code: 'SSA-ENV-404', line: 5 });
    expect(String(projectError.file)).toMatch(/dbt_project\.yml$/);
    expect(projectError.message).toContain('(in models.fixture.+schema)');
  });
});

describe('DBT_ENV_SECRET_* variables', () => {
  const secret = 'xK9-very-secret-Tq2';

  it('work in connection settings and never reach events, errors or artifacts', async () => {
    setEnv({ DBT_ENV_SECRET_WAREHOUSE_TOKEN: secret, DBT_ENV_SECRET_PASSWORD: `${secret}-pw` });
    const fx = writeFixture({
      'profiles.yml': [
        'fixture:',
        '  target: dev',
        '  outputs:',
        '    dev:',
        '      type: duckdb',
        `      path: "{{ env_var('DBT_ENV_SECRET_WAREHOUSE_TOKEN') }}.duckdb"`,
        `      password: "{{ env_var('DBT_ENV_SECRET_PASSWORD') }}"`,
        '      region: eu',
        '',
      ].join('\n'),
      // The secret's value written literally in a model is scrubbed from what is reported, too.
      'models/orders.sql': `select 1 as order_id, '${secret}' as note, '{{ target.region }}' as region\n`,
      'models/_models.yml':
        'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: order_id\n        data_tests: [not_null]\n',
    });
    fixtures.push(fx);
    const { project, events, results } = await loadAndRun(fx.dir, { command: 'build' });
    expect(results.success).toBe(true);
    // The connection used the real value…
    const warehouse = join(fx.dir, `${secret}.duckdb`);
    expect(project.target.path).toBe(warehouse);
    expect(await queryWarehouse(warehouse, 'select note, region from main.orders')).toEqual([
      { note: secret, region: 'eu' },
    ]);
    // …and nothing reported or written shows it.
    expect(JSON.stringify(events)).not.toContain(secret);
    const written = filesUnder(join(fx.dir, 'target'));
    expect(written.map((f) => f.slice(fx.dir.length + 1)).sort()).toEqual(
      expect.arrayContaining(['target/manifest.json', 'target/run_results.json']),
    );
    for (const file of written) expect(readFileSync(file, 'utf8'), file).not.toContain(secret);
    expect(readFileSync(join(fx.dir, 'target', 'manifest.json'), 'utf8')).toContain("'*****' as note");
  });

  it('a database error quoting a secret shows it masked', async () => {
    setEnv({ DBT_ENV_SECRET_DIR: secret });
    const fx = writeFixture({
      'profiles.yml': `fixture:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: "{{ env_var('DBT_ENV_SECRET_DIR') }}.duckdb"\n`,
      // A folder where the warehouse file should be: DuckDB cannot open it and names the path.
      [`${secret}.duckdb/placeholder`]: '',
      'models/a.sql': 'select 1 as x\n',
    });
    fixtures.push(fx);
    const { results, events } = await loadAndRun(fx.dir, { command: 'run' }).catch(
      async (error: Error & { file?: string }) => ({
        results: { success: false, message: error.message, file: error.file },
        events: [error.message],
      }),
    );
    expect(results.success).toBe(false);
    const reported = JSON.stringify({ results, events });
    expect(reported).not.toContain(secret);
    expect(reported).toContain('*****');
  });

  it('are an error anywhere but connection settings: models and dbt_project.yml', async () => {
    setEnv({ DBT_ENV_SECRET_API_KEY: secret });
    const inModel = writeFixture({
      'models/a.sql': `select '{{ env_var('DBT_ENV_SECRET_API_KEY') }}' as key\n`,
    });
    const inProject = writeFixture({
      'dbt_project.yml': `name: fixture\nprofile: fixture\nmodels:\n  fixture:\n    +alias: "{{ env_var('DBT_ENV_SECRET_API_KEY') }}"\n`,
      'models/a.sql': 'select 1 as x\n',
    });
    fixtures.push(inModel, inProject);
    for (const fx of [inModel, inProject]) {
      const error = await caught(async () => {
        const definition = await readProject(fx.dir);
        return buildManifest({ definition, target: definition.targets.dev as never });
      });
      expect(error.code).toBe('SSA-ENV-403');
      expect(error.message).toContain("env_var('DBT_ENV_SECRET_API_KEY') reads a secret");
      expect(error.hint).toContain('profiles.yml');
      expect(JSON.stringify({ message: error.message, hint: error.hint })).not.toContain(secret);
    }
  });
});
