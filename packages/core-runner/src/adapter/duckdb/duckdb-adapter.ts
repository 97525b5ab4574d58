import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import { ShopsmartError } from '../../errors.js';
import type { DuckDBAttachment } from '../../project/project-definition.js';
import type { Relation } from '../../project/project-types.js';
import type { ColumnValue, QueryResultValue } from '../../template/render-scope.js';
import type { WarehouseQuestions } from '../../template/sql-compiler.js';
import { templateColumns } from '../catalog-rows.js';
import type { SqlDialect } from '../sql-dialect.js';
import type {
  CatalogRelation,
  ColumnDescription,
  RelationKind,
  SeedLoad,
  WarehouseAdapter,
  WarehouseConnection,
} from '../warehouse-adapter.js';
import { ensureWarehouseDirectory } from '../warehouse-directory.js';
import { WarehouseLock } from '../warehouse-lock.js';
import { type WaitOptions, waitForWarehouse } from '../warehouse-wait.js';
import { catalogRelations, catalogSql } from './duckdb-catalog.js';
import { duckdbDialect, literal, quoteIdentifier, renderRelation, seedSelectSql } from './duckdb-dialect.js';
import { openDuckDBFile } from './duckdb-file-opener.js';
import { qualifyInformationSchema } from './information-schema-rewrite.js';

/** Converts DuckDB values into plain JSON-friendly JS (BIGINT → number when safe, DECIMAL → number). */
export function plainValue(value: DuckDBValue | unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === 'object') {
    const text = String(value);
    const asNumber = Number(text);
    if ('width' in (value as object) && 'scale' in (value as object)) return asNumber;
    return text;
  }
  return value;
}

/**
 * DuckDB's threads for one query: the machine's cores shared among the run's connections, at
 * least one. A run already executes independent nodes on separate connections; parallelising
 * each query as well oversubscribes the cores (on 2 cores with 4 connections, a scale-1 build
 * spent ~10% more CPU with DuckDB's default of one thread per core, and took longer).
 *
 * @example
 * queryThreads(4, 2); // 1
 * queryThreads(1, 8); // 8
 */
export function queryThreads(connections: number, cores: number = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / Math.max(1, connections)));
}

/**
 * The engine's only door to DuckDB. Owns the instance, a pool of connections (one per thread),
 * the warehouse lock, quoting and introspection; turns DuckDB's plain Errors into ShopsmartErrors.
 *
 * @example
 * const adapter = await DuckDBAdapter.open({ path: 'warehouse/dev.duckdb', threads: 4, command: 'build' });
 * await adapter.execute('create schema if not exists "main"');
 * await adapter.close();
 */
export class DuckDBAdapter implements WarehouseAdapter {
  readonly type = 'duckdb';
  readonly sql: SqlDialect = duckdbDialect;
  readonly #free: DuckDBConnection[] = [];
  readonly #waiters: ((connection: DuckDBConnection) => void)[] = [];
  readonly #all: DuckDBConnection[] = [];
  /** Relations of the warehouse, read once per run and kept current by `noteRelation`. */
  #catalog: Map<string, RelationKind> | undefined;
  /** The database (catalog) relations without one live in: the file's own. */
  #database = '';
  /** Schemas created (or being created) in this run: nodes on other threads wait for the same promise. */
  readonly #schemas = new Map<string, Promise<void>>();
  /** Connections running a statement now (what `interrupt` cancels). */
  readonly #busy = new Set<DuckDBConnection>();
  /** Set by `interrupt()`: every statement fails as cancelled until `resume()`. */
  #interrupted = false;
  /** The run's in-memory scratch database, attached on first use (see `scratchDatabase`). */
  #scratch: Promise<string> | undefined;

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    private readonly lock: WarehouseLock | undefined,
  ) {}

  /**
   * Opens the file under this process's lock. A busy warehouse (another run's lock, another
   * process holding the file) is waited for up to `wait.timeoutMs` in all, then an `SSA-LOCK-*`
   * error naming the holder.
   */
  static async open(options: {
    path: string;
    threads: number;
    command: string;
    wait?: WaitOptions;
    /** The profile's `attach:` databases (dbt-duckdb), attached before anything runs. */
    attach?: readonly DuckDBAttachment[];
  }): Promise<DuckDBAdapter> {
    const inMemory = options.path === ':memory:';
    if (!inMemory) ensureWarehouseDirectory(options.path);
    // One timeout for both waits: this process's lock, then the file itself.
    const wait = { ...options.wait, startedAt: Date.now() };
    const lock = inMemory
      ? undefined
      : await waitForWarehouse(() => WarehouseLock.acquire(options.path, options.command), wait);
    let instance: DuckDBInstance;
    try {
      instance = await openDuckDBFile(options.path, wait, {
        threads: String(queryThreads(Math.max(1, options.threads))),
      });
    } catch (error) {
      lock?.release();
      throw error;
    }
    const adapter = new DuckDBAdapter(options.path, instance, lock);
    const connections = Math.max(1, options.threads);
    for (let i = 0; i < connections; i++) {
      const connection = await instance.connect();
      adapter.#all.push(connection);
      adapter.#free.push(connection);
    }
    try {
      for (const attachment of options.attach ?? []) await adapter.execute(attachSql(attachment));
    } catch (error) {
      await adapter.close();
      throw error;
    }
    return adapter;
  }

  /** Runs `work` on a pooled connection; waits for one when all are busy. */
  async withConnection<T>(
    work: (connection: DuckDBConnection & WarehouseConnection) => Promise<T>,
  ): Promise<T> {
    const connection =
      this.#free.pop() ?? (await new Promise<DuckDBConnection>((resolve) => this.#waiters.push(resolve)));
    try {
      return await work(connection);
    } finally {
      const waiter = this.#waiters.shift();
      if (waiter) waiter(connection);
      else this.#free.push(connection);
    }
  }

  /** Executes statements; returns rows changed when DuckDB reports them. */
  async execute(sql: string, connection?: WarehouseConnection): Promise<number | undefined> {
    const run = (c: DuckDBConnection) =>
      this.#statement(c, sql, async (sql) => {
        const changed = (await c.run(sql)).rowsChanged;
        return typeof changed === 'number' ? changed : Number(changed);
      });
    return connection ? run(connection as DuckDBConnection) : this.withConnection(run);
  }

  /**
   * Runs one statement on `c`: refused once interrupted, cancellable while it runs, errors typed.
   * `work` gets the SQL as DuckDB can run it (`<db>.information_schema.x` made resolvable).
   */
  async #statement<T>(c: DuckDBConnection, sql: string, work: (sql: string) => Promise<T>): Promise<T> {
    if (this.#interrupted) throw cancelledError(sql);
    this.#busy.add(c);
    try {
      return await work(qualifyInformationSchema(sql));
    } catch (error) {
      throw toSqlError(error, sql);
    } finally {
      this.#busy.delete(c);
    }
  }

  /**
   * Cancels the run's statements: DuckDB interrupts each running one (whoever opened a transaction
   * rolls it back), and every later statement fails as cancelled (`SSA-RUN-CANCELLED`) until
   * `resume()`. A statement that was about to start when this was called is interrupted by the
   * repeat a moment later.
   */
  interrupt(): void {
    this.#interrupted = true;
    const repeat = (times: number) => {
      if (!this.#interrupted) return;
      for (const connection of this.#busy) connection.interrupt();
      if (times > 0 && this.#busy.size > 0) setTimeout(() => repeat(times - 1), 50).unref();
    };
    repeat(20);
  }

  /** Statements run again after `interrupt()` (the cleanup of an interrupted run). */
  resume(): void {
    this.#interrupted = false;
  }

  /** Rows as plain objects. */
  async query(sql: string, connection?: WarehouseConnection): Promise<Record<string, unknown>[]> {
    const run = (c: DuckDBConnection) =>
      this.#statement(c, sql, async (sql) =>
        (await c.runAndReadAll(sql))
          .getRowObjects()
          .map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plainValue(v)]))),
      );
    return connection ? run(connection as DuckDBConnection) : this.withConnection(run);
  }

  /** A run_query result shaped for templates. */
  async queryForTemplate(sql: string, connection?: WarehouseConnection): Promise<QueryResultValue> {
    // Column names from the result itself: a query that returns no rows still has its columns
    // (`load_result(...).table.columns[0]` of an empty result), and duplicate names stay apart.
    const run = (c: DuckDBConnection) =>
      this.#statement(c, sql, async (sql) => {
        const reader = await c.runAndReadAll(sql);
        return { names: reader.columnNames(), rows: reader.getRows() };
      });
    const { names: columnNames, rows } = await (connection
      ? run(connection as DuckDBConnection)
      : this.withConnection(run));
    const matrix = rows.map((row) => row.map(plainValue));
    return {
      column_names: columnNames,
      rows: matrix,
      columns: columnNames.map((name, index) => ({ name, values: () => matrix.map((r) => r[index]) })),
    };
  }

  /**
   * Whether `relation` is a table or a view. The catalog is read in one query the first time and
   * then kept up to date by the materializations (`noteRelation`), saving a catalog query per node.
   */
  async relationKind(
    relation: Relation,
    connection?: WarehouseConnection,
  ): Promise<RelationKind | undefined> {
    return (await this.#loadCatalog(connection)).get(this.#keyOf(relation));
  }

  async #loadCatalog(connection?: WarehouseConnection): Promise<Map<string, RelationKind>> {
    if (this.#catalog) return this.#catalog;
    const [current] = await this.query('select current_database() as name', connection);
    this.#database = String(current?.name ?? '');
    const rows = await this.query(
      'select table_catalog, table_schema, table_name, table_type from information_schema.tables',
      connection,
    );
    this.#catalog = new Map(
      rows.map((row) => [
        catalogKey(String(row.table_catalog), String(row.table_schema), String(row.table_name)),
        row.table_type === 'VIEW' ? 'view' : 'table',
      ]),
    );
    return this.#catalog;
  }

  /** Records that `relation` now exists as `kind` (or no longer exists). */
  noteRelation(relation: Relation, kind: RelationKind | undefined): void {
    if (!this.#catalog) return;
    if (kind) this.#catalog.set(this.#keyOf(relation), kind);
    else this.#catalog.delete(this.#keyOf(relation));
  }

  #keyOf(relation: Relation): string {
    return catalogKey(relation.database || this.#database, relation.schema, relation.identifier);
  }

  /**
   * Attaches another warehouse file read-only (for `--defer`: the production relations a CI build
   * reads) and returns the database name its relations are qualified with: the file's stem, as
   * dbt-duckdb names it, unless that clashes with this warehouse's own.
   *
   * @example
   * await adapter.attachReadOnly('warehouse/prod.duckdb'); // → 'prod'
   * // attach 'warehouse/prod.duckdb' as "prod" (read_only); then select * from "prod"."main"."dim_customers"
   */
  async attachReadOnly(path: string): Promise<string> {
    if (!existsSync(path))
      throw new ShopsmartError('SSA-WAREHOUSE-002', `the --state warehouse ${path} does not exist`, {
        file: path,
        hint: 'defer reads the warehouse the state manifest was built into; build it first',
      });
    const catalog = await this.#loadCatalog();
    const stem = basename(path)
      .replace(/\.[^.]*$/, '')
      .replace(/\W/g, '_');
    const name = stem && stem.toLowerCase() !== this.#database.toLowerCase() ? stem : 'deferred_state';
    await this.execute(`attach ${literal(path)} as ${quoteIdentifier(name)} (read_only)`);
    const rows = await this.query(
      `select table_schema, table_name, table_type from information_schema.tables where table_catalog = ${literal(name)}`,
    );
    for (const row of rows)
      catalog.set(
        catalogKey(name, String(row.table_schema), String(row.table_name)),
        row.table_type === 'VIEW' ? 'view' : 'table',
      );
    return name;
  }

  /**
   * An in-memory database attached to this instance (every pooled connection sees it) for copies
   * the run reads and discards: they cost no compression, no WAL and no checkpoint of the
   * warehouse file, and vanish when the warehouse closes, even after a kill.
   */
  async scratchDatabase(connection?: WarehouseConnection): Promise<string> {
    if (!this.#scratch) {
      const attached = this.execute(
        `attach ':memory:' as ${quoteIdentifier(scratchDatabaseName)}`,
        connection,
      ).then(() => scratchDatabaseName);
      attached.catch(() => {
        this.#scratch = undefined;
      });
      this.#scratch = attached;
    }
    return this.#scratch;
  }

  async columns(relationSql: string, connection?: WarehouseConnection): Promise<ColumnDescription[]> {
    const rows = await this.query(`describe select * from ${relationSql}`, connection);
    return rows.map((row) => ({ name: String(row.column_name), dataType: String(row.column_type) }));
  }

  async columnsForTemplate(relationSql: string, connection?: WarehouseConnection): Promise<ColumnValue[]> {
    return templateColumns(await this.columns(relationSql, connection));
  }

  /** Every relation of `schemas` with its columns and the row counts DuckDB keeps (for `docs generate`). */
  async catalog(schemas: readonly string[]): Promise<CatalogRelation[]> {
    return catalogRelations(await this.query(catalogSql(schemas)));
  }

  async ensureSchema(schema: string, connection?: WarehouseConnection, database?: string): Promise<void> {
    // Two threads creating the same schema at once conflict in DuckDB's catalog (write-write
    // conflict): the first creates it, the others wait for that.
    const key = `${database ?? ''}\u0000${schema}`.toLowerCase();
    const pending = this.#schemas.get(key);
    if (pending) return pending;
    const name = database
      ? `${quoteIdentifier(database)}.${quoteIdentifier(schema)}`
      : quoteIdentifier(schema);
    const created = this.execute(`create schema if not exists ${name}`, connection).then(() => undefined);
    this.#schemas.set(key, created);
    created.catch(() => this.#schemas.delete(key));
    return created;
  }

  /**
   * Runs statements atomically: one statement is atomic by itself; several run in a transaction.
   * Returns what the last statement reports as its row count (`create table as` reports rows written).
   */
  async executeAtomically(
    statements: string[],
    connection: WarehouseConnection,
  ): Promise<number | undefined> {
    const last = (sql: string) =>
      this.#statement(connection as DuckDBConnection, sql, async (sql) => {
        const reader = await (connection as DuckDBConnection).runAndReadAll(sql);
        const count = reader.columnNames().includes('Count') ? reader.getRows()[0]?.[0] : undefined;
        return count === undefined || count === null ? undefined : Number(count);
      });
    if (statements.length === 1) return last(statements[0] as string);
    return this.transaction(connection, async () => {
      for (const sql of statements.slice(0, -1)) await this.execute(sql, connection);
      return last(statements[statements.length - 1] as string);
    });
  }

  /** Runs `work` in a transaction; rolls back on any error so the previous state stays. */
  async transaction<T>(warehouseConnection: WarehouseConnection, work: () => Promise<T>): Promise<T> {
    const connection = warehouseConnection as DuckDBConnection;
    if (this.#interrupted) throw cancelledError('begin transaction');
    await connection.run('begin transaction');
    try {
      const result = await work();
      await connection.run('commit');
      return result;
    } catch (error) {
      try {
        await connection.run('rollback');
      } catch {
        // The transaction may already be aborted; the original error is what matters.
      }
      throw error;
    }
  }

  /**
   * What a run-time render may ask, answered on `connection` — the node's own. Taking another
   * pooled connection here would deadlock once every connection is held by such a node.
   */
  questionsOn(connection?: WarehouseConnection): WarehouseQuestions {
    return {
      query: (sql) => this.queryForTemplate(sql, connection),
      columns: (relation) => this.columnsForTemplate(relation, connection),
    };
  }

  /** Reads the CSV with DuckDB's reader inside the statement (or transaction) that replaces the table. */
  async loadSeed(seed: SeedLoad, connection: WarehouseConnection): Promise<number> {
    const select = seedSelectSql(
      seed.path,
      seed.delimiter,
      seed.columnTypes,
      seed.normalizeNames,
      seed.columnNames,
    );
    const existing = await this.relationKind(seed.relation, connection);
    const statements =
      seed.reload && existing === 'table'
        ? [
            `delete from ${renderRelation(seed.relation)}`,
            `insert into ${renderRelation(seed.relation)} ${select}`,
          ]
        : this.sql.replaceRelation(seed.relation, existing, 'table', select);
    for (const statement of statements) seed.recordSql(statement);
    const rows = (await this.executeAtomically(statements, connection)) ?? 0;
    this.noteRelation(seed.relation, 'table');
    return rows;
  }

  quote(name: string): string {
    return quoteIdentifier(name);
  }

  render(relation: Relation): string {
    return renderRelation(relation);
  }

  async close(): Promise<void> {
    // Closing checkpoints what the run wrote (~0.3-0.6 s for a scale-1 build) on the calling
    // thread; a CHECKPOINT statement does it on DuckDB's own, so the caller can go on meanwhile
    // (a run writes its artifacts). Should it fail (a read-only file), closing checkpoints as before.
    await this.#all[0]?.run('checkpoint').catch(() => undefined);
    for (const connection of this.#all) connection.closeSync();
    this.instance.closeSync();
    this.lock?.release();
  }
}

/**
 * dbt-duckdb's ATTACH for a profile entry.
 *
 * @example
 * attachSql({ path: '/p/ref.duckdb', alias: 'ref', readOnly: true }); // → attach if not exists '/p/ref.duckdb' as "ref" (read_only)
 */
function attachSql(attachment: DuckDBAttachment): string {
  const options = [
    ...(attachment.type ? [`type ${attachment.type}`] : []),
    ...(attachment.readOnly ? ['read_only'] : []),
  ];
  const tail = options.length > 0 ? ` (${options.join(', ')})` : '';
  return `attach if not exists ${literal(attachment.path)} as ${quoteIdentifier(attachment.alias)}${tail}`;
}

/** The in-memory database scratch copies live in (`scratchDatabase`). */
const scratchDatabaseName = 'ssa_scratch';

const catalogKey = (database: string, schema: string, identifier: string) =>
  `${database}\u0000${schema}\u0000${identifier}`.toLowerCase();

/** What a statement cancelled by `interrupt()` fails with. */
const cancelledError = (sql: string) =>
  new ShopsmartError('SSA-RUN-CANCELLED', 'cancelled: the run was interrupted', {
    hint: `the statement began: ${sql.trim().slice(0, 120).replace(/\s+/g, ' ')}`,
  });

/** DuckDB's error as a ShopsmartError; the caller adds the model file. */
export function toSqlError(error: unknown, sql: string): ShopsmartError {
  if (error instanceof ShopsmartError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith('INTERRUPT Error')) return cancelledError(sql);
  const lineMatch = /LINE (\d+):/.exec(message);
  // DuckDB's own suggestions ("Candidate bindings: …", "Did you mean …") follow the first line.
  const suggestion = message.split('\n').find((l) => /Candidate bindings|Did you mean/i.test(l));
  const first = message.split('\n')[0] ?? message;
  return new ShopsmartError('SSA-SQL-001', suggestion ? `${first} ${suggestion.trim()}` : first, {
    line: lineMatch ? Number(lineMatch[1]) : undefined,
    hint: `the statement began: ${sql.trim().slice(0, 120).replace(/\s+/g, ' ')}`,
    cause: error,
  });
}
