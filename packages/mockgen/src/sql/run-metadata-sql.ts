/** Columns of `_mockgen_runs`: one row per generate (batch 0) or advance (batch 1, 2, …). */
export const RUNS_COLUMNS =
  'batch integer, kind varchar, seed bigint, scale double, as_of date, history_start date, days integer, dirty boolean, mockgen_version varchar, clock_at timestamp';

export interface RunRow {
  batch: number;
  kind: 'generate' | 'advance';
  seed: number;
  scale: number;
  asOf: string;
  historyStart: string;
  days: number | null;
  /** The run's clock, epoch seconds: nothing it wrote is dated or loaded after it. */
  clockS: number;
  dirty: boolean;
  version: string;
}

export function runRowSql(row: RunRow): string {
  return `select ${row.batch}, '${row.kind}', ${row.seed}, ${row.scale}, date '${row.asOf}', date '${row.historyStart}', ${row.days ?? 'null'}, ${row.dirty}, '${row.version}', make_timestamp(${row.clockS}::bigint * 1000000)`;
}
