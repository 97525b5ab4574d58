/** Where generated tables go: the DuckDB warehouse file, or one file per table in a folder. */
export type OutputFormat = 'duckdb' | 'csv' | 'parquet';

/** One step of a long run, for progress displays. `completed` of `total` steps are done. */
export interface ProgressEvent {
  phase: string;
  table?: string;
  rowsWritten?: number;
  completed: number;
  total: number;
}

export type ProgressListener = (event: ProgressEvent) => void;

export interface GenerateOptions {
  /** DuckDB file, created if missing. Ignored for csv/parquet (see `outDir`). */
  warehousePath: string;
  /** 1 = 10,000 customers and 50,000 orders; fractional values allowed; must be > 0. */
  scale?: number;
  /** Same seed, scale and as-of give identical data. Default 42. */
  seed?: number;
  /** Last day of history (UTC date); no order is placed after it. */
  asOf: string | Date;
  /**
   * The real clock (default: the current time). When the as-of day is today or later, the
   * history stops at this moment: nothing is dated or loaded after it, so source freshness never
   * finds a load in the future.
   */
  now?: Date | string;
  /** Inject known defects and record them in `_mockgen_defects`. */
  dirty?: boolean;
  format?: OutputFormat;
  /** Folder for csv/parquet output, created if missing. */
  outDir?: string;
  /** Schema the raw tables are written to. Default `raw`. */
  schema?: string;
  /** Folder holding `product_categories.csv` and `campaign_metadata.csv`; default: the staging package's seeds. */
  seedsDir?: string;
  onProgress?: ProgressListener;
}

export interface AdvanceOptions {
  warehousePath: string;
  /** How many days the shop moves forward; a whole number ≥ 1. Give this or `asOf`. */
  days?: number;
  /** Move the shop forward up to this day (`YYYY-MM-DD`); it must be after the warehouse's as-of. */
  asOf?: string | Date;
  /** Seed of this batch's randomness; default: the seed the warehouse was generated with. */
  seed?: number;
  /** The real clock (default: the current time): the batch writes nothing dated or loaded after it. */
  now?: Date | string;
  schema?: string;
  seedsDir?: string;
  onProgress?: ProgressListener;
}

export interface TableCount {
  name: string;
  rows: number;
}

export type DefectKind =
  | 'null_product_id'
  | 'negative_quantity'
  | 'future_order_date'
  | 'duplicate_id'
  | 'orphan_foreign_key'
  | 'cost_above_price';

/** One defect injected by `dirty: true`, as recorded in `_mockgen_defects`. */
export interface InjectedDefect {
  defect: DefectKind;
  table: string;
  rowId: number;
  column: string;
}

export interface GenerateSummary {
  tables: TableCount[];
  durationMs: number;
  defects: InjectedDefect[];
  /** The as-of date of the generated history, `YYYY-MM-DD`. */
  asOf: string;
}

export interface AdvanceTableChange {
  name: string;
  inserted: number;
  updated: number;
}

export interface AdvanceSummary {
  /** As-of date before the batch, `YYYY-MM-DD`. */
  fromAsOf: string;
  /** As-of date after the batch. */
  asOf: string;
  days: number;
  /** Batch number in `_mockgen_runs` (the full generation is batch 0). */
  batch: number;
  tables: AdvanceTableChange[];
  durationMs: number;
}
