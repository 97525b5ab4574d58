import { generateWarehouse } from '@shopsmart/mockgen';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, openShopsmart, problems, query, scratch } from './shopsmart-project.js';

const place = scratch('e2e-clean');
let outcome: Awaited<ReturnType<typeof build>>;
let project: Awaited<ReturnType<typeof openShopsmart>>;

beforeAll(async () => {
  await generateWarehouse({ warehousePath: place.warehouse, scale: 0.05, seed: 11, asOf: '2026-06-30' });
  project = await openShopsmart(place.dir, place.warehouse);
  outcome = await build(project);
}, 240_000);

afterAll(() => place.remove());

describe('the ShopSmart project on a clean generated warehouse', () => {
  it('builds every seed, model and snapshot and passes every data and unit test', () => {
    expect(problems(project, outcome)).toEqual([]);
    expect(outcome.results.filter((r) => r.status === 'skipped')).toEqual([]);
    expect(outcome.success).toBe(true);
  });

  it('is the whole project: every layer and well over 150 data tests', () => {
    const byType = (type: string) => outcome.results.filter((r) => r.uniqueId.startsWith(`${type}.`)).length;
    const layers = new Set(outcome.results.map((r) => r.uniqueId.split('.')[1]));
    expect([...layers].sort()).toEqual(['business_rules', 'intermediate', 'marts', 'staging']);
    expect(byType('model')).toBeGreaterThan(40);
    expect(byType('snapshot')).toBe(3);
    expect(byType('test')).toBeGreaterThan(150);
  });

  it('writes the marts as tables and the staging models as views', async () => {
    const kinds = await query(
      place.warehouse,
      "select table_name, table_type from information_schema.tables where table_name in ('stg_ecommerce__orders', 'fct_orders', 'dim_customers')  order by 1",
    );
    expect(kinds).toEqual([
      { table_name: 'dim_customers', table_type: 'BASE TABLE' },
      { table_name: 'fct_orders', table_type: 'BASE TABLE' },
      { table_name: 'stg_ecommerce__orders', table_type: 'VIEW' },
    ]);
  });

  it('holds percent values (0–100 scale) in every _pct column, each documented as a percentage', async () => {
    const models = Object.values(project.manifest.nodes).filter(
      (n) => n.resourceType === 'model' && n.relation,
    );
    const checked: string[] = [];
    for (const model of models) {
      const { schema, identifier } = model.relation as { schema: string; identifier: string };
      const columns = await query(
        place.warehouse,
        `select column_name from information_schema.columns where table_schema = '${schema}' and table_name = '${identifier}' and column_name like '%\\_pct' escape '\\'`,
      );
      for (const { column_name: column } of columns as { column_name: string }[]) {
        const where = `${model.name}.${column}`;
        const description = model.columns[column]?.description ?? '';
        expect(description, `${where} says it is a percentage`).toMatch(/percent|%|× ?100/i);
        const [stats] = await query(
          place.warehouse,
          `select count(*) filter (where "${column}" <> 0)::integer as nonzero, max(abs("${column}"))::double as largest from "${schema}"."${identifier}"`,
        );
        // A fraction under a _pct name never exceeds 1; a percentage column with data does somewhere.
        if ((stats?.nonzero as number) > 0)
          expect(stats?.largest as number, `${where} is 0–100, not 0–1`).toBeGreaterThan(1);
        checked.push(where);
      }
    }
    expect(checked.length).toBeGreaterThan(20);
  });

  it("materializes each intermediate model by its layer's rule: computed once per build", () => {
    const { nodes, childMap } = project.manifest;
    const intermediate = Object.values(nodes).filter(
      (n) => n.resourceType === 'model' && n.packageName === 'intermediate',
    );
    expect(intermediate.length).toBeGreaterThan(5);
    for (const model of intermediate) {
      const readers = (childMap[model.uniqueId] ?? []).filter(
        (id) => nodes[id]?.resourceType === 'model' || nodes[id]?.resourceType === 'analysis',
      );
      const tests = Object.values(nodes).filter(
        (n) => n.resourceType === 'test' && n.attachedNode === model.uniqueId,
      ).length;
      // An ephemeral model is computed by its one reader and again for its tests once they are
      // three or more (their stored copy); a view by each of its readers: either is a table when
      // that makes a second computation.
      const once = readers.length === 1 && tests < 3;
      const rule = {
        ephemeral: once,
        view: readers.length >= 2,
        table: !once && readers.length >= 1,
      }[model.config.materialized as string];
      expect({
        model: model.name,
        materialized: model.config.materialized,
        readers: readers.length,
        tests,
        rule,
      }).toMatchObject({ rule: true });
      expect(['ephemeral', 'view', 'table']).toContain(model.config.materialized);
    }
  });
});
