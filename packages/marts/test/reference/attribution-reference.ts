import { ordersByCustomer } from '../../../intermediate/test/reference/order-history-reference.js';
import { daysBetween } from '../../../intermediate/test/support/calendar.js';
import {
  orderStatus,
  type RawOrder,
  type RawTouch,
  type RawWarehouse,
} from '../../../intermediate/test/support/raw-tables-reader.js';

export type AttributionModel = 'first_touch' | 'last_touch' | 'linear';
export const attributionModels: AttributionModel[] = ['first_touch', 'last_touch', 'linear'];

/** Per customer: net merchandise revenue and gross profit (revenue − quantity × unit cost) of their valid orders, in cents. */
export interface CustomerSales {
  revenueCents: number;
  grossProfitCents: number;
}

/** One customer × model × campaign credit of marketing_attribution (campaign null on an organic row). */
export interface Credit {
  customerId: number;
  model: AttributionModel;
  campaignId: number | null;
  channel: string;
  convertingOrder: RawOrder;
  creditedTouchCount: number;
  weightDenominator: number;
  /** credited touches / touches in the journey for linear, 1 for first and last touch and organic rows. */
  weight: number;
  customerRevenueCents: number;
  customerGrossProfitCents: number;
  lifetimeValueCents: number;
  attributedFirstOrderRevenueCents: number;
  attributedRevenueCents: number;
  attributedGrossProfitCents: number;
  attributedLifetimeValueCents: number;
}

/** amount × t / d rounded half up to the cent, on integers (floor of (2·amount·t + d) / 2d). */
const shareThrough = (amountCents: number, through: number, denominator: number): number =>
  Math.floor((2 * amountCents * through + denominator) / (2 * denominator));

/** The cents of one share: f(through) − f(through − share), so a split's shares sum to the amount. */
export function allocatedCents(
  amountCents: number,
  through: number,
  share: number,
  denominator: number,
): number {
  return (
    shareThrough(amountCents, through, denominator) - shareThrough(amountCents, through - share, denominator)
  );
}

/** Net revenue and gross profit of every customer's valid orders, cost at the product's unit cost. */
export function customerSales(raw: RawWarehouse): Map<number, CustomerSales> {
  const unitCost = new Map(raw.products.map((p) => [p.id, p.unitCostCents]));
  const costByOrder = new Map<number, number>();
  for (const item of raw.orderItems)
    costByOrder.set(
      item.orderId,
      (costByOrder.get(item.orderId) ?? 0) + item.quantity * (unitCost.get(item.productId) ?? 0),
    );
  const sales = new Map<number, CustomerSales>();
  for (const order of raw.orders.filter(orderStatus.isValid)) {
    const s = sales.get(order.customerId) ?? { revenueCents: 0, grossProfitCents: 0 };
    s.revenueCents += order.subtotalCents;
    s.grossProfitCents += order.subtotalCents - (costByOrder.get(order.id) ?? 0);
    sales.set(order.customerId, s);
  }
  return sales;
}

/**
 * Every credit: a customer is acquired by their first valid order (earliest ordered_at, then
 * lowest id); the journey is their touches at or before it, in time order (then id). First and
 * last touch get weight 1, linear gives each touch 1 / touches; a customer without a touch gets one
 * organic row per model (no campaign, `direct`, weight 1). Amounts are split among a customer's
 * rows of a model in campaign order so that they sum to the amount to the cent.
 * Keyed `<customer_id>|<model>|<campaign_id or 'organic'>`.
 */
export function attributionCredits(
  raw: RawWarehouse,
  lifetimeValueCents: Map<number, number>,
  sales: Map<number, CustomerSales>,
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
    const first = orders.find(orderStatus.isValid);
    if (first === undefined) continue;
    const journey = (touchesByCustomer.get(customerId) ?? [])
      .filter((t) => t.touchedAtUs <= first.orderedAtUs)
      .sort((a, b) => a.touchedAtUs - b.touchedAtUs || a.id - b.id);
    const ltv = lifetimeValueCents.get(customerId) ?? 0;
    const { revenueCents, grossProfitCents } = sales.get(customerId) ?? {
      revenueCents: 0,
      grossProfitCents: 0,
    };
    const add = (model: AttributionModel, touches: RawTouch[], denominator: number) => {
      const campaignIds = [...new Set(touches.map((t) => t.campaignId))].sort((a, b) => a - b);
      const rows: Array<{ campaignId: number | null; credited: number }> =
        campaignIds.length === 0
          ? [{ campaignId: null, credited: 0 }]
          : campaignIds.map((id) => ({
              campaignId: id,
              credited: touches.filter((t) => t.campaignId === id).length,
            }));
      let through = 0;
      for (const { campaignId, credited } of rows) {
        const share = Math.max(credited, 1);
        through += share;
        const split = (cents: number) => allocatedCents(cents, through, share, denominator);
        credits.set(`${customerId}|${model}|${campaignId ?? 'organic'}`, {
          customerId,
          model,
          campaignId,
          channel: campaignId === null ? 'direct' : (channels.get(campaignId) ?? ''),
          convertingOrder: first,
          creditedTouchCount: credited,
          weightDenominator: denominator,
          weight: share / denominator,
          customerRevenueCents: revenueCents,
          customerGrossProfitCents: grossProfitCents,
          lifetimeValueCents: ltv,
          attributedFirstOrderRevenueCents: split(first.subtotalCents),
          attributedRevenueCents: split(revenueCents),
          attributedGrossProfitCents: split(grossProfitCents),
          attributedLifetimeValueCents: split(ltv),
        });
      }
    };
    if (journey.length === 0) {
      for (const model of attributionModels) add(model, [], 1);
      continue;
    }
    add('first_touch', [journey[0] as RawTouch], 1);
    add('last_touch', [journey.at(-1) as RawTouch], 1);
    add('linear', journey, journey.length);
  }
  return credits;
}

/**
 * Spend to date of a campaign at `asOf`, in cents: budget × days elapsed / flight days, rounded
 * half up to the cent (0 before the flight, the budget once it has ended).
 */
export function spendToDateCents(
  budgetCents: number,
  startDate: string,
  endDate: string,
  asOf: string,
): number {
  const flightDays = daysBetween(startDate, endDate) + 1;
  const elapsed = Math.min(flightDays, Math.max(0, daysBetween(startDate, asOf) + 1));
  return shareThrough(budgetCents, elapsed, flightDays);
}

/** One row of campaign_performance (money in cents, ratios unrounded). */
export interface CampaignAnswer {
  campaignId: number;
  budgetCents: number;
  spendToDateCents: number;
  flightDaysElapsed: number;
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
  grossOrderValueCents: number;
  acquiredFirstOrderRevenueCents: number;
  acquiredCustomerRevenueCents: number;
  acquiredCustomerGrossProfitCents: number;
  acquiredCustomerLtvCents: number;
  customerAcquisitionCostCents: number | null;
  ltvPerAcquiredCustomerCents: number | null;
  roiOnRevenuePct: number | null;
  roiOnGrossProfitPct: number | null;
  returnOnAdSpend: number | null;
  isActive: boolean;
}

/**
 * Per campaign id: spend to date, reach from all its touches, acquisitions under each model, the
 * orders tagged with it up to `asOf`, and the linear model's economics against spend to date:
 * CAC = spend / linear acquisitions; ROI on revenue (gross profit) = (acquired customers'
 * revenue (gross profit) − spend) / spend × 100; ROAS = tagged revenue / spend; all null without spend.
 */
export function campaignAnswers(
  raw: RawWarehouse,
  credits: Map<string, Credit>,
  asOf: string,
): Map<number, CampaignAnswer> {
  const answers = new Map<number, CampaignAnswer>();
  for (const campaign of raw.campaigns) {
    const touches = raw.touches.filter((t) => t.campaignId === campaign.id);
    const mine = [...credits.values()].filter((c) => c.campaignId === campaign.id);
    const linear = mine.filter((c) => c.model === 'linear');
    const tagged = raw.orders.filter((o) => o.campaignId === campaign.id && o.orderDate <= asOf);
    const valid = tagged.filter(orderStatus.isValid);
    const sum = (values: number[]) => values.reduce((total, v) => total + v, 0);
    const acquiredLinear = sum(linear.map((c) => c.weight));
    const acquiredCustomerLtvCents = sum(linear.map((c) => c.attributedLifetimeValueCents));
    const acquiredCustomerRevenueCents = sum(linear.map((c) => c.attributedRevenueCents));
    const acquiredCustomerGrossProfitCents = sum(linear.map((c) => c.attributedGrossProfitCents));
    const revenueCents = sum(valid.map((o) => o.subtotalCents));
    const spend = spendToDateCents(campaign.budgetCents, campaign.startDate, campaign.endDate, asOf);
    const flightDays = daysBetween(campaign.startDate, campaign.endDate) + 1;
    const perAcquired = (cents: number) => (acquiredLinear === 0 ? null : Math.round(cents / acquiredLinear));
    const roiPct = (cents: number) => (spend === 0 ? null : (100 * (cents - spend)) / spend);
    answers.set(campaign.id, {
      campaignId: campaign.id,
      budgetCents: campaign.budgetCents,
      spendToDateCents: spend,
      flightDaysElapsed: Math.min(flightDays, Math.max(0, daysBetween(campaign.startDate, asOf) + 1)),
      touchCount: touches.length,
      customersTouched: new Set(touches.map((t) => t.customerId)).size,
      acquiredFirstTouch: mine.filter((c) => c.model === 'first_touch').length,
      acquiredLastTouch: mine.filter((c) => c.model === 'last_touch').length,
      acquiredLinear,
      orderCount: tagged.length,
      validOrderCount: valid.length,
      orderingCustomerCount: new Set(valid.map((o) => o.customerId)).size,
      revenueCents,
      completedRevenueCents: sum(tagged.filter(orderStatus.isCompleted).map((o) => o.subtotalCents)),
      grossOrderValueCents: sum(valid.map((o) => o.totalCents)),
      acquiredFirstOrderRevenueCents: sum(linear.map((c) => c.attributedFirstOrderRevenueCents)),
      acquiredCustomerRevenueCents,
      acquiredCustomerGrossProfitCents,
      acquiredCustomerLtvCents,
      customerAcquisitionCostCents: spend === 0 ? null : perAcquired(spend),
      ltvPerAcquiredCustomerCents: perAcquired(acquiredCustomerLtvCents),
      roiOnRevenuePct: roiPct(acquiredCustomerRevenueCents),
      roiOnGrossProfitPct: roiPct(acquiredCustomerGrossProfitCents),
      returnOnAdSpend: spend === 0 ? null : revenueCents / spend,
      isActive: campaign.startDate <= asOf && asOf <= campaign.endDate,
    });
  }
  return answers;
}

/** One day × channel of marketing_performance (money in cents). */
export interface ChannelDay {
  orderDate: string;
  channel: string;
  totalOrders: number;
  campaignOrderCount: number;
  customerCount: number;
  totalRevenueCents: number;
  grossOrderValueCents: number;
}

/**
 * The valid orders up to `asOf` by order date × the channel of their campaign (`direct` when they
 * carry none), keyed `<order_date>|<channel>`.
 */
export function salesByDayAndChannel(raw: RawWarehouse, asOf: string): Map<string, ChannelDay> {
  const channelOf = new Map(raw.campaigns.map((c) => [c.id, c.channel]));
  const days = new Map<string, ChannelDay & { customers: Set<number> }>();
  for (const order of raw.orders.filter((o) => orderStatus.isValid(o) && o.orderDate <= asOf)) {
    const channel = order.campaignId === null ? 'direct' : (channelOf.get(order.campaignId) ?? '');
    const key = `${order.orderDate}|${channel}`;
    const day = days.get(key) ?? {
      orderDate: order.orderDate,
      channel,
      totalOrders: 0,
      campaignOrderCount: 0,
      customerCount: 0,
      totalRevenueCents: 0,
      grossOrderValueCents: 0,
      customers: new Set<number>(),
    };
    day.totalOrders += 1;
    if (order.campaignId !== null) day.campaignOrderCount += 1;
    day.customers.add(order.customerId);
    day.customerCount = day.customers.size;
    day.totalRevenueCents += order.subtotalCents;
    day.grossOrderValueCents += order.totalCents;
    days.set(key, day);
  }
  return new Map([...days].map(([key, { customers: _customers, ...day }]) => [key, day]));
}
