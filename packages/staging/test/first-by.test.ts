import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildManifest,
  defineLayer,
  defineProject,
  EventBus,
  executeRun,
  type RunResults,
} from '@shopsmart/core-runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryWarehouse } from './query-warehouse.js';

/**
 * first_by / last_by: DuckDB's arg_min_null / arg_max_null form (duckdb__first_by) picks the same
 * row as the ordered array_agg form Postgres runs (default__first_by), which both run on DuckDB
 * here side by side — ties on the first key broken by the next, a null value on the chosen row
 * returned, `filter` applied, a negated key sorting descending. The macro file is staging's own,
 * loaded into a scratch layer named `staging` so that its dispatch namespace resolves.
 */
let dir: string;
let warehouse: string;
let results: RunResults;

const events = `select * from (values
    (1, 10, 1, 'a', 'x'),
    (1, 10, 2, 'b', null),
    (1, 20, 3, null, 'y'),
    (1, 5, 9, null, null),
    (2, 7, 4, 'c', 'z'),
    (2, 7, 3, 'd', null),
    (2, 7, 5, null, null),
    (3, 1, 1, null, null),
    (3, 2, 2, 'e', null)
) as t (group_id, sort_key, event_id, value, other)
`;

const both = (form: string) => `
select
    group_id,
    ${form}('value', ['sort_key', 'event_id'], none, false) }} as first_value,
    ${form}('value', ['sort_key', 'event_id'], none, true) }} as last_value,
    ${form}('value', ['sort_key', 'event_id'], 'value is not null', false) }} as first_known_value,
    ${form}('other', ['sort_key', 'event_id'], 'other is not null', true) }} as last_known_other,
    ${form}('value', ['-sort_key', 'event_id'], none, false) }} as value_of_highest_key,
    ${form}('event_id', 'event_id', none, false) }} as first_event_id
from {{ ref('first_by_events') }}
group by group_id
`;

const query = (sql: string) => queryWarehouse(warehouse, sql);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shopsmart-first-by-'));
  warehouse = join(dir, 'wh.duckdb');
  const root = join(dir, 'layer');
  mkdirSync(join(root, 'macros'), { recursive: true });
  mkdirSync(join(root, 'models'), { recursive: true });
  copyFileSync(new URL('../macros/first_by.sql', import.meta.url), join(root, 'macros', 'first_by.sql'));
  writeFileSync(join(root, 'dbt_project.yml'), "name: staging\nversion: '0.1.0'\nconfig-version: 2\n");
  writeFileSync(join(root, 'models', 'first_by_events.sql'), events);
  writeFileSync(join(root, 'models', 'first_by_duckdb.sql'), both('{{ duckdb__first_by'));
  writeFileSync(join(root, 'models', 'first_by_default.sql'), both('{{ default__first_by'));
  writeFileSync(
    join(root, 'models', 'first_by_dispatched.sql'),
    `select
    group_id,
    {{ first_by('value', ['sort_key', 'event_id']) }} as first_value,
    {{ last_by('value', ['sort_key', 'event_id']) }} as last_value,
    {{ first_by('value', ['sort_key', 'event_id'], filter='value is not null') }} as first_known_value
from {{ ref('first_by_events') }}
group by group_id
`,
  );
  const layer = defineLayer({ name: 'staging', root });
  const definition = defineProject({
    name: 'first_by_test',
    rootDir: dir,
    layers: [layer],
    warehousePath: warehouse,
    threads: 1,
  });
  const project = buildManifest({ definition, target: definition.targets.dev as never });
  results = await executeRun(project, { command: 'build', events: new EventBus(), writeArtifacts: false });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('first_by / last_by', () => {
  it('builds every model', () => {
    const outcomes = results.results.map((r) =>
      `${r.uniqueId}: ${r.status} ${r.error?.message ?? ''}`.trim(),
    );
    expect(outcomes.sort()).toEqual([
      'model.staging.first_by_default: success',
      'model.staging.first_by_dispatched: success',
      'model.staging.first_by_duckdb: success',
      'model.staging.first_by_events: success',
    ]);
  });

  it('picks the same rows with arg_min_null/arg_max_null as with the ordered array_agg', async () => {
    const duckdb = await query('select * from first_by_duckdb order by group_id');
    const fallback = await query('select * from first_by_default order by group_id');
    expect(duckdb).toEqual(fallback);
    expect(duckdb).toEqual([
      {
        group_id: 1,
        first_value: null,
        last_value: null,
        first_known_value: 'a',
        last_known_other: 'y',
        value_of_highest_key: null,
        first_event_id: 1,
      },
      {
        group_id: 2,
        first_value: 'd',
        last_value: null,
        first_known_value: 'd',
        last_known_other: 'z',
        value_of_highest_key: 'd',
        first_event_id: 3,
      },
      {
        group_id: 3,
        first_value: null,
        last_value: 'e',
        first_known_value: 'e',
        last_known_other: null,
        value_of_highest_key: 'e',
        first_event_id: 1,
      },
    ]);
  });

  it('dispatches to the DuckDB form on DuckDB', async () => {
    const dispatched = await query('select * from first_by_dispatched order by group_id');
    const duckdb = await query(
      'select group_id, first_value, last_value, first_known_value from first_by_duckdb order by group_id',
    );
    expect(dispatched).toEqual(duckdb);
    const [view] = await query("select sql from duckdb_views() where view_name = 'first_by_dispatched'");
    // DuckDB stores the view with the tuple spelled row(…) and names quoted.
    expect(String(view?.sql)).toMatch(
      /arg_min_null\("value", main\."row"\(sort_key, event_id\)\) AS first_value/,
    );
    expect(String(view?.sql)).toMatch(
      /arg_max_null\("value", main\."row"\(sort_key, event_id\)\) AS last_value/,
    );
    expect(String(view?.sql)).not.toMatch(/array_agg/);
  });
});
