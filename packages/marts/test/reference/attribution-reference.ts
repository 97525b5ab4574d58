import { ordersByCustomer } from '../../../intermediate/test/reference/order-history-reference.js';
import { divideRounded } from '../../../intermediate/test/support/money.js';
import {
  orderStatus,
  type RawOrder,
  type RawTouch,
  type RawWarehouse,
} from '../../../intermediate/test/support/raw-tables-reader.js';

export type AttributionModel = 'first_touch' | 'last_touch' | 'linear';

/** One customer × model × campaign credit of marketing_attribution (weights as exact fractions). */
export interface Credit {
  customerId: number;
  model: AttributionModel;
  campaignId: number;
  channel: string;
  convertingOrder: RawOrder;
  creditedTouchCount: number;
  touchesInJourney: number;
  /** credited touches / touches in the journey for linear, 1 for first and last touch. */
  weight: number;
  lifetimeValueCents: number;
  attributedFirstOrderRevenueCents: number;
  attributedLifetimeValueCents: number;
}

/**
 * Every credit: a customer is acquired by their first order (earliest ordered_at, then lowest id);
 * the journey is their touches at or before it, in time order (then id). First and last touch get
 * weight 1, linear gives each touch 1 / touches. Attributed amounts are rounded to the cent.
 * Keyed `<customer_id>|<model>|<campaign_id>`.
 */
export function attributionCredits(
  raw: RawWarehouse,
  lifetimeValueCents: Map<number, number>,
): Map<string, Credit> {
  const channels = new Map(raw.campaigns.map((c) => [c.id, c.channel]));
  const touchesByCustomer = new Map<number, RawTouch[]>();
  for (const touch of raw.touches) {
    const touches = touchesByCustomer.get(touch.customerId) ?? [];
    touches.push(touch);
    touchesByCustomer.set(touch.customerId, touches);
  }
  const credits = new Map<string, Credit>();
  for (const [customerId, orders] of ordersByCustomer(raw)) {
    const first = orders[0] as RawOrder;
    const journey = (touchesByCustomer.get(customerId) ?? [])
      .filter((t) => t.touchedAtUs <= first.orderedAtUs)
      .sort((a, b) => a.touchedAtUs - b.touchedAtUs || a.id - b.id);
    if (journey.length === 0) continue;
    const ltv = lifetimeValueCents.get(customerId) ?? 0;
    const add = (
      model: AttributionModel,
      touches: RawTouch[],
      weightNumerator: number,
      weightDenominator: number,
    ) => {
      for (const campaignId of new Set(touches.map((t) => t.campaignId))) {
        const credited = touches.filter((t) => t.campaignId === campaignId).length;
        const numerator = credited * weightNumerator;
        credits.set(`${customerId}|${model}|${campaignId}`, {
          customerId,
          model,
          campaignId,
          channel: channels.get(campaignId) ?? '',
          convertingOrder: first,
          creditedTouchCount: credited,
          touchesInJourney: journey.length,
          weight: numerator / weightDenominator,
          lifetimeValueCents: ltv,
          attributedFirstOrderRevenueCents: divideRounded(numerator * first.totalCents, weightDenominator),
          attributedLifetimeValueCents: divideRounded(numerator * ltv, weightDenominator),
        });
      }
    };
    add('first_touch', [journey[0] as RawTouch], 1, 1);
    add('last_touch', [journey.at(-1) as RawTouch], 1, 1);
    add('linear', journey, 1, journey.length);
  }
  return credits;
}

/** One row of campaign_performance (money in cents, ratios unrounded). */
export interface CampaignAnswer {
  campaignId: number;
  budgetCents: number;
  touchCount: number;
  customersTouched: number;
  acquiredFirstTouch: number;
  acquiredLastTouch: number;
  acquiredLinear: number;
  orderCount: number;
  validOrderCount: number;
  orderingCustomerCount: number;
  revenueCents: number;
  completedRevenueCents: number;
  acquiredFirstOrderRevenueCents: number;
  acquiredCustomerLtvCents: number;
  customerAcquisitionCostCents: number | null;
  ltvPerAcquiredCustomerCents: number | null;
  returnOnInvestment: number | null;
  returnOnAdSpend: number | null;
}

/**
 * Per campaign id: reach from all its touches, acquisitions under each model, the orders tagged
 * with it, and the linear model's economics. Acquired LTV is the sum of the per-customer credits
 * as marketing_attribution rounds them; CAC = budget / linear acquisitions; ROI = (acquired LTV −
 * budget) / budget; ROAS = tagged valid revenue / budget.
 */
export function campaignAnswers(
  raw: RawWarehouse,
  credits: Map<string, Credit>,
): Map<number, CampaignAnswer> {
  const answers = new Map<number, CampaignAnswer>();
  for (const campaign of raw.campaigns) {
    const touches = raw.touches.filter((t) => t.campaignId === campaign.id);
    const mine = [...credits.values()].filter((c) => c.campaignId === campaign.id);
    const linear = mine.filter((c) => c.model === 'linear');
    const tagged = raw.orders.filter((o) => o.campaignId === campaign.id);
    const valid = tagged.filter(orderStatus.isValid);
    const acquiredLinear = linear.reduce((sum, c) => sum + c.weight, 0);
    const acquiredCustomerLtvCents = linear.reduce((sum, c) => sum + c.attributedLifetimeValueCents, 0);
    const revenueCents = valid.reduce((sum, o) => sum + o.totalCents, 0);
    const perAcquired = (cents: number) => (acquiredLinear === 0 ? null : Math.round(cents / acquiredLinear));
    const budget = campaign.budgetCents;
    answers.set(campaign.id, {
      campaignId: campaign.id,
      budgetCents: budget,
      touchCount: touches.length,
      customersTouched: new Set(touches.map((t) => t.customerId)).size,
      acquiredFirstTouch: mine.filter((c) => c.model === 'first_touch').length,
      acquiredLastTouch: mine.filter((c) => c.model === 'last_touch').length,
      acquiredLinear,
      orderCount: tagged.length,
      validOrderCount: valid.length,
      orderingCustomerCount: new Set(valid.map((o) => o.customerId)).size,
      revenueCents,
      completedRevenueCents: tagged.filter(orderStatus.isCompleted).reduce((sum, o) => sum + o.totalCents, 0),
      acquiredFirstOrderRevenueCents: linear.reduce((sum, c) => sum + c.attributedFirstOrderRevenueCents, 0),
      acquiredCustomerLtvCents,
      customerAcquisitionCostCents: perAcquired(budget),
      ltvPerAcquiredCustomerCents: perAcquired(acquiredCustomerLtvCents),
      returnOnInvestment: budget === 0 ? null : (acquiredCustomerLtvCents - budget) / budget,
      returnOnAdSpend: budget === 0 ? null : revenueCents / budget,
    });
  }
  return answers;
}
