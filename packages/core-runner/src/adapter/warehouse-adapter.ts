import type { Relation } from '../project/project-types.js';
import type { WarehouseQuestions } from '../template/sql-compiler.js';
import type { SqlDialect } from './sql-dialect.js';
import type { WarehouseWait } from './warehouse-wait.js';

export type RelationKind = 'table' | 'view';

export interface ColumnDescription {
  name: string;
  dataType: string;
}

/**
 * A connection taken from an adapter's pool. Opaque above adapter/: materializations only hand it
 * back to the adapter that gave it, so a node's statements run on the node's own connection.
 */
export interface WarehouseConnection {
  readonly __warehouseConnection?: never;
}

/** One relation of the warehouse with its columns, as the catalog artifact needs it. */
export interface CatalogRelation {
  database: string;
  schema: string;
  name: string;
  kind: 'table' | 'view';
  columns: { name: string; type: string; index: number; comment: string | null }[];
  comment: string | null;
  /** Rows, where the warehouse keeps the count (DuckDB: tables, not views). */
  rowCount?: number;
}

/** A CSV seed to load into a table, replacing the previous one atomically. */
export interface SeedLoad {
  relation: Relation;
  /** The CSV file (absolute). */
  path: string;
  delimiter: string;
  /** dbt's `column_types`: column → SQL type. */
  columnTypes: Record<string, string>;
  /** dbt's `quote_columns: false`: header names become plain (lower-case) identifiers. */
  normalizeNames: boolean;
  /**
   * With `normalizeNames`: the plain name of each header column, in order (DuckDB's own
   * normalize_names would also prefix keywords such as `value` or `name` with `_`, which dbt does not).
   */
  columnNames?: string[];
  /**
   * dbt's seed without `--full-refresh`: an existing table keeps its definition (types, comments,
   * grants); its rows are deleted and the file's inserted in one transaction. Otherwise replaced.
   */
  reload?: boolean;
  /** Receives each statement the load runs (for target/run/). */
  recordSql(sql: string): void;
}

/** What the engine needs to open a warehouse for one command. */
export interface OpenOptions {
  threads: number;
  /** The command holding the warehouse (named by the lock to a second run). */
  command: string;
  /** The run's invocation id, for the lock's message. */
  invocationId?: string;
  /** Hears each retry while the warehouse is busy and the target's `lockTimeout` lets it wait. */
  onWait?: (wait: WarehouseWait) => void;
  /** Stops waiting for a busy warehouse when aborted (the run's cancellation). */
  signal?: AbortSignal;
}

/**
 * The engine's only door to a warehouse. materialize/ and tasks/ see this interface and nothing
 * else; each database implements it in its own folder (adapter/duckdb/, adapter/postgres/) and
 * the registry (`openWarehouse`) picks one from `target.type`. The SQL an adapter writes for the
 * engine is plain text produced by its `sql` dialect, so tests can read it without a database.
 *
 * @example
 * const adapter = await openWarehouse(project.target, { threads: 4, command: 'build' });
 * await adapter.withConnection(async (c) => adapter.query('select 1 as x', c)); // → [{ x: 1 }]
 * await adapter.close();
 */
export interface WarehouseAdapter {
  /** `target.type`: 'duckdb', 'postgres', … (what `adapter.dispatch` prefixes macros with). */
  readonly type: string;
  /** Quoting, literals and the DDL/DML each materialization needs, as SQL text. */
  readonly sql: SqlDialect;

  /** Runs `work` on a pooled connection; waits for one when all are busy. */
  withConnection<T>(work: (connection: WarehouseConnection) => Promise<T>): Promise<T>;
  /** Executes statements; returns rows changed when the database reports them. */
  execute(sql: string, connection?: WarehouseConnection): Promise<number | undefined>;
  /** Rows as plain JSON-friendly objects (numbers for integers and decimals when safe). */
  query(sql: string, connection?: WarehouseConnection): Promise<Record<string, unknown>[]>;
  /**
   * Runs statements atomically (in one transaction when there are several) and returns the row
   * count of the last statement that reports one (`create table as` reports rows written).
   */
  executeAtomically(statements: string[], connection: WarehouseConnection): Promise<number | undefined>;
  /** Runs `work` in a transaction; rolls back on any error so the previous state stays. */
  transaction<T>(connection: WarehouseConnection, work: () => Promise<T>): Promise<T>;

  /** Whether `relation` is a table or a view (the catalog is read once per run, then kept current). */
  relationKind(relation: Relation, connection?: WarehouseConnection): Promise<RelationKind | undefined>;
  /** Records that `relation` now exists as `kind` (or no longer exists). */
  noteRelation(relation: Relation, kind: RelationKind | undefined): void;
  /** The columns of a relation or parenthesised query, in order, with the database's type names. */
  columns(relationSql: string, connection?: WarehouseConnection): Promise<ColumnDescription[]>;
  /** Creates `schema` if missing (in `database` when given: an attached DuckDB database). */
  ensureSchema(schema: string, connection?: WarehouseConnection, database?: string): Promise<void>;
  /** What a run-time render may ask (run_query, get_columns_in_relation), answered on `connection`. */
  questionsOn(connection?: WarehouseConnection): WarehouseQuestions;

  /** Loads a CSV seed into its table inside one transaction; returns the rows loaded. */
  loadSeed(seed: SeedLoad, connection: WarehouseConnection): Promise<number>;
  /** Every relation of `schemas` with its columns (for `docs generate`). */
  catalog(schemas: readonly string[]): Promise<CatalogRelation[]>;
  /**
   * Makes another environment's relations readable for `--defer` and returns the database name
   * they are qualified with (DuckDB: attaches the state's file read-only).
   */
  attachReadOnly(location: string): Promise<string>;

  /**
   * Optional: a database attached for this run only, for scratch copies the run reads and then
   * throws away (DuckDB: an in-memory database, so they are never written to the warehouse file).
   * Returns its name; adapters without it keep scratch copies in a schema of the warehouse.
   */
  scratchDatabase?(connection?: WarehouseConnection): Promise<string>;

  quote(name: string): string;
  render(relation: Relation): string;
  /**
   * Cancels the run's statements: each running one is interrupted (its transaction rolls back) and
   * every later one fails with `SSA-RUN-CANCELLED`, until `resume()` (the run's cleanup).
   */
  interrupt(): void;
  resume(): void;
  /** Closes every connection and releases the target's lock. */
  close(): Promise<void>;
}
