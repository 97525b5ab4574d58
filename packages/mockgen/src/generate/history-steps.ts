import type { GeneratePlan } from '../options/generate-options.js';
import type { Dictionaries } from '../reference/faker-dictionaries.js';
import { type ReferenceSizes, referenceSql, utmSourceCase } from '../reference/reference-sql.js';
import type { ReferenceSeeds } from '../reference/seed-reader.js';
import { createCalendarLookup, readCalendarDays } from '../sql/calendar-lookup.js';
import { calendarSql } from '../sql/calendar-sql.js';
import { customerPlanSql, customersTableSql } from '../sql/customers-sql.js';
import {
  applyDefectsSql,
  DEFECT_TARGETS,
  DEFECTS_COLUMNS,
  defectCount,
  pickSql,
} from '../sql/dirty-defects-sql.js';
import { EDGE_CASES_COLUMNS, edgeCaseRowsSql } from '../sql/edge-cases-sql.js';
import { createPlanLookups } from '../sql/list-lookup.js';
import { marketingTouchesSql } from '../sql/marketing-touches-sql.js';
import { orderItemsSql } from '../sql/order-lines-sql.js';
import {
  ordersTableSql,
  paymentsSql,
  refundsSql,
  returnedOrdersSql,
  shippedOrdersSql,
} from '../sql/order-money-sql.js';
import { historyOrderStubSql, orderPlanSql } from '../sql/order-plan-sql.js';
import { productPlanSql, productsTableSql } from '../sql/products-sql.js';
import { RANDOM_MACROS_SQL } from '../sql/random-macros-sql.js';
import { RUNS_COLUMNS, runRowSql } from '../sql/run-metadata-sql.js';
import { quoteIdent, type SqlContext } from '../sql/sql-context.js';
import { statusHistorySql } from '../sql/status-history-sql.js';
import { anonymousSessionsSql, buyerSessionsSql, signupSessionsSql } from '../sql/web-events-sql.js';
import type { DuckdbSession } from '../warehouse/duckdb-session.js';
import { packageVersion } from '../warehouse/package-version.js';
import { METADATA_TABLES, RAW_TABLES } from '../warehouse/raw-tables.js';
import type { Step } from '../warehouse/step-runner.js';

const DAY_S = 86_400;

/** Ids picked while generating (edge cases) that later steps need. */
interface Picked {
  refundCustomerId: number;
  oneOrderCustomerId: number;
  freeGiftOrderId: number;
}

/**
 * The steps of a full generation, in order. Everything runs inside the caller's transaction;
 * temp tables (mg_*) carry plans from one step to the next.
 */
export function historySteps(plan: GeneratePlan, seeds: ReferenceSeeds, dicts: Dictionaries): Step[] {
  const schema = quoteIdent(plan.schema);
  const ctx: SqlContext = {
    seed: plan.seed,
    batch: 0,
    schema,
    startS: plan.historyStart.epochS,
    endS: plan.clockEndS,
    loadFloorS: 0,
  };
  const { sizes } = plan;
  const nDays = Math.round((plan.asOf.epochS - plan.historyStart.epochS) / DAY_S) + 1;
  // products launch one by one up to the clock (the as-of's end, or now when that comes first)
  const launchSlotS = Math.floor(
    (plan.clockEndS + 1 - ctx.startS) / Math.max(1, sizes.products - sizes.baseProducts),
  );
  const recategorisedId = 2 + (plan.seed % Math.min(8, sizes.products - 2));
  const reference = referenceSql(seeds, dicts);
  const refSizes: ReferenceSizes = reference.sizes;
  const utmSource = (expr: string) => utmSourceCase(seeds, expr);
  const picked: Picked = { refundCustomerId: 0, oneOrderCustomerId: 0, freeGiftOrderId: 0 };
  const table = (name: string, select: string) => async (s: DuckdbSession) =>
    s.run(`create table ${schema}.${name} as ${select};`);

  return [
    {
      phase: 'prepare',
      run: async (s) => {
        await s.run(RANDOM_MACROS_SQL);
        await s.run(reference.sql);
        await s.run(calendarSql(plan.historyStart.date, ctx.startS, nDays, ctx.endS));
        await s.run(`create schema if not exists ${schema};`);
        for (const name of [...RAW_TABLES, ...METADATA_TABLES])
          await s.run(`drop table if exists ${schema}.${name};`);
      },
    },
    {
      phase: 'generate',
      table: 'products',
      run: async (s) => {
        await s.run(
          productPlanSql(ctx, {
            products: sizes.products,
            baseProducts: sizes.baseProducts,
            launchSlotS,
            recategorisedId,
            sizes: refSizes,
          }),
        );
        await table('products', productsTableSql(ctx))(s);
      },
    },
    {
      phase: 'plan',
      run: async (s) => {
        const totalSignupWeight = await s.number('select sum(signup_weight) from mg_calendar');
        await s.run(
          customerPlanSql(ctx, {
            firstId: 1,
            count: sizes.customers,
            signupWeightFrom: 0,
            signupWeightTo: totalSignupWeight,
            sizes: refSizes,
            mode: {
              kind: 'history',
              ordersTotal: sizes.orders,
              forcedNoOrderId: Math.max(1, Math.floor(sizes.customers / 3)),
              legacyCount: sizes.legacyCustomers,
              forcedMoverId: 2,
            },
          }),
        );
        // Edge cases: a customer with 2–3 orders, all old enough to be returned and refunded by
        // the as-of; and a different customer with exactly one order.
        picked.refundCustomerId = await s.number(`
          select customer_id from mg_customer_plan
          where n_orders between 2 and 3 and window_end_s < ${ctx.endS - 60 * DAY_S}
          order by mg_h(${ctx.seed}, customer_id, 130) limit 1`);
        picked.oneOrderCustomerId = await s.number(`
          select min(customer_id) from mg_customer_plan
          where n_orders = 1 and customer_id <> ${picked.refundCustomerId}`);
      },
    },
    {
      phase: 'plan',
      run: async (s) => {
        await s.run(historyOrderStubSql(ctx));
        await s.run(
          orderPlanSql(ctx, {
            availableProductsSql: `least(${sizes.products}, ${sizes.baseProducts} + greatest(0, (st.ordered_s - ${ctx.startS}) // ${launchSlotS}))`,
            refundCustomerId: picked.refundCustomerId,
            lookups: await createPlanLookups(s),
          }),
        );
        // temp tables live in memory: drop each as soon as it is used up
        await s.run('drop table mg_order_stub;');
        picked.freeGiftOrderId = await s.number(`
          select min(order_id) from mg_order_plan
          where n_lines >= 2 and not is_cancelled and customer_id <> ${picked.refundCustomerId}
            and order_id >= ${Math.floor(sizes.orders / 2)}`);
      },
    },
    {
      phase: 'generate',
      table: 'customers',
      run: async (s) => {
        // touches first: a customer's acquisition channel is the channel of their first touch
        await s.run(`create or replace temp table mg_touches as ${marketingTouchesSql(ctx)};`);
        await table('customers', customersTableSql(ctx, refSizes))(s);
      },
    },
    {
      phase: 'generate',
      table: 'order_items',
      run: async (s) =>
        table(
          'order_items',
          orderItemsSql(ctx, picked.freeGiftOrderId, (await createPlanLookups(s)).products),
        )(s),
    },
    {
      phase: 'generate',
      table: 'orders',
      run: table('orders', ordersTableSql(ctx, `${schema}.order_items`, 'true')),
    },
    {
      phase: 'generate',
      table: 'order_status_history',
      run: table('order_status_history', statusHistorySql(ctx)),
    },
    {
      phase: 'generate',
      table: 'payments',
      run: table('payments', paymentsSql(ctx, shippedOrdersSql(`${schema}.orders`, 'true'))),
    },
    {
      phase: 'generate',
      table: 'refunds',
      run: table('refunds', refundsSql(ctx, returnedOrdersSql(ctx, `${schema}.orders`))),
    },
    {
      phase: 'generate',
      table: 'marketing_touches',
      run: async (s) => {
        await table('marketing_touches', 'select * from mg_touches')(s);
        await s.run('drop table mg_touches;');
      },
    },
    {
      phase: 'generate',
      table: 'web_events',
      run: async (s) => {
        const totalOrderWeight = await s.number('select sum(order_weight) from mg_calendar');
        await table(
          'web_events',
          `select * from (${buyerSessionsSql(ctx, { utmSource, customersRelation: `${schema}.customers` })})
          union all select * from (${signupSessionsSql(ctx, { utmSource }, sizes.legacyCustomers + 1)})`,
        )(s);
        // The anonymous sessions (most of the table) in a second insert that reads a numbers
        // table and no join: one parallel pass on both cores into a batch insert, in the same
        // row order as a union after the two parts above.
        const count = sizes.anonymousSessions;
        await s.run(`create or replace temp table mg_numbers as select range as i from range(${count});`);
        await s.run(
          `insert into ${schema}.web_events ${anonymousSessionsSql(ctx, {
            utmSource,
            count,
            firstSession: 1,
            weightFrom: 0,
            weightTo: totalOrderWeight,
            devicePool: Math.ceil(count / 2),
            products: sizes.products,
            calendar: await createCalendarLookup(
              s,
              await readCalendarDays(s, ctx.startS),
              0,
              totalOrderWeight,
            ),
            numbers: 'mg_numbers',
          })};`,
        );
        await s.run('drop table mg_numbers;');
      },
    },
    {
      phase: 'metadata',
      table: '_mockgen_edge_cases',
      run: async (s) => {
        await s.run(`create table ${schema}._mockgen_edge_cases (${EDGE_CASES_COLUMNS});`);
        await s.run(
          `insert into ${schema}._mockgen_edge_cases ${edgeCaseRowsSql(ctx, { ...picked, recategorisedProductId: recategorisedId })};`,
        );
      },
    },
    {
      phase: plan.dirty ? 'dirty' : 'metadata',
      table: '_mockgen_defects',
      run: async (s) => {
        await s.run(`create table ${schema}._mockgen_defects (${DEFECTS_COLUMNS});`);
        if (!plan.dirty) return;
        await pickDefects(s, ctx, picked, recategorisedId);
        const maxCustomer = await s.number(`select max(id) from ${schema}.customers`);
        const maxOrder = await s.number(`select max(id) from ${schema}.orders`);
        await s.run(applyDefectsSql(ctx, maxCustomer, maxOrder));
        await s.run(
          `insert into ${schema}._mockgen_defects select * from mg_defects order by table_name, defect, row_id;`,
        );
      },
    },
    {
      phase: 'metadata',
      table: '_mockgen_runs',
      run: async (s) => {
        await s.run(`create table ${schema}._mockgen_runs (${RUNS_COLUMNS});`);
        await s.run(
          `insert into ${schema}._mockgen_runs ${runRowSql({
            batch: 0,
            kind: 'generate',
            seed: plan.seed,
            scale: plan.scale,
            asOf: plan.asOf.date,
            historyStart: plan.historyStart.date,
            days: null,
            clockS: ctx.endS,
            dirty: plan.dirty,
            version: packageVersion(),
          })};`,
        );
      },
    },
  ];
}

/** mg_defects: which rows each defect goes to, chosen away from the edge-case rows. */
async function pickDefects(
  s: DuckdbSession,
  ctx: SqlContext,
  picked: Picked,
  recategorisedId: number,
): Promise<void> {
  const t = ctx.schema;
  const edgeCustomers = `${picked.refundCustomerId}, ${picked.oneOrderCustomerId}`;
  const excluded: Record<string, string> = {
    order_items: `select id from ${t}.order_items where order_id = ${picked.freeGiftOrderId} or discount_pct = 100`,
    orders: `select id from ${t}.orders where customer_id in (${edgeCustomers}) or id = ${picked.freeGiftOrderId}`,
    customers: `select unnest([${edgeCustomers}])`,
    payments: 'select -1',
    products: `select ${recategorisedId}`,
  };
  const parts: string[] = [];
  for (const [i, table] of Object.keys(excluded).entries()) {
    const rows = await s.number(`select count(*) from ${t}.${table}`);
    const targets = DEFECT_TARGETS.filter((d) => d.table === table);
    // at least two products: one slice may hold the recategorised product, which stays clean
    const count =
      table === 'products' ? Math.max(2, Math.min(5, Math.round(rows * 0.03))) : defectCount(rows);
    parts.push(pickSql(ctx, table, rows, count, targets, 620 + i, excluded[table] as string));
  }
  await s.run(
    `create or replace temp table mg_defects as ${parts.map((p) => `select * from (${p})`).join(' union all ')};`,
  );
}
