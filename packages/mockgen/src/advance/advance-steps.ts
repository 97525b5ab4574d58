import { endOfDayS, type UtcDay } from '../options/as-of-date.js';
import { sizesForScale } from '../options/scale-sizes.js';
import type { Dictionaries } from '../reference/faker-dictionaries.js';
import { referenceSql, utmSourceCase } from '../reference/reference-sql.js';
import type { ReferenceSeeds } from '../reference/seed-reader.js';
import { createCalendarLookup, readCalendarDays } from '../sql/calendar-lookup.js';
import { calendarSql } from '../sql/calendar-sql.js';
import { customerPlanSql, customersTableSql } from '../sql/customers-sql.js';
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
import { orderPlanSql } from '../sql/order-plan-sql.js';
import { RANDOM_MACROS_SQL } from '../sql/random-macros-sql.js';
import { runRowSql } from '../sql/run-metadata-sql.js';
import { quoteIdent, type SqlContext } from '../sql/sql-context.js';
import { statusHistorySql } from '../sql/status-history-sql.js';
import {
  ANONYMOUS_SLOT,
  anonymousSessionsSql,
  buyerSessionsSql,
  FUNNEL,
  signupSessionsSql,
  trackedOrdersSql,
  WEB_ID_STRIDE,
} from '../sql/web-events-sql.js';
import type { DuckdbSession } from '../warehouse/duckdb-session.js';
import { packageVersion } from '../warehouse/package-version.js';
import type { Step } from '../warehouse/step-runner.js';
import type { AdvanceState } from './advance-state.js';
import { changeEdgeCasesSql, customerChangesSql, productChangesSql } from './catalog-changes-sql.js';
import { batchOrderStubSql } from './new-orders-sql.js';
import {
  transitionHistorySql,
  transitionMoneySql,
  transitionOrdersUpdateSql,
  transitionsSql,
} from './order-transitions-sql.js';

const DAY_S = 86_400;

export interface BatchInput {
  state: AdvanceState;
  schema: string;
  days: number;
  newAsOf: UtcDay;
  /** Seed of the batch's choices (who orders, what changes); defaults to the warehouse seed. */
  batchSeed: number;
  /** The real clock, epoch seconds: the batch stops there if its as-of has not ended yet. */
  nowS: number;
  seeds: ReferenceSeeds;
  dicts: Dictionaries;
}

/** Rows updated in place, per table, filled in while the steps run. */
export type UpdatedCounts = Record<string, number>;

/**
 * The steps of one advance batch, run inside one transaction: master-data drift, status
 * transitions of open orders, then the batch's new customers, orders and events.
 */
export function batchSteps(input: BatchInput, updated: UpdatedCounts): Step[] {
  const { state, seeds } = input;
  const t = quoteIdent(input.schema);
  const batch = state.lastBatch + 1;
  // the batch runs from the previous batch's clock to its own
  const previousEndS = state.clockS;
  const ctx: SqlContext = {
    seed: state.seed,
    batch,
    schema: t,
    startS: state.historyStart.epochS,
    endS: Math.max(previousEndS, Math.min(endOfDayS(input.newAsOf), input.nowS)),
    loadFloorS: previousEndS + 1,
  };
  const nDays = Math.round((input.newAsOf.epochS - state.historyStart.epochS) / DAY_S) + 1;
  const firstNewDay = Math.round((state.asOf.epochS - state.historyStart.epochS) / DAY_S) + 1;
  const generatedLastDay = Math.round((state.generatedAsOf.epochS - state.historyStart.epochS) / DAY_S);
  const reference = referenceSql(seeds, input.dicts);
  const utmSource = (expr: string) => utmSourceCase(seeds, expr);
  const changeParams = {
    batchSeed: input.batchSeed,
    days: input.days,
    fromS: previousEndS + 1,
    sizes: reference.sizes,
  };
  const sizes = sizesForScale(state.scale);
  const max = async (s: DuckdbSession, table: string) =>
    s.number(`select coalesce(max(id), 0) from ${t}.${table}`);
  const weightBetween = async (s: DuckdbSession, column: string, from: number, to: number) =>
    s.number(`select coalesce(sum(${column}), 0) from mg_calendar where day_idx between ${from} and ${to}`);
  const cumStart = async (s: DuckdbSession, column: string, day: number) =>
    s.number(`select ${column}_cum_start from mg_calendar where day_idx = ${day}`);

  return [
    {
      phase: 'prepare',
      run: async (s) => {
        await s.run(RANDOM_MACROS_SQL);
        await s.run(reference.sql);
        await s.run(calendarSql(state.historyStart.date, ctx.startS, nDays, ctx.endS));
        await s.run(`
          create or replace temp table mg_products as
          select p.id, p.list_price_cents, coalesce(sub.lag_hours, 48) as lag_hours, coalesce(sub.is_apparel, false) as is_apparel
          from (select distinct on (id) * from ${t}.products order by id, updated_at desc) as p
          left join mg_subcategories as sub on sub.subcategory_name = p.subcategory;`);
      },
    },
    {
      phase: 'change',
      table: 'products',
      run: async (s) => {
        await s.run(productChangesSql(ctx, changeParams));
        updated.products = await s.number('select count(*) from mg_product_changes');
        // prices and categories just changed: refresh what new lines and lags are computed from
        await s.run(`
          update mg_products as m set list_price_cents = c.list_price_cents,
            lag_hours = coalesce(sub.lag_hours, 48), is_apparel = coalesce(sub.is_apparel, false)
          from mg_product_changes as c left join mg_subcategories as sub on sub.subcategory_name = c.subcategory
          where m.id = c.id;`);
      },
    },
    {
      phase: 'change',
      table: 'customers',
      run: async (s) => {
        await s.run(customerChangesSql(ctx, changeParams));
        updated.customers = await s.number('select count(*) from mg_customer_changes');
        await s.run(changeEdgeCasesSql(ctx));
      },
    },
    {
      phase: 'transition',
      table: 'orders',
      run: async (s) => {
        await s.run(transitionsSql(ctx, previousEndS, state.refundCustomerId));
        updated.orders = await s.number('select count(*) from mg_transitions');
        await s.run(`insert into ${t}.order_status_history ${transitionHistorySql(ctx)};`);
        await s.run(transitionOrdersUpdateSql(ctx));
        await s.run(transitionMoneySql());
        await s.run(`insert into ${t}.payments ${paymentsSql(ctx, 'mg_transition_payments')};`);
        await s.run(`insert into ${t}.refunds ${refundsSql(ctx, 'mg_transition_refunds')};`);
      },
    },
    {
      phase: 'plan',
      run: async (s) => {
        const historyWeight = await weightBetween(s, 'signup_weight', 0, generatedLastDay);
        const batchWeight = await weightBetween(s, 'signup_weight', firstNewDay, nDays - 1);
        const count = Math.round(
          ((sizes.customers - sizes.legacyCustomers) * batchWeight) / Math.max(1, historyWeight),
        );
        const from = await cumStart(s, 'signup', firstNewDay);
        await s.run(
          customerPlanSql(ctx, {
            firstId: state.maxCustomerId + 1,
            count: Math.max(1, count),
            signupWeightFrom: from,
            signupWeightTo: from + batchWeight,
            sizes: reference.sizes,
            mode: { kind: 'batch' },
          }),
        );
      },
    },
    {
      phase: 'generate',
      table: 'orders',
      run: async (s) => {
        // carry on at the pace of the last 13 weeks, scaled by the batch's season and weekdays
        const recentFrom = firstNewDay - 91;
        const recentOrders = await s.number(
          `select count(*) from ${t}.orders where ordered_at > mg_ts(${previousEndS - 91 * DAY_S}) and ordered_at <= mg_ts(${previousEndS})`,
        );
        const recentWeight = await weightBetween(s, 'order_weight', recentFrom, firstNewDay - 1);
        const batchWeight = await weightBetween(s, 'order_weight', firstNewDay, nDays - 1);
        const firstOrders = await s.number('select count(*) from mg_customer_plan where n_orders > 0');
        const expected = Math.round((recentOrders * batchWeight) / Math.max(1, recentWeight));
        const from = await cumStart(s, 'order', firstNewDay);
        const maxOrderId = await max(s, 'orders');
        await s.run(
          batchOrderStubSql(ctx, {
            batchSeed: input.batchSeed,
            repeatOrders: Math.max(0, expected - firstOrders),
            weightFrom: from,
            weightTo: from + batchWeight,
            previousEndS,
            maxOrderId,
            lateShare: 0.03,
          }),
        );
        await s.run(
          orderPlanSql(ctx, {
            availableProductsSql: `${await s.number('select max(id) from mg_products')}`,
            refundCustomerId: state.refundCustomerId,
            lookups: await createPlanLookups(s),
          }),
        );
        const isNew = `order_id > ${maxOrderId}`;
        await s.run(
          `insert into ${t}.order_items ${orderItemsSql(ctx, 0, (await createPlanLookups(s)).products)};`,
        );
        await s.run(`insert into ${t}.orders ${ordersTableSql(ctx, `${t}.order_items`, isNew)};`);
        await s.run(`insert into ${t}.order_status_history ${statusHistorySql(ctx)};`);
        await s.run(
          `insert into ${t}.payments ${paymentsSql(ctx, shippedOrdersSql(`${t}.orders`, `id > ${maxOrderId}`))};`,
        );
        await s.run(`insert into ${t}.refunds ${refundsSql(ctx, returnedOrdersSql(ctx, `${t}.orders`))};`);
      },
    },
    {
      phase: 'generate',
      table: 'marketing_touches',
      run: async (s) => {
        // the batch's new customers are written once their touches are known: their
        // acquisition channel is the channel of their first touch
        await s.run(`create or replace temp table mg_touches as ${marketingTouchesSql(ctx)};`);
        await s.run(`insert into ${t}.customers ${customersTableSql(ctx, reference.sizes)};`);
        await s.run(`insert into ${t}.marketing_touches select * from mg_touches;`);
        await s.run('drop table mg_touches;');
      },
    },
    {
      phase: 'generate',
      table: 'web_events',
      run: async (s) => {
        const firstCustomer = state.maxCustomerId + 1;
        // anonymous sessions are numbered on from the last one (their ids end in 50–52)
        const lastSession = await s.number(
          `select coalesce(max(id // ${WEB_ID_STRIDE}), 0) from ${t}.web_events where id % ${WEB_ID_STRIDE} >= ${ANONYMOUS_SLOT}`,
        );
        const trackedOrders = await s.number(`select count(*) from ${trackedOrdersSql(state.seed)}`);
        const count = Math.round(trackedOrders * FUNNEL.anonymousSessionsPerTrackedOrder);
        const batchWeight = await weightBetween(s, 'order_weight', firstNewDay, nDays - 1);
        const from = await cumStart(s, 'order', firstNewDay);
        const parts = [
          buyerSessionsSql(ctx, { utmSource, customersRelation: `${t}.customers` }),
          signupSessionsSql(ctx, { utmSource }, firstCustomer),
        ];
        if (count > 0) {
          parts.push(
            anonymousSessionsSql(ctx, {
              utmSource,
              count,
              firstSession: lastSession + 1,
              weightFrom: from,
              weightTo: from + batchWeight,
              devicePool: Math.ceil(sizes.anonymousSessions / 2),
              products: await s.number('select max(id) from mg_products'),
              calendar: await createCalendarLookup(
                s,
                await readCalendarDays(s, ctx.startS),
                from,
                from + batchWeight,
              ),
              numbers: `(select range as i from range(${count}))`,
            }),
          );
        }
        await s.run(
          `insert into ${t}.web_events ${parts.map((p) => `select * from (${p})`).join(' union all ')};`,
        );
      },
    },
    {
      phase: 'metadata',
      table: '_mockgen_runs',
      run: async (s) =>
        s.run(
          `insert into ${t}._mockgen_runs ${runRowSql({
            batch,
            kind: 'advance',
            seed: input.batchSeed,
            scale: state.scale,
            asOf: input.newAsOf.date,
            historyStart: state.historyStart.date,
            days: input.days,
            clockS: ctx.endS,
            dirty: false,
            version: packageVersion(),
          })};`,
        ),
    },
  ];
}
