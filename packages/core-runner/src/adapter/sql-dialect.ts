import type { Relation } from '../project/project-types.js';
import type { ColumnDescription, RelationKind } from './warehouse-adapter.js';

export type IncrementalStrategy = 'append' | 'merge' | 'delete+insert' | 'insert_overwrite' | 'microbatch';

/** What an incremental run writes: staged rows into the target, by strategy. */
export interface IncrementalWrite {
  strategy: IncrementalStrategy;
  /** The target relation, rendered. */
  target: string;
  /** The staged new rows (a temp table), rendered. */
  staging: string;
  /** Columns written (present in both). */
  columns: string[];
  uniqueKey: string[];
  /** dbt's `incremental_predicates`, SQL as written. */
  predicates: string[];
  /** insert_overwrite: the partition columns whose partitions present in the new rows are replaced. */
  partitionBy?: string[];
}

/**
 * The SQL text an adapter produces for the engine: pure functions, text in and text out, so tests
 * read what a database would run (as kysely's dialects compile queries).
 */
export interface SqlDialect {
  /** `"name"` with inner quotes doubled. */
  quote(name: string): string;
  /** A string literal: `'it''s'`. */
  literal(value: string): string;
  /** `"schema"."identifier"` (with the database when given). */
  render(relation: Relation): string;
  /**
   * Statements that replace `relation` with a new `kind` built from `selectSql`, to run in one
   * transaction: readers see the old relation until commit, and a failure leaves it untouched.
   */
  replaceRelation(
    relation: Relation,
    existing: RelationKind | undefined,
    kind: RelationKind,
    selectSql: string,
  ): string[];
  /** Statements creating (or re-creating) a session-scoped temp table from a query. */
  createTempTable(name: string, selectSql: string): string[];
  dropTable(name: string): string;
  /** Statements of an incremental write (run in one transaction with schema alterations). */
  incrementalWrite(write: IncrementalWrite): string[];
  addColumn(target: string, column: ColumnDescription): string;
  dropColumn(target: string, column: string): string;
  alterColumnType(target: string, column: ColumnDescription): string;
  /**
   * dbt's `collect_freshness`: one row with `max_loaded_at`, `snapshotted_at` and both as epoch
   * milliseconds (`max_loaded_at_ms`, `snapshotted_at_ms`).
   */
  freshness(relation: Relation, loadedAtExpression: string, filter?: string): string;
  /**
   * Writes a query to a file at `path` in `format` (parquet, csv, json; a Hive folder with
   * `partitionBy`) for dbt-duckdb's `external` materialization; undefined when unsupported.
   */
  exportFile?(selectSql: string, path: string, options: ExternalFileOptions): string;
  /** A `from` clause item reading what `exportFile` wrote. */
  readFile?(path: string, options: ExternalFileOptions): string;
}

/** How an `external` model's file is written and read back. */
export interface ExternalFileOptions {
  format: 'parquet' | 'csv' | 'json';
  partitionBy: string[];
  /** CSV only. */
  delimiter: string;
}
