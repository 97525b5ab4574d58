import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateWarehouse, METADATA_TABLES, RAW_TABLES } from '../src/index.js';
import { checksums, tempDir, withDb } from './support/warehouse-probe.js';

const OPTIONS = { scale: 0.02, seed: 13, asOf: '2026-05-31', dirty: true } as const;
const TABLES = [...RAW_TABLES, ...METADATA_TABLES];

describe('csv and parquet output', () => {
  it('writes one parquet file per table with the same rows as the warehouse', async () => {
    const outDir = join(tempDir(), 'parquet');
    const summary = await generateWarehouse({
      ...OPTIONS,
      warehousePath: 'unused.duckdb',
      format: 'parquet',
      outDir,
    });
    expect(readdirSync(outDir).sort()).toEqual(TABLES.map((t) => `${t}.parquet`).sort());
    expect(existsSync('unused.duckdb')).toBe(false);

    const warehouse = join(tempDir(), 'w.duckdb');
    await generateWarehouse({ ...OPTIONS, warehousePath: warehouse });
    const expected = await checksums(warehouse);
    // load the files into a schema of an in-memory database and checksum them the same way
    const loaded = join(tempDir(), 'loaded.duckdb');
    await withDb(loaded, async (db) => {
      await db.rows('create schema raw');
      for (const t of TABLES)
        await db.rows(`create table raw.${t} as select * from read_parquet('${outDir}/${t}.parquet')`);
      const types = await db.rows(
        "select column_name, data_type from information_schema.columns where table_name = 'orders' and column_name in ('id', 'ordered_at', 'order_total_cents')",
      );
      expect(Object.fromEntries(types.map((r) => [r.column_name, r.data_type]))).toEqual({
        id: 'BIGINT',
        ordered_at: 'TIMESTAMP',
        order_total_cents: 'BIGINT',
      });
    });
    expect(await checksums(loaded)).toEqual(expected);
    const duplicated = summary.defects.filter(
      (d) => d.defect === 'duplicate_id' && d.table === 'orders',
    ).length;
    expect(summary.tables.find((t) => t.name === 'orders')?.rows).toBe(1000 + duplicated);
  });

  it('writes csv files with a header, readable back to the same row counts', async () => {
    const outDir = join(tempDir(), 'csv');
    const summary = await generateWarehouse({ ...OPTIONS, warehousePath: '', format: 'csv', outDir });
    expect(readdirSync(outDir).sort()).toEqual(TABLES.map((t) => `${t}.csv`).sort());
    expect(readFileSync(join(outDir, 'order_items.csv'), 'utf8').split('\n')[0]).toBe(
      'id,order_id,product_id,quantity,unit_price_cents,discount_pct,discount_cents,line_total_cents,_loaded_at',
    );
    await withDb(':memory:', async (db) => {
      for (const t of summary.tables) {
        expect(
          await db.value(`select count(*) from read_csv('${outDir}/${t.name}.csv', header = true)`),
          t.name,
        ).toBe(t.rows);
      }
    });
    // a second run replaces the files and leaves no scratch folder behind
    await generateWarehouse({ ...OPTIONS, warehousePath: '', format: 'csv', outDir });
    expect(readdirSync(outDir)).toHaveLength(TABLES.length);
  });
});
