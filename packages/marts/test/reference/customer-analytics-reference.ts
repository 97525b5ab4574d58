import {
  type CustomerOrderFacts,
  customerOrderFacts,
} from '../../../intermediate/test/reference/customer-orders-reference.js';
import type { RawWarehouse } from '../../../intermediate/test/support/raw-tables-reader.js';

/** The marts' business thresholds (vars in marts/dbt_project.yml, restated as the README defines them). */
export const customerRules = {
  /** Lifetime value, in cents, at or above which a recently active customer is a VIP ($1,000). */
  highValueCents: 100_000,
  activeDays: 90,
} as const;

export type Segment = 'vip' | 'new' | 'active' | 'at-risk' | 'dormant';

export interface CustomerAnswer extends CustomerOrderFacts {
  segment: Segment;
  recencyScore: number | null;
  frequencyScore: number | null;
  monetaryScore: number | null;
}

/** First rule wins: vip, new (first order — or signup when none — within N days), active, at-risk (2N), dormant. */
export function segmentOf(c: CustomerOrderFacts): Segment {
  const n = customerRules.activeDays;
  const lastOrder = c.daysSinceLastOrder;
  if (c.lifetimeValueCents >= customerRules.highValueCents && lastOrder !== null && lastOrder <= n)
    return 'vip';
  if ((c.daysSinceFirstOrder ?? c.daysSinceSignup) <= n) return 'new';
  if (lastOrder !== null && lastOrder <= n) return 'active';
  if (lastOrder !== null && lastOrder <= 2 * n) return 'at-risk';
  return 'dormant';
}

/**
 * Rank-based quintiles: ids sorted worst first by `compare`, cut into five groups whose sizes
 * differ by at most one, the first (lowest) groups taking the extra ids — SQL's ntile(5).
 */
export function quintileScores<T>(
  items: T[],
  id: (item: T) => number,
  compare: (a: T, b: T) => number,
): Map<number, number> {
  const sorted = [...items].sort(compare);
  const base = Math.floor(sorted.length / 5);
  const extra = sorted.length % 5;
  const scores = new Map<number, number>();
  let position = 0;
  for (let score = 1; score <= 5; score++) {
    const size = base + (score <= extra ? 1 : 0);
    for (let i = 0; i < size; i++) scores.set(id(sorted[position + i] as T), score);
    position += size;
  }
  return scores;
}

/** Per customer id: the customer_analytics answers (order facts, segment and RFM scores). */
export function customerAnswers(raw: RawWarehouse, asOf: string): Map<number, CustomerAnswer> {
  const facts = customerOrderFacts(raw, asOf);
  const scored = [...facts.values()].filter((c) => c.completedOrderCount > 0);
  // Worst first; the tie rule: equal measures are ordered by the other two measures, then by id.
  const days = (c: CustomerOrderFacts) => c.daysSinceLastCompletedOrder as number;
  const byCount = (a: CustomerOrderFacts, b: CustomerOrderFacts) =>
    a.completedOrderCount - b.completedOrderCount;
  const byValue = (a: CustomerOrderFacts, b: CustomerOrderFacts) =>
    a.lifetimeValueCents - b.lifetimeValueCents;
  const byRecency = (a: CustomerOrderFacts, b: CustomerOrderFacts) => days(b) - days(a);
  const byId = (a: CustomerOrderFacts, b: CustomerOrderFacts) => a.customerId - b.customerId;
  const id = (c: CustomerOrderFacts) => c.customerId;
  const recency = quintileScores(
    scored,
    id,
    (a, b) => byRecency(a, b) || byCount(a, b) || byValue(a, b) || byId(a, b),
  );
  const frequency = quintileScores(
    scored,
    id,
    (a, b) => byCount(a, b) || byValue(a, b) || byRecency(a, b) || byId(a, b),
  );
  const monetary = quintileScores(
    scored,
    id,
    (a, b) => byValue(a, b) || byCount(a, b) || byRecency(a, b) || byId(a, b),
  );
  const answers = new Map<number, CustomerAnswer>();
  for (const c of facts.values()) {
    answers.set(c.customerId, {
      ...c,
      segment: segmentOf(c),
      recencyScore: recency.get(c.customerId) ?? null,
      frequencyScore: frequency.get(c.customerId) ?? null,
      monetaryScore: monetary.get(c.customerId) ?? null,
    });
  }
  return answers;
}
