import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MockgenSeedError } from '../errors.js';
import { type CsvRecord, parseCsv } from './csv-text.js';

export interface SubcategorySeed {
  categoryId: number;
  categoryName: string;
  subcategoryId: number;
  subcategoryName: string;
}

export const CHANNELS = ['email', 'social', 'search', 'display', 'affiliate', 'direct'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface CampaignSeed {
  campaignId: number;
  campaignName: string;
  channel: Channel;
  budget: string;
  startDate: string;
  endDate: string;
}

export interface ReferenceSeeds {
  subcategories: SubcategorySeed[];
  campaigns: CampaignSeed[];
}

function readTable(
  dir: string,
  name: string,
  columns: readonly string[],
): { file: string; rows: CsvRecord[] } {
  const file = join(dir, name);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new MockgenSeedError('the seed file is missing', file);
  }
  const [header, ...rows] = parseCsv(text);
  const got = header?.fields.map((f) => f.trim()) ?? [];
  if (got.join(',') !== columns.join(',')) {
    throw new MockgenSeedError(`expected columns ${columns.join(', ')}, got ${got.join(', ')}`, file, 1);
  }
  for (const row of rows) {
    if (row.fields.length !== columns.length) {
      throw new MockgenSeedError(
        `expected ${columns.length} fields, got ${row.fields.length}`,
        file,
        row.line,
      );
    }
  }
  if (rows.length === 0) throw new MockgenSeedError('the seed has no rows', file, 2);
  return { file, rows };
}

function int(value: string, what: string, file: string, line: number): number {
  if (!/^\d+$/.test(value.trim()))
    throw new MockgenSeedError(`${what} must be a whole number, got "${value}"`, file, line);
  return Number(value);
}

function date(value: string, what: string, file: string, line: number): string {
  const v = value.trim();
  const ms = Date.parse(`${v}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== v) {
    throw new MockgenSeedError(`${what} must be a YYYY-MM-DD date, got "${value}"`, file, line);
  }
  return v;
}

function unique<T>(values: T[], what: string, file: string, lines: number[]): void {
  const seen = new Map<T, number>();
  values.forEach((v, i) => {
    const line = lines[i] as number;
    if (seen.has(v))
      throw new MockgenSeedError(`duplicate ${what} ${String(v)} (first on line ${seen.get(v)})`, file, line);
    seen.set(v, line);
  });
}

/** Reads and checks both reference seeds; problems carry the file and line. */
export function readReferenceSeeds(dir: string): ReferenceSeeds {
  const cat = readTable(dir, 'product_categories.csv', [
    'category_id',
    'category_name',
    'subcategory_id',
    'subcategory_name',
  ]);
  const subcategories = cat.rows.map(({ fields, line }) => {
    const [categoryId, categoryName, subcategoryId, subcategoryName] = fields.map((f) => f.trim()) as [
      string,
      string,
      string,
      string,
    ];
    if (categoryName === '' || subcategoryName === '')
      throw new MockgenSeedError('names must not be empty', cat.file, line);
    return {
      categoryId: int(categoryId, 'category_id', cat.file, line),
      categoryName,
      subcategoryId: int(subcategoryId, 'subcategory_id', cat.file, line),
      subcategoryName,
    };
  });
  const catLines = cat.rows.map((r) => r.line);
  unique(
    subcategories.map((s) => s.subcategoryId),
    'subcategory_id',
    cat.file,
    catLines,
  );
  unique(
    subcategories.map((s) => s.subcategoryName),
    'subcategory_name',
    cat.file,
    catLines,
  );

  const camp = readTable(dir, 'campaign_metadata.csv', [
    'campaign_id',
    'campaign_name',
    'channel',
    'budget',
    'start_date',
    'end_date',
  ]);
  const campaigns = camp.rows.map(({ fields, line }) => {
    const [campaignId, campaignName, channel, budget, startDate, endDate] = fields.map((f) => f.trim()) as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (!(CHANNELS as readonly string[]).includes(channel)) {
      throw new MockgenSeedError(
        `channel must be one of ${CHANNELS.join(', ')}, got "${channel}"`,
        camp.file,
        line,
      );
    }
    if (!/^\d+(\.\d{1,2})?$/.test(budget)) {
      throw new MockgenSeedError(`budget must be dollars like 1234.50, got "${budget}"`, camp.file, line);
    }
    const seed: CampaignSeed = {
      campaignId: int(campaignId, 'campaign_id', camp.file, line),
      campaignName,
      channel: channel as Channel,
      budget,
      startDate: date(startDate, 'start_date', camp.file, line),
      endDate: date(endDate, 'end_date', camp.file, line),
    };
    if (seed.endDate < seed.startDate) {
      throw new MockgenSeedError(
        `end_date ${seed.endDate} is before start_date ${seed.startDate}`,
        camp.file,
        line,
      );
    }
    return seed;
  });
  unique(
    campaigns.map((c) => c.campaignId),
    'campaign_id',
    camp.file,
    camp.rows.map((r) => r.line),
  );
  return { subcategories, campaigns };
}
