import { dateOfEpochUs, daysBetween, periodStart } from '../../../intermediate/test/support/calendar.js';
import { divideRounded } from '../../../intermediate/test/support/money.js';
import type { WarehouseReader } from '../../../intermediate/test/support/warehouse-reader.js';

// The behaviour marts recomputed from the raw tables in TypeScript: web sessions cut here from
// the raw events, each customer's web activity and purchases, the user lifecycle stage and
// scores of 004, signup cohorts and the daily summary. Money in integer cents.

/** 004's vars (and the two project vars the behaviour marts read), as the models default them. */
export interface BehaviourParams {
  sessionTimeoutMinutes: number;
  minUserEvents: number;
  activeUserMinEvents: number;
  minOrderAmountCents: number;
  maxSessionDurationHours: number;
  activeCustomerDays: number;
  highValueThresholdCents: number;
}

export const defaultParams: BehaviourParams = {
  sessionTimeoutMinutes: 30,
  minUserEvents: 1,
  activeUserMinEvents: 10,
  minOrderAmountCents: 1,
  maxSessionDurationHours: 12,
  activeCustomerDays: 90,
  highValueThresholdCents: 100_000,
};

interface RawEvent {
  id: number;
  anonymousId: string;
  customerId: number | null;
  eventType: string;
  occurredUs: number;
}

interface RawOrderRow {
  id: number;
  customerId: number;
  status: string;
  orderDate: string;
  subtotalCents: number;
  totalCents: number;
}

/** The raw tables the behaviour marts are computed from (plain selects, no SQL logic). */
export interface BehaviourRaw {
  customers: { id: number; signupDate: string; signedUpUs: number }[];
  orders: RawOrderRow[];
  lines: { orderId: number; category: string }[];
  payments: { orderId: number; method: string }[];
  events: RawEvent[];
}

const int = (value: unknown): number => Number(value);

export async function readBehaviourRaw(warehouse: WarehouseReader): Promise<BehaviourRaw> {
  const customers = await warehouse.rows(
    'select id, epoch_us(created_at) as created_us from raw.customers order by id',
  );
  const orders = await warehouse.rows(
    'select id, customer_id, status, epoch_us(ordered_at) as ordered_us, subtotal_cents, order_total_cents from raw.orders order by id',
  );
  const lines = await warehouse.rows('select order_id, product_id from raw.order_items order by id');
  const products = await warehouse.rows('select id, category from raw.products');
  const payments = await warehouse.rows('select order_id, payment_method from raw.payments order by id');
  const events = await warehouse.rows(
    'select id, anonymous_id, customer_id, event_type, epoch_us(occurred_at) as occurred_us from raw.web_events order by id',
  );
  const categoryOf = new Map(products.map((p) => [int(p.id), String(p.category)]));
  return {
    customers: customers.map((c) => ({
      id: int(c.id),
      signupDate: dateOfEpochUs(int(c.created_us)),
      signedUpUs: int(c.created_us),
    })),
    orders: orders.map((o) => ({
      id: int(o.id),
      customerId: int(o.customer_id),
      status: String(o.status).toLowerCase(),
      orderDate: dateOfEpochUs(int(o.ordered_us)),
      subtotalCents: int(o.subtotal_cents),
      totalCents: int(o.order_total_cents),
    })),
    lines: lines.map((l) => ({
      orderId: int(l.order_id),
      category: categoryOf.get(int(l.product_id)) ?? '?',
    })),
    payments: payments.map((p) => ({
      orderId: int(p.order_id),
      method: String(p.payment_method).toLowerCase(),
    })),
    events: events.map((e) => ({
      id: int(e.id),
      anonymousId: String(e.anonymous_id),
      customerId: e.customer_id === null ? null : int(e.customer_id),
      eventType: String(e.event_type).toLowerCase(),
      occurredUs: int(e.occurred_us),
    })),
  };
}

const isValid = (order: RawOrderRow) => order.status !== 'cancelled' && order.status !== 'returned';

export interface Session {
  anonymousId: string;
  customerId: number | null;
  sessionDate: string;
  eventCount: number;
  pageviewCount: number;
  hasPurchase: boolean;
  durationSeconds: number;
}

/** A device's events, cut after more than `sessionTimeoutMinutes` without one; the customer is the one logged in during the session, else the device's first. */
export function sessionize(events: RawEvent[], params: BehaviourParams): Session[] {
  const byDevice = new Map<string, RawEvent[]>();
  for (const event of events) {
    const list = byDevice.get(event.anonymousId) ?? [];
    list.push(event);
    byDevice.set(event.anonymousId, list);
  }
  const timeoutUs = params.sessionTimeoutMinutes * 60_000_000;
  const sessions: Session[] = [];
  for (const [anonymousId, list] of byDevice) {
    list.sort((a, b) => a.occurredUs - b.occurredUs || a.id - b.id);
    const deviceCustomer = list.find((e) => e.customerId !== null)?.customerId ?? null;
    let current: RawEvent[] = [];
    const close = () => {
      if (current.length === 0) return;
      const first = current[0] as RawEvent;
      const last = current.at(-1) as RawEvent;
      sessions.push({
        anonymousId,
        customerId: current.find((e) => e.customerId !== null)?.customerId ?? deviceCustomer,
        sessionDate: dateOfEpochUs(first.occurredUs),
        eventCount: current.length,
        pageviewCount: current.filter((e) => e.eventType === 'pageview').length,
        hasPurchase: current.some((e) => e.eventType === 'purchase'),
        durationSeconds: Math.floor(last.occurredUs / 1e6) - Math.floor(first.occurredUs / 1e6),
      });
    };
    for (const event of list) {
      const previous = current.at(-1);
      if (previous !== undefined && event.occurredUs > previous.occurredUs + timeoutUs) {
        close();
        current = [];
      }
      current.push(event);
    }
    close();
  }
  return sessions;
}

export interface UserAnswer {
  customerId: number;
  signupDate: string;
  eventCount: number;
  sessionCount: number;
  pageviewCount: number;
  activeDays: number;
  totalOrders: number;
  totalRevenueCents: number;
  avgOrderValueCents: number | null;
  preferredCategory: string | null;
  preferredPaymentMethod: string | null;
  uniqueProductCategories: number;
  uniquePaymentMethods: number;
  buyerSegment: string;
  valueSegment: string;
  stage: string;
  isWebUser: boolean;
  overallConversionRate: number | null;
  revenuePerActiveDayCents: number | null;
  customerAgeDays: number;
  dailyCustomerValueCents: number | null;
  qualityScore: number;
  avgSessionDurationSeconds: number | null;
  hasValidOrder: boolean;
  firstValidOrderDate: string | null;
}

/** The most frequent key; a tie goes to the first key in binary order (as the models order names). */
function mostFrequent(counts: Map<string, number>): string | null {
  let best: string | null = null;
  let bestCount = -1;
  for (const [key, count] of counts) {
    if (count > bestCount || (count === bestCount && best !== null && key < best)) {
      best = key;
      bestCount = count;
    }
  }
  return best;
}

/** One answer per customer: user_metrics' 004 columns. */
export function userAnswers(
  raw: BehaviourRaw,
  asOf: string,
  params: BehaviourParams,
): Map<number, UserAnswer> {
  const sessions = sessionize(raw.events, params).filter((s) => s.customerId !== null);
  const sessionsOf = new Map<number, Session[]>();
  for (const s of sessions)
    sessionsOf.set(s.customerId as number, [...(sessionsOf.get(s.customerId as number) ?? []), s]);
  const ordersOf = new Map<number, RawOrderRow[]>();
  for (const o of raw.orders) ordersOf.set(o.customerId, [...(ordersOf.get(o.customerId) ?? []), o]);
  const linesOf = new Map<number, string[]>();
  for (const l of raw.lines) linesOf.set(l.orderId, [...(linesOf.get(l.orderId) ?? []), l.category]);
  const methodsOf = new Map<number, Set<string>>();
  for (const p of raw.payments)
    methodsOf.set(p.orderId, (methodsOf.get(p.orderId) ?? new Set()).add(p.method));
  const maxDurationSeconds = params.maxSessionDurationHours * 3600;

  const answers = new Map<number, UserAnswer>();
  for (const customer of raw.customers) {
    const own = sessionsOf.get(customer.id) ?? [];
    const orders = ordersOf.get(customer.id) ?? [];
    const counted = orders.filter((o) => isValid(o) && o.totalCents >= params.minOrderAmountCents);
    const eventCount = own.reduce((sum, s) => sum + s.eventCount, 0);
    const pageviewCount = own.reduce((sum, s) => sum + s.pageviewCount, 0);
    const sessionDates = own.map((s) => s.sessionDate);
    const activeDays = new Set(sessionDates).size;
    const lastActive = [...sessionDates, ...orders.map((o) => o.orderDate)].sort().at(-1) ?? null;
    const daysSinceLastActivity = lastActive === null ? null : daysBetween(lastActive, asOf);
    const stage =
      eventCount < params.minUserEvents
        ? 'inactive'
        : daysSinceLastActivity !== null && daysSinceLastActivity > params.activeCustomerDays
          ? 'dormant'
          : eventCount >= params.activeUserMinEvents && activeDays >= 3
            ? 'active'
            : eventCount >= 3
              ? 'engaged'
              : 'new';
    const totalOrders = counted.length;
    const totalRevenueCents = counted.reduce((sum, o) => sum + o.subtotalCents, 0);
    const categoryCounts = new Map<string, number>();
    const methodCounts = new Map<string, number>();
    for (const o of counted) {
      for (const category of linesOf.get(o.id) ?? [])
        categoryCounts.set(category, (categoryCounts.get(category) ?? 0) + 1);
      for (const method of methodsOf.get(o.id) ?? [])
        methodCounts.set(method, (methodCounts.get(method) ?? 0) + 1);
    }
    const customerAgeDays = daysBetween(customer.signupDate, asOf);
    const kept = own.filter((s) => s.durationSeconds <= maxDurationSeconds);
    const validDates = orders
      .filter(isValid)
      .map((o) => o.orderDate)
      .sort();
    answers.set(customer.id, {
      customerId: customer.id,
      signupDate: customer.signupDate,
      eventCount,
      sessionCount: own.length,
      pageviewCount,
      activeDays,
      totalOrders,
      totalRevenueCents,
      avgOrderValueCents: totalOrders === 0 ? null : divideRounded(totalRevenueCents, totalOrders),
      preferredCategory: mostFrequent(categoryCounts),
      preferredPaymentMethod: mostFrequent(methodCounts),
      uniqueProductCategories: categoryCounts.size,
      uniquePaymentMethods: methodCounts.size,
      buyerSegment:
        totalOrders === 0
          ? 'non_buyer'
          : totalOrders === 1
            ? 'one_time_buyer'
            : totalOrders <= 5
              ? 'repeat_buyer'
              : 'loyal_buyer',
      valueSegment:
        totalRevenueCents >= params.highValueThresholdCents
          ? 'high_value'
          : totalRevenueCents >= 30_000
            ? 'medium_value'
            : totalRevenueCents > 0
              ? 'low_value'
              : 'no_purchases',
      stage,
      isWebUser: eventCount >= params.minUserEvents,
      overallConversionRate: pageviewCount === 0 ? null : totalOrders / pageviewCount,
      revenuePerActiveDayCents: activeDays === 0 ? null : divideRounded(totalRevenueCents, activeDays),
      customerAgeDays,
      dailyCustomerValueCents:
        customerAgeDays <= 0 ? null : divideRounded(totalRevenueCents, customerAgeDays),
      qualityScore: Math.min(
        100,
        activeDays * 2 +
          totalOrders * 5 +
          (totalRevenueCents > 10_000 ? 20 : 0) +
          (stage === 'active' ? 15 : 0),
      ),
      avgSessionDurationSeconds:
        kept.length === 0 ? null : kept.reduce((sum, s) => sum + s.durationSeconds, 0) / kept.length,
      hasValidOrder: validDates.length > 0,
      firstValidOrderDate: validDates[0] ?? null,
    });
  }
  return answers;
}

export interface CohortAnswer {
  cohortMonth: string;
  cohortSize: number;
  buyerCount: number;
  activeUserCount: number;
  engagedUserCount: number;
  isBeforeOrderHistory: boolean;
  buyerConversionRatePct: number;
  avgDaysToFirstOrder: number | null;
  cohortRevenueCents: number;
  avgRevenuePerUserCents: number;
  avgRevenuePerBuyerCents: number | null;
  activeRetentionRatePct: number | null;
  engagedRetentionRatePct: number | null;
  avgCustomerAgeDays: number;
  medianCustomerAgeDays: number;
  retentionMonth: Record<1 | 3 | 6 | 12, number | null>;
}

const addMonths = (monthStart: string, months: number): string => {
  const total = Number(monthStart.slice(0, 4)) * 12 + Number(monthStart.slice(5, 7)) - 1 + months;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}-01`;
};

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** One answer per signup month: cohort_summary's 004 columns, its buyers and its retention. */
export function cohortAnswers(
  raw: BehaviourRaw,
  users: Map<number, UserAnswer>,
  asOf: string,
): Map<string, CohortAnswer> {
  const historyStart = raw.orders.map((o) => o.orderDate).sort()[0] as string;
  const asOfMonth = periodStart(asOf, 'month');
  const members = new Map<string, UserAnswer[]>();
  for (const user of users.values()) {
    const month = periodStart(user.signupDate, 'month');
    members.set(month, [...(members.get(month) ?? []), user]);
  }
  const activeIn = new Map<string, Set<number>>(); // activity month → customers with a valid order in it
  for (const o of raw.orders) {
    if (!isValid(o) || o.orderDate > asOf) continue;
    const month = periodStart(o.orderDate, 'month');
    activeIn.set(month, (activeIn.get(month) ?? new Set()).add(o.customerId));
  }
  const answers = new Map<string, CohortAnswer>();
  for (const [cohortMonth, cohort] of members) {
    const flagged = cohortMonth < historyStart;
    const buyers = cohort.filter((u) => u.hasValidOrder);
    const revenue = cohort.reduce((sum, u) => sum + u.totalRevenueCents, 0);
    const ages = cohort.map((u) => u.customerAgeDays);
    const retention = (months: number): number | null => {
      const month = addMonths(cohortMonth, months);
      if (flagged || month > asOfMonth) return null;
      const active = activeIn.get(month) ?? new Set<number>();
      return cohort.filter((u) => active.has(u.customerId)).length / cohort.length;
    };
    const share = (count: number) => (flagged ? null : (100 * count) / cohort.length);
    const activeUsers = cohort.filter((u) => u.stage === 'active').length;
    const engagedUsers = cohort.filter((u) => u.stage === 'active' || u.stage === 'engaged').length;
    answers.set(cohortMonth, {
      cohortMonth,
      cohortSize: cohort.length,
      buyerCount: buyers.length,
      activeUserCount: activeUsers,
      engagedUserCount: engagedUsers,
      isBeforeOrderHistory: flagged,
      buyerConversionRatePct: (100 * buyers.length) / cohort.length,
      avgDaysToFirstOrder:
        flagged || buyers.length === 0
          ? null
          : mean(buyers.map((u) => daysBetween(u.signupDate, u.firstValidOrderDate as string))),
      cohortRevenueCents: revenue,
      avgRevenuePerUserCents: divideRounded(revenue, cohort.length),
      avgRevenuePerBuyerCents: buyers.length === 0 ? null : divideRounded(revenue, buyers.length),
      activeRetentionRatePct: share(cohort.filter((u) => u.stage === 'active').length),
      engagedRetentionRatePct: share(
        cohort.filter((u) => u.stage === 'active' || u.stage === 'engaged').length,
      ),
      avgCustomerAgeDays: mean(ages),
      medianCustomerAgeDays: median(ages),
      retentionMonth: { 1: retention(1), 3: retention(3), 6: retention(6), 12: retention(12) },
    });
  }
  return answers;
}

export interface DayAnswer {
  purchaseEventCount: number;
  activeUsers: number;
  uniqueBuyers: number;
  revenueCents: number;
  avgOrderValueCents: number | null;
  conversionRatePct: number | null;
  buyerRatePct: number | null;
  avgEventsPerSession: number | null;
}

/** One answer per day that has web events, sessions or orders: daily_summary's 004 columns. */
export function dayAnswers(raw: BehaviourRaw, params: BehaviourParams): Map<string, DayAnswer> {
  const sessions = sessionize(raw.events, params);
  const days = new Map<
    string,
    {
      purchaseEvents: number;
      active: Set<number>;
      buyers: Set<number>;
      revenue: number;
      validOrders: number;
      sessions: Session[];
    }
  >();
  const day = (date: string) => {
    let entry = days.get(date);
    if (entry === undefined) {
      entry = {
        purchaseEvents: 0,
        active: new Set(),
        buyers: new Set(),
        revenue: 0,
        validOrders: 0,
        sessions: [],
      };
      days.set(date, entry);
    }
    return entry;
  };
  for (const e of raw.events)
    if (e.eventType === 'purchase') day(dateOfEpochUs(e.occurredUs)).purchaseEvents++;
  for (const s of sessions) {
    const entry = day(s.sessionDate);
    entry.sessions.push(s);
    if (s.customerId !== null) entry.active.add(s.customerId);
  }
  for (const o of raw.orders.filter(isValid)) {
    const entry = day(o.orderDate);
    entry.active.add(o.customerId);
    entry.buyers.add(o.customerId);
    entry.revenue += o.subtotalCents;
    entry.validOrders++;
  }
  const answers = new Map<string, DayAnswer>();
  for (const [date, d] of days) {
    const sessionCount = d.sessions.length;
    answers.set(date, {
      purchaseEventCount: d.purchaseEvents,
      activeUsers: d.active.size,
      uniqueBuyers: d.buyers.size,
      revenueCents: d.revenue,
      avgOrderValueCents: d.validOrders === 0 ? null : divideRounded(d.revenue, d.validOrders),
      conversionRatePct:
        sessionCount === 0 ? null : (100 * d.sessions.filter((s) => s.hasPurchase).length) / sessionCount,
      buyerRatePct: d.active.size === 0 ? null : (100 * d.buyers.size) / d.active.size,
      avgEventsPerSession:
        sessionCount === 0 ? null : d.sessions.reduce((sum, s) => sum + s.eventCount, 0) / sessionCount,
    });
  }
  return answers;
}

export const emptyDay: DayAnswer = {
  purchaseEventCount: 0,
  activeUsers: 0,
  uniqueBuyers: 0,
  revenueCents: 0,
  avgOrderValueCents: null,
  conversionRatePct: null,
  buyerRatePct: null,
  avgEventsPerSession: null,
};
