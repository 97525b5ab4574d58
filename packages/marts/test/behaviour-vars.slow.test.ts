import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BuiltLayer,
  buildLayer,
  failedNodes,
  generated,
} from '../../intermediate/test/support/layer-build.js';
import {
  type ColumnKind,
  compareRows,
  type Expected,
  summarize,
} from '../../intermediate/test/support/row-comparison.js';
import { layer } from '../src/index.js';
import {
  type BehaviourParams,
  defaultParams,
  readBehaviourRaw,
  sessionize,
  type UserAnswer,
  userAnswers,
} from './reference/behaviour-reference.js';

// 004's vars drive the logic they name: each build below changes one var (as `--vars` does) and
// the affected user_metrics columns must equal the reference computed with that value — and
// differ from the reference at the default value, so the var visibly changes the output. The
// last build also checks 004's two data-quality tests: warnings whose failing rows are stored.

const asOf = generated.asOf;
const select = ['+user_metrics'];
const builds: BuiltLayer[] = [];

afterAll(() => {
  for (const built of builds) built.dispose();
});

async function buildWith(vars: Record<string, unknown>, beforeBuild?: (path: string) => Promise<void>) {
  const built = await buildLayer(layer, select, vars, { beforeBuild, indirectSelection: 'cautious' });
  builds.push(built);
  return built;
}

/** user_metrics compared with the reference at `params`, on `columns`; also how many customers differ from the defaults there. */
async function checkUsers(
  built: BuiltLayer,
  params: BehaviourParams,
  columns: Record<string, ColumnKind>,
  pick: (u: UserAnswer) => Expected,
) {
  const raw = await readBehaviourRaw(built.warehouse);
  const changed = userAnswers(raw, asOf, params);
  const defaults = userAnswers(raw, asOf, defaultParams);
  const expected = new Map([...changed.values()].map((u) => [String(u.customerId), pick(u)]));
  const problems = compareRows(
    'user_metrics',
    await built.warehouse.rows('select * from user_metrics'),
    'customer_id',
    expected,
    columns,
  );
  const differing = [...changed.values()].filter(
    (u) => JSON.stringify(pick(u)) !== JSON.stringify(pick(defaults.get(u.customerId) as UserAnswer)),
  ).length;
  return { problems: summarize(problems), differing };
}

describe('min_user_events decides who is a web user', () => {
  let built: BuiltLayer;
  beforeAll(async () => {
    built = await buildWith({ min_user_events: 6 });
  }, 180_000);

  it('customers with fewer than 6 web events are not web users and are inactive', async () => {
    expect(failedNodes(built.results)).toEqual([]);
    const { problems, differing } = await checkUsers(
      built,
      { ...defaultParams, minUserEvents: 6 },
      { is_web_user: 'bool', user_lifecycle_stage: 'text' },
      (u) => ({ is_web_user: u.isWebUser, user_lifecycle_stage: u.stage }),
    );
    expect(problems).toEqual([]);
    expect(differing).toBeGreaterThan(0);
  });
});

describe('active_user_min_events decides the active lifecycle stage', () => {
  let built: BuiltLayer;
  beforeAll(async () => {
    built = await buildWith({ active_user_min_events: 20 });
  }, 180_000);

  it('only customers with at least 20 web events on 3 days are active, and the quality score follows', async () => {
    expect(failedNodes(built.results)).toEqual([]);
    const { problems, differing } = await checkUsers(
      built,
      { ...defaultParams, activeUserMinEvents: 20 },
      { user_lifecycle_stage: 'text', user_quality_score: 'int' },
      (u) => ({ user_lifecycle_stage: u.stage, user_quality_score: u.qualityScore }),
    );
    expect(problems).toEqual([]);
    expect(differing).toBeGreaterThan(0);
  });
});

describe('min_order_amount filters the orders counted in user metrics', () => {
  let built: BuiltLayer;
  beforeAll(async () => {
    built = await buildWith({ min_order_amount: 100 });
  }, 180_000);

  it('orders under 100 dollars leave total_orders, total_revenue, AOV and the buyer segment', async () => {
    expect(failedNodes(built.results)).toEqual([]);
    const { problems, differing } = await checkUsers(
      built,
      { ...defaultParams, minOrderAmountCents: 10_000 },
      { total_orders: 'int', total_revenue: 'money', avg_order_value: 'money', buyer_segment: 'text' },
      (u) => ({
        total_orders: u.totalOrders,
        total_revenue: u.totalRevenueCents,
        avg_order_value: u.avgOrderValueCents,
        buyer_segment: u.buyerSegment,
      }),
    );
    expect(problems).toEqual([]);
    expect(differing).toBeGreaterThan(0);
  });
});

/** Plants a logged-in web event an hour before the signup of the latest customer with web events. */
async function plantEventBeforeSignup(warehousePath: string): Promise<void> {
  const instance = await DuckDBInstance.create(warehousePath);
  const connection = await instance.connect();
  await connection.run(`
    insert into raw.web_events (id, anonymous_id, customer_id, event_type, page_url, occurred_at, _loaded_at)
    select (select max(id) + 1 from raw.web_events), 'planted-device', customers.id, 'login', '/login',
           customers.created_at - interval 1 hour, customers.created_at
    from raw.customers as customers
    where customers.id = (select max(customer_id) from raw.web_events)`);
  connection.closeSync();
  instance.closeSync();
}

describe('max_session_duration_hours flags sessions; 004 data-quality tests warn and store their failures', () => {
  let built: BuiltLayer;
  const maxHours = 0.25;
  beforeAll(async () => {
    built = await buildWith({ max_session_duration_hours: maxHours }, plantEventBeforeSignup);
  }, 180_000);

  const resultOf = (test: string) => built.results.results.find((r) => r.uniqueId.endsWith(`.${test}`));

  it('sessions over 15 minutes are flagged and left out of the average session duration', async () => {
    expect(failedNodes(built.results)).toEqual([]);
    const raw = await readBehaviourRaw(built.warehouse);
    const overlong = sessionize(raw.events, defaultParams).filter((s) => s.durationSeconds > maxHours * 3600);
    expect(overlong.length).toBeGreaterThan(0);
    const [flagged] = await built.warehouse.rows(
      'select count(*) filter (where is_over_max_duration) as flagged from int_web_sessions',
    );
    expect(Number(flagged?.flagged)).toBe(overlong.length);
    const { problems, differing } = await checkUsers(
      built,
      { ...defaultParams, maxSessionDurationHours: maxHours },
      { avg_session_duration_seconds: { ratio: 1 } },
      (u) => ({ avg_session_duration_seconds: u.avgSessionDurationSeconds }),
    );
    expect(problems).toEqual([]);
    expect(differing).toBeGreaterThan(0);
  });

  it('assert_sessions_within_max_duration warns and stores every overlong session', async () => {
    const raw = await readBehaviourRaw(built.warehouse);
    const overlong = sessionize(raw.events, defaultParams).filter((s) => s.durationSeconds > maxHours * 3600);
    const result = resultOf('assert_sessions_within_max_duration');
    expect({ status: result?.status, failures: result?.failures }).toEqual({
      status: 'warn',
      failures: overlong.length,
    });
    const stored = await built.warehouse.rows(
      'select anonymous_id, session_number, duration_seconds from main_dbt_test__audit.assert_sessions_within_max_duration',
    );
    expect(stored.length).toBe(overlong.length);
    expect(stored.every((s) => Number(s.duration_seconds) > maxHours * 3600)).toBe(true);
  });

  it('assert_first_web_event_not_before_signup warns and stores each customer seen before signing up', async () => {
    const raw = await readBehaviourRaw(built.warehouse);
    const signedUp = new Map(raw.customers.map((c) => [c.id, c.signedUpUs]));
    const firstSeen = new Map<number, number>();
    for (const e of raw.events) {
      if (e.customerId === null) continue;
      firstSeen.set(
        e.customerId,
        Math.min(firstSeen.get(e.customerId) ?? Number.POSITIVE_INFINITY, e.occurredUs),
      );
    }
    const early = [...firstSeen]
      .filter(([id, at]) => at < (signedUp.get(id) ?? 0))
      .map(([id]) => String(id))
      .sort();
    expect(early.length).toBeGreaterThan(0); // the planted event at least
    const result = resultOf('assert_first_web_event_not_before_signup');
    expect({ status: result?.status, failures: result?.failures }).toEqual({
      status: 'warn',
      failures: early.length,
    });
    const stored = await built.warehouse.rows(
      'select customer_id from main_dbt_test__audit.assert_first_web_event_not_before_signup order by customer_id',
    );
    expect(stored.map((r) => String(r.customer_id)).sort()).toEqual(early);
    expect(built.results.success).toBe(true); // warnings do not fail the build
  });
});
