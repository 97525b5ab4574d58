import { describe, expect, it } from 'vitest';
import { aliasLimitedRelations, limitedRelation } from '../src/template/sql-compiler.js';

// `--empty` reads each ref and source through a subquery; PostgreSQL before 16 wants an alias on
// every subquery in FROM, while a model's own alias after a ref must stay valid.
describe('the --empty subquery alias', () => {
  const orders = limitedRelation('"main"."stg_orders"');

  it('aliases a bare ref as dbt does', () => {
    expect(aliasLimitedRelations(`select * from ${orders}`)).toBe(
      `select * from ${orders} "_dbt_limit_subq_stg_orders"`,
    );
    expect(aliasLimitedRelations(`select * from ${orders} where id > 1`)).toBe(
      `select * from ${orders} "_dbt_limit_subq_stg_orders" where id > 1`,
    );
    expect(aliasLimitedRelations(`select * from ${orders}\nleft join x on true`)).toBe(
      `select * from ${orders} "_dbt_limit_subq_stg_orders"\nleft join x on true`,
    );
    expect(aliasLimitedRelations(`with a as (select * from ${orders}) select * from a`)).toBe(
      `with a as (select * from ${orders} "_dbt_limit_subq_stg_orders") select * from a`,
    );
  });

  it("leaves the model's own alias in place", () => {
    for (const sql of [
      `select o.id from ${orders} as o`,
      `select o.id from ${orders} o where o.id > 1`,
      `select o.id from ${orders} AS "o"`,
      `select o.id from ${orders}\n    as o`,
    ])
      expect(aliasLimitedRelations(sql)).toBe(sql);
  });

  it('names the alias after the relation, three-part names included', () => {
    const relation = limitedRelation('"wh"."main"."odd ""name"""');
    expect(aliasLimitedRelations(`select 1 from ${relation}, b`)).toBe(
      `select 1 from ${relation} "_dbt_limit_subq_odd ""name""", b`,
    );
  });
});
