import { cpSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  generateWarehouse,
  MockgenInternalError,
  MockgenOptionError,
  MockgenPathError,
  MockgenSeedError,
} from '../src/index.js';
import { checksums, SEEDS_DIR, tempDir } from './support/warehouse-probe.js';

let path: string;
let original: Record<string, string>;

beforeAll(async () => {
  path = join(tempDir(), 'existing.duckdb');
  await generateWarehouse({ warehousePath: path, scale: 0.02, seed: 1, asOf: '2026-06-30' });
  original = await checksums(path);
});

async function rejected(options: Parameters<typeof generateWarehouse>[0]): Promise<unknown> {
  const mtime = statSync(path).mtimeMs;
  const error = await generateWarehouse(options).catch((e: unknown) => e);
  expect(statSync(path).mtimeMs).toBe(mtime);
  expect(await checksums(path)).toEqual(original);
  return error;
}

describe('bad options are rejected before anything is written', () => {
  it('lists every invalid option at once', async () => {
    const error = await rejected({
      warehousePath: path,
      asOf: '2026-02-30',
      scale: -1,
      seed: 1.5,
      // @ts-expect-error an unknown format, as a CLI user could type it
      format: 'xlsx',
    });
    expect(error).toBeInstanceOf(MockgenOptionError);
    const e = error as MockgenOptionError;
    expect(e.code).toBe('SSA-MOCK-001');
    expect(e.problems.map((p) => p.option).sort()).toEqual(['asOf', 'format', 'scale', 'seed']);
    expect(e.hint).toMatch(/nothing was written/);
  });

  for (const scale of [0, -0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    it(`rejects scale ${scale}`, async () => {
      const error = await rejected({ warehousePath: path, asOf: '2026-06-30', scale });
      expect(error).toBeInstanceOf(MockgenOptionError);
      expect((error as MockgenOptionError).problems[0]?.option).toBe('scale');
    });
  }

  it('rejects csv/parquet without a folder', async () => {
    const error = await rejected({ warehousePath: path, asOf: '2026-06-30', format: 'csv' });
    expect((error as MockgenOptionError).problems.map((p) => p.option)).toEqual(['outDir']);
  });

  it('rejects an unwritable path', async () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'not a folder');
    const error = await rejected({ warehousePath: join(file, 'warehouse.duckdb'), asOf: '2026-06-30' });
    expect(error).toBeInstanceOf(MockgenPathError);
    expect((error as MockgenPathError).code).toBe('SSA-MOCK-002');
    const folderError = await rejected({
      warehousePath: path,
      asOf: '2026-06-30',
      format: 'parquet',
      outDir: join(file, 'out'),
    });
    expect(folderError).toBeInstanceOf(MockgenPathError);
  });

  it('reports a malformed seed with its file and line', async () => {
    const seeds = join(tempDir(), 'seeds');
    mkdirSync(seeds);
    cpSync(SEEDS_DIR, seeds, { recursive: true });
    const campaigns = join(seeds, 'campaign_metadata.csv');
    writeFileSync(
      campaigns,
      'campaign_id,campaign_name,channel,budget,start_date,end_date\n1,Search,search,100.00,2024-01-01,2024-12-31\n2,Radio,radio,50.00,2024-01-01,2024-02-01\n',
    );
    const error = await rejected({ warehousePath: path, asOf: '2026-06-30', seedsDir: seeds });
    expect(error).toBeInstanceOf(MockgenSeedError);
    expect((error as MockgenSeedError).file).toBe(campaigns);
    expect((error as MockgenSeedError).line).toBe(3);
    expect((error as MockgenSeedError).message).toMatch(/channel/);
    const missing = await rejected({
      warehousePath: path,
      asOf: '2026-06-30',
      seedsDir: join(seeds, 'nope'),
    });
    expect(missing).toBeInstanceOf(MockgenSeedError);
  });
});

describe('a failure mid-generation keeps the previous warehouse', () => {
  it('rolls back when a step fails', async () => {
    const seen: string[] = [];
    const error = await rejected({
      warehousePath: path,
      asOf: '2026-06-30',
      scale: 0.05,
      seed: 2,
      onProgress: (event) => {
        seen.push(event.table ?? event.phase);
        if (event.table === 'order_status_history') throw new Error('disk full (simulated)');
      },
    });
    expect((error as Error).message).toBe('disk full (simulated)');
    expect(seen).toContain('orders');
  });

  it('wraps a DuckDB failure in a typed internal error', () => {
    const error = new MockgenInternalError('writing orders', new Error('Out of Memory Error'));
    expect(error.code).toBe('SSA-MOCK-999');
    expect(error.kind).toBe('internal');
    expect(error.message).toBe('mockgen failed while writing orders: Out of Memory Error');
  });
});
