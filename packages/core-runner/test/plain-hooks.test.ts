import { afterEach, describe, expect, it } from 'vitest';
import { renderPlainHook } from '../src/materialize/run-hooks.js';
import { SqlCompiler } from '../src/template/sql-compiler.js';
import { type Fixture, loadAndRun, loadFixture, queryWarehouse, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

const audit = (text: string) =>
  `insert into {{ target.schema }}.audit_log select '${text}', '{{ invocation_id }}', now()`;

// Hooks as a project configures them (dbt_project.yml), where they stay as written until they run.
const files = {
  'models/audited.sql': 'select 1 as id',
  'models/audited_with_logic.sql': "{{ config(materialized='view') }}\nselect 2 as id",
  'dbt_project.yml': `name: fixture
profile: fixture
on-run-start:
  - "create table if not exists {{ target.schema }}.audit_log (entry varchar, invocation varchar, logged_at timestamp)"
models:
  fixture:
    +materialized: table
    audited:
      +pre-hook: ${JSON.stringify(audit('{{ this.identifier }} in {{ this.schema }} on {{target.name}}'))}
    audited_with_logic:
      +post-hook:
        - ${JSON.stringify(audit('{% if true %}{{ this.identifier }}{% endif %}'))}
        - ${JSON.stringify(audit('{{ this }}'))}
`,
};

describe('hooks whose only Jinja prints target, this and invocation_id', () => {
  it('render without the engine to the text the engine renders; any other Jinja goes to the engine', async () => {
    const fx = writeFixture(files);
    fixtures.push(fx);
    const project = await loadFixture(fx.dir);
    const compiler = new SqlCompiler(project);
    const warehouse = {
      query: async () => ({ column_names: [], rows: [], columns: [] }),
      columns: async () => [],
      relation: async () => undefined,
    } as never;
    const node = (name: string) =>
      Object.values(project.manifest.nodes).find((n) => n.name === name) as Parameters<
        typeof renderPlainHook
      >[1];
    const audited = node('audited');
    const [hook] = audited.config.pre_hook as string[];
    const plain = renderPlainHook(hook as string, audited, project);
    expect(plain).toBe(
      `insert into main.audit_log select 'audited in main on dev', '${project.invocationId}', now()`,
    );
    expect(plain).toBe(
      await compiler.renderWithWarehouse(audited, hook as string, { incremental: false, warehouse }),
    );
    const withLogic = node('audited_with_logic');
    for (const other of withLogic.config.post_hook as string[])
      expect(renderPlainHook(other, withLogic, project)).toBeUndefined();
  });

  it('run as hooks: each model logs itself, with the engine path and the plain path alike', async () => {
    const fx = writeFixture(files);
    fixtures.push(fx);
    const { results } = await loadAndRun(fx.dir, { command: 'run' });
    expect(results.success).toBe(true);
    const rows = await queryWarehouse(fx.warehouse, 'select entry from audit_log order by entry');
    expect(rows.map((r) => r.entry)).toEqual([
      '"wh"."main"."audited_with_logic"',
      'audited in main on dev',
      'audited_with_logic',
    ]);
    const invocations = await queryWarehouse(
      fx.warehouse,
      'select count(distinct invocation) as n from audit_log',
    );
    expect(Number(invocations[0]?.n)).toBe(1);
  });
});
