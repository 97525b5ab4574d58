import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { DuckDBAdapter, queryThreads } from '../src/adapter/duckdb/duckdb-adapter.js';

describe("DuckDB's threads per query", () => {
  it('shares the cores among the connections, at least one each', () => {
    expect(queryThreads(4, 2)).toBe(1);
    expect(queryThreads(2, 2)).toBe(1);
    expect(queryThreads(1, 2)).toBe(2);
    expect(queryThreads(3, 8)).toBe(2);
    expect(queryThreads(1, 8)).toBe(8);
    expect(queryThreads(16, 4)).toBe(1);
    expect(queryThreads(0, 4)).toBe(4);
  });

  it('is what the warehouse opens with for a run of N threads', async () => {
    for (const threads of [1, 4]) {
      const adapter = await DuckDBAdapter.open({ path: ':memory:', threads, command: 'test' });
      try {
        const rows = await adapter.query("select current_setting('threads') as threads");
        expect(Number(rows[0]?.threads)).toBe(queryThreads(threads, availableParallelism()));
      } finally {
        await adapter.close();
      }
    }
  });
});
