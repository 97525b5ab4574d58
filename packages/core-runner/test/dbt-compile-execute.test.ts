import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compileProject } from '../src/index.js';
import { type Fixture, loadAndRun, loadFixture, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

const introspective = [
  '{% if execute %}',
  "{% set n = run_query('select count(*) from ' ~ ref('a')).columns[0].values()[0] %}",
  '{% set cols = adapter.get_columns_in_relation(ref("a")) | map(attribute="name") | join("_") %}',
  "select {{ n }} as n, '{{ cols }}' as cols",
  '{% else %}',
  "select -1 as n, 'fallback' as cols",
  '{% endif %}',
].join('\n');

// https://docs.getdbt.com/reference/dbt-jinja-functions/execute : `execute` is True when dbt
// compiles or runs SQL (dbt compile renders against the warehouse), False while parsing.
describe('compile renders with execute true (docs.getdbt.com/reference/dbt-jinja-functions/execute)', () => {
  it('introspective models compile to their warehouse branch; the parse render stays execute false', async () => {
    const fx = writeFixture({
      'models/a.sql':
        "{{ config(materialized='table') }}select 1 as id, 'x' as label union all select 2, 'y'",
      'models/b.sql': introspective,
      'models/inc.sql': [
        "{{ config(materialized='incremental', unique_key='id') }}",
        "select * from {{ ref('a') }}",
        '{% if is_incremental() %}where id > (select max(id) from {{ this }}){% endif %}',
      ].join('\n'),
    });
    fixtures.push(fx);
    await loadAndRun(fx.dir, { command: 'run', threads: 1, select: ['a', 'inc'] });
    const project = await loadFixture(fx.dir);
    // Parsing never asks the warehouse: the parse render took the fallback branch.
    expect(project.parsed.get('model.fixture.b')?.code).toContain('fallback');
    const { compiled, errors } = await compileProject(project);
    expect(errors.size).toBe(0);
    expect(compiled.get('model.fixture.b')).toContain("select 2 as n, 'id_label' as cols");
    // is_incremental() is answered against the warehouse too (inc exists as a table).
    expect(compiled.get('model.fixture.inc')).toContain('where id > (select max(id) from "wh"."main"."inc")');
    const file = readFileSync(join(fx.dir, 'target/compiled/fixture/models/b.sql'), 'utf8');
    expect(file).toContain('select 2 as n');
    const manifest = JSON.parse(readFileSync(join(fx.dir, 'target/manifest.json'), 'utf8'));
    expect(manifest.nodes['model.fixture.b'].compiled_code).toContain('select 2 as n');
    // --full-refresh: is_incremental() is false, as in the run it describes.
    const full = await compileProject(project, { select: ['model.fixture.inc'], fullRefresh: true });
    expect(full.compiled.get('model.fixture.inc')).not.toContain('where id >');
    // A selected compile writes the selected nodes' code only, as dbt compile -s does.
    const selected = JSON.parse(readFileSync(join(fx.dir, 'target/manifest.json'), 'utf8'));
    expect(selected.nodes['model.fixture.inc'].compiled_code).toContain('from "wh"."main"."a"');
    expect(selected.nodes['model.fixture.inc'].compiled_code).not.toContain('where id >');
    expect(selected.nodes['model.fixture.b'].compiled_code).toBeUndefined();
  });
});
