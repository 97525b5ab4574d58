import { sqlString } from '../sql/sql-context.js';
import { fulfilmentHoursFor, traitsFor, UTM_SOURCE_BY_CHANNEL } from './catalog-words.js';
import type { Dictionaries } from './faker-dictionaries.js';
import { emailToken } from './faker-dictionaries.js';
import type { ReferenceSeeds } from './seed-reader.js';

/** Sizes of the loaded dictionaries; SQL picks entry `hash % size`. */
export interface ReferenceSizes {
  subcategories: number;
  firstNames: number;
  lastNames: number;
  places: number;
  brands: number;
  adjectives: number;
}

function values(rows: readonly (readonly (string | number | boolean)[])[]): string {
  return rows
    .map((row) => `(${row.map((v) => (typeof v === 'string' ? sqlString(v) : String(v))).join(', ')})`)
    .join(',\n  ');
}

function table(
  name: string,
  columns: string,
  rows: readonly (readonly (string | number | boolean)[])[],
): string {
  return `create or replace temp table ${name} as select * from (values\n  ${values(rows)}\n) as t(${columns});\n`;
}

/** Campaigns of a year or more run all the time (search, newsletter, affiliates). */
const EVERGREEN_DAYS = 365;

/**
 * Loads the seeds and dictionaries into temp tables (mg_subcategories, mg_nouns, mg_campaigns,
 * mg_first_names, mg_last_names, mg_places, mg_brands, mg_adjectives).
 */
export function referenceSql(
  seeds: ReferenceSeeds,
  dicts: Dictionaries,
): { sql: string; sizes: ReferenceSizes } {
  const subs = seeds.subcategories.map((s, i) => {
    const traits = traitsFor(s.categoryName, s.subcategoryName);
    return { ...s, idx: i, traits };
  });
  let sql = table(
    'mg_subcategories',
    'sub_idx, subcategory_id, subcategory_name, category_id, category_name, price_lo, price_hi, lag_hours, is_apparel, n_nouns, sku_prefix',
    subs.map((s) => [
      s.idx,
      s.subcategoryId,
      s.subcategoryName,
      s.categoryId,
      s.categoryName,
      s.traits.priceDollars[0],
      s.traits.priceDollars[1],
      fulfilmentHoursFor(s.categoryName),
      s.categoryName === 'Clothing',
      s.traits.nouns.length,
      s.categoryName
        .replace(/[^A-Za-z]/g, '')
        .slice(0, 2)
        .toUpperCase(),
    ]),
  );
  sql += table(
    'mg_nouns',
    'subcategory_id, idx, noun',
    subs.flatMap((s) => s.traits.nouns.map((noun, i) => [s.subcategoryId, i, noun])),
  );
  sql += `create or replace temp table mg_campaigns as select
    campaign_id::integer as campaign_id, campaign_name, channel, budget::decimal(18,2) as budget,
    start_date::date as start_date, end_date::date as end_date,
    end_date::date - start_date::date >= ${EVERGREEN_DAYS} as is_evergreen, utm_source
  from (values\n  ${values(
    seeds.campaigns.map((c) => [
      c.campaignId,
      c.campaignName,
      c.channel,
      c.budget,
      c.startDate,
      c.endDate,
      UTM_SOURCE_BY_CHANNEL[c.channel] ?? c.channel,
    ]),
  )}\n) as t(campaign_id, campaign_name, channel, budget, start_date, end_date, utm_source);\n`;
  sql += table(
    'mg_first_names',
    'idx, name, token',
    dicts.firstNames.map((n, i) => [i, n, emailToken(n)]),
  );
  sql += table(
    'mg_last_names',
    'idx, name, token',
    dicts.lastNames.map((n, i) => [i, n, emailToken(n)]),
  );
  sql += table(
    'mg_places',
    'idx, country, state, city, dial_code',
    dicts.places.map((p, i) => [i, p.country, p.state, p.city, p.dialCode]),
  );
  sql += table(
    'mg_brands',
    'idx, name',
    dicts.brands.map((b, i) => [i, b]),
  );
  sql += table(
    'mg_adjectives',
    'idx, word',
    dicts.adjectives.map((a, i) => [i, a]),
  );
  return {
    sql,
    sizes: {
      subcategories: subs.length,
      firstNames: dicts.firstNames.length,
      lastNames: dicts.lastNames.length,
      places: dicts.places.length,
      brands: dicts.brands.length,
      adjectives: dicts.adjectives.length,
    },
  };
}

/** `case <expr> when 1 then 'google' … end`: a campaign's utm_source without a join. */
export function utmSourceCase(seeds: ReferenceSeeds, expr: string): string {
  const whens = seeds.campaigns
    .map((c) => `when ${c.campaignId} then ${sqlString(UTM_SOURCE_BY_CHANNEL[c.channel] ?? c.channel)}`)
    .join(' ');
  return `(case ${expr} ${whens} end)`;
}
