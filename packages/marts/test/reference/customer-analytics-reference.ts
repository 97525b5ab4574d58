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

export type Segment = 'vip' | 'new' | 'active' | 'at_risk' | 'dormant';

export interface CustomerAnswer extends CustomerOrderFacts {
  segment: Segment;
  recencyScore: number | null;
  frequencyScore: number | null;
  monetaryScore: number | null;
}

/** First rule wins: vip, new (first order — or signup when none — within N days), active, at_risk (2N), dormant. */
export function segmentOf(c: CustomerOrderFacts): Segment {
  const n = customerRules.activeDays;
  const lastOrder = c.daysSinceLastOrder;
  if (c.lifetimeValueCents >= customerRules.highValueCents && lastOrder !== null && lastOrder <= n)
    return 'vip';
  if ((c.daysSinceFirstOrder ?? c.daysSinceSignup) <= n) return 'new';
  if (lastOrder !== null && lastOrder <= n) return 'active';
  if (lastOrder !== null && lastOrder <= 2 * n) return 'at_risk';
  return 'dormant';
}

/**
 * 1 + floor(5 × percent_rank), capped at 5, where percent_rank = (rank − 1) / (count − 1) and rank
 * is 1 + the number of values strictly ahead in the ordering, so ties share a score.
 */
export function quintileScores(
  values: Map<number, number>,
  order: 'ascending' | 'descending',
): Map<number, number> {
  const all = [...values.values()];
  const count = all.length;
  const scores = new Map<number, number>();
  for (const [id, value] of values) {
    const ahead = all.filter((other) => (order === 'ascending' ? other < value : other > value)).length;
    // (5 × ahead) / (count − 1) on integers: exact, so the floor never lands a step low.
    scores.set(id, count <= 1 ? 1 : Math.min(5, 1 + Math.floor((5 * ahead) / (count - 1))));
  }
  return scores;
}

/** Per customer id: the customer_analytics answers (order facts, segment and RFM scores). */
export function customerAnswers(raw: RawWarehouse, asOf: string): Map<number, CustomerAnswer> {
  const facts = customerOrderFacts(raw, asOf);
  const scored = [...facts.values()].filter((c) => c.completedOrderCount > 0);
  // Recency: fewest days since the last completed order scores highest, so rank in descending days.
  const recency = quintileScores(
    new Map(scored.map((c) => [c.customerId, c.daysSinceLastCompletedOrder as number])),
    'descending',
  );
  const frequency = quintileScores(
    new Map(scored.map((c) => [c.customerId, c.completedOrderCount])),
    'ascending',
  );
  const monetary = quintileScores(
    new Map(scored.map((c) => [c.customerId, c.lifetimeValueCents])),
    'ascending',
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
