import pg from 'pg';
import { ShopsmartError } from '../../errors.js';
import type { PostgresConnection, TargetConfig } from '../../project/project-definition.js';
import type { Relation } from '../../project/project-types.js';
import type { ColumnValue, QueryResultValue } from '../../template/render-scope.js';
import type { WarehouseQuestions } from '../../template/sql-compiler.js';
import { catalogRelations, templateColumns } from '../catalog-rows.js';
import type { SqlDialect } from '../sql-dialect.js';
import { literal, quoteIdentifier, renderRelation } from '../standard-sql.js';
import type {
  CatalogRelation,
  ColumnDescription,
  OpenOptions,
  RelationKind,
  SeedLoad,
  WarehouseAdapter,
  WarehouseConnection,
} from '../warehouse-adapter.js';
import { postgresCatalogSql, postgresDialect } from './postgres-dialect.js';
import { connectError, isConnectionLost, lostError, pgSqlError } from './postgres-errors.js';
import { acquireAdvisoryLock } from './postgres-lock.js';
import { loadSeedWithCopy } from './postgres-seed-loader.js';
import { postgresTypes } from './postgres-values.js';

type Client = pg.Client;

/**
 * The engine's door to PostgreSQL, with node-postgres: one connection per thread (the pool is
 * sized by `threads`), one more holding the target's advisory lock for the run, sessions in UTC.
 * Turns the server's errors into ShopsmartErrors; an unreachable target, a bad password, a
 * missing database or a connection dropped mid-run is one line naming the target.
 *
 * @example
 * const adapter = await PostgresAdapter.open(target, { threads: 4, command: 'build' });
 * await adapter.query('select 1 as x'); // → [{ x: 1 }]
 * await adapter.close();
 */
export class PostgresAdapter implements WarehouseAdapter {
  readonly type = 'postgres';
  readonly sql: SqlDialect = postgresDialect;
  readonly #free: Client[] = [];
  readonly #waiters: ((client: Client) => void)[] = [];
  readonly #all: Client[] = [];
  #catalog: Map<string, RelationKind> | undefined;
  readonly #schemas = new Map<string, Promise<void>>();
  #lost = false;
  /** Connections running a statement now (what `interrupt` cancels). */
  readonly #busy = new Set<Client>();
  /** Set by `interrupt()`: every statement fails as cancelled until `resume()`. */
  #interrupted = false;

  private constructor(
    readonly target: TargetConfig,
    private readonly lockClient: Client,
  ) {}

  static async open(target: TargetConfig, options: OpenOptions): Promise<PostgresAdapter> {
    const settings = target.postgres;
    if (!settings) throw new ShopsmartError('SSA-PROJECT-006', `target '${target.name}' has no connection`);
    const name = `shopsmart ${options.invocationId ?? process.pid} (${options.command})`.slice(0, 63);
    const lockClient = await connect(target, settings, name);
    try {
      await acquireAdvisoryLock(lockClient, target.name, target.schema, settings.dbname);
    } catch (error) {
      await lockClient.end().catch(() => undefined);
      throw error;
    }
    const adapter = new PostgresAdapter(target, lockClient);
    try {
      // The target's own schema exists before on-run-start hooks write to it (DuckDB's main always does).
      await lockClient
        .query(`create schema if not exists ${quoteIdentifier(target.schema)}`)
        .catch((error: unknown) => {
          if ((error as { code?: string }).code !== '23505') throw pgSqlError(error, 'create schema');
        });
      const clients = await Promise.all(
        Array.from({ length: Math.max(1, options.threads) }, () => connect(target, settings, name)),
      );
      for (const client of clients) {
        client.on('error', () => {
          adapter.#lost = true;
        });
        adapter.#all.push(client);
        adapter.#free.push(client);
      }
    } catch (error) {
      await adapter.close();
      throw error;
    }
    return adapter;
  }

  get #where(): string {
    return this.target.path;
  }

  async withConnection<T>(work: (connection: WarehouseConnection) => Promise<T>): Promise<T> {
    const client = this.#free.pop() ?? (await new Promise<Client>((resolve) => this.#waiters.push(resolve)));
    try {
      return await work(client as WarehouseConnection);
    } finally {
      const waiter = this.#waiters.shift();
      if (waiter) waiter(client);
      else this.#free.push(client);
    }
  }

  #on<T>(connection: WarehouseConnection | undefined, work: (client: Client) => Promise<T>): Promise<T> {
    return connection ? work(connection as Client) : this.withConnection((c) => work(c as Client));
  }

  async #run(client: Client, sql: string): Promise<pg.QueryResult> {
    if (this.#interrupted) throw cancelledError(sql);
    this.#busy.add(client);
    try {
      const result = (await client.query(sql)) as pg.QueryResult | pg.QueryResult[];
      return Array.isArray(result) ? (result[result.length - 1] as pg.QueryResult) : result;
    } catch (error) {
      if ((error as { code?: string }).code === '57014') throw cancelledError(sql);
      if (this.#lost || isConnectionLost(error)) throw lostError(this.target.name, this.#where);
      throw pgSqlError(error, sql);
    } finally {
      this.#busy.delete(client);
    }
  }

  /**
   * Cancels the run's statements: the server cancels each running one (`pg_cancel_backend`, sent
   * on the lock's connection; the node's transaction rolls back), and every later statement fails
   * as cancelled (`SSA-RUN-CANCELLED`) until `resume()`.
   */
  interrupt(): void {
    this.#interrupted = true;
    const pids = [...this.#busy].map((client) => (client as unknown as { processID?: number }).processID);
    for (const pid of pids)
      if (pid) this.lockClient.query('select pg_cancel_backend($1)', [pid]).catch(() => undefined);
  }

  /** Statements run again after `interrupt()` (the cleanup of an interrupted run). */
  resume(): void {
    this.#interrupted = false;
  }

  async execute(sql: string, connection?: WarehouseConnection): Promise<number | undefined> {
    return this.#on(connection, async (client) => (await this.#run(client, sql)).rowCount ?? undefined);
  }

  async query(sql: string, connection?: WarehouseConnection): Promise<Record<string, unknown>[]> {
    return this.#on(connection, async (client) => (await this.#run(client, sql)).rows);
  }

  async queryForTemplate(sql: string, connection?: WarehouseConnection): Promise<QueryResultValue> {
    return this.#on(connection, async (client) => {
      const result = await this.#run(client, sql);
      const columnNames = result.fields.map((f) => f.name);
      const matrix = result.rows.map((row: Record<string, unknown>) => columnNames.map((c) => row[c]));
      return {
        column_names: columnNames,
        rows: matrix,
        columns: columnNames.map((name, index) => ({ name, values: () => matrix.map((r) => r[index]) })),
      };
    });
  }

  async executeAtomically(
    statements: string[],
    connection: WarehouseConnection,
  ): Promise<number | undefined> {
    const client = connection as Client;
    const work = async () => {
      let count: number | undefined;
      for (const sql of statements) {
        const result = await this.#run(client, sql);
        if (result.rowCount !== null && result.rowCount !== undefined && result.command !== 'ALTER')
          count = result.rowCount;
      }
      return count;
    };
    return statements.length === 1 ? work() : this.transaction(connection, work);
  }

  async transaction<T>(connection: WarehouseConnection, work: () => Promise<T>): Promise<T> {
    const client = connection as Client;
    await this.#run(client, 'begin');
    try {
      const result = await work();
      await this.#run(client, 'commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    }
  }

  async relationKind(
    relation: Relation,
    connection?: WarehouseConnection,
  ): Promise<RelationKind | undefined> {
    return (await this.#loadCatalog(connection)).get(this.#keyOf(relation));
  }

  async #loadCatalog(connection?: WarehouseConnection): Promise<Map<string, RelationKind>> {
    if (this.#catalog) return this.#catalog;
    const rows = await this.query(
      `select table_schema, table_name, table_type from information_schema.tables
       where table_schema not in ('pg_catalog', 'information_schema') and table_schema not like 'pg_temp%'`,
      connection,
    );
    this.#catalog = new Map(
      rows.map((row) => [
        catalogKey(String(row.table_schema), String(row.table_name)),
        row.table_type === 'VIEW' ? 'view' : 'table',
      ]),
    );
    return this.#catalog;
  }

  noteRelation(relation: Relation, kind: RelationKind | undefined): void {
    if (!this.#catalog) return;
    if (kind) this.#catalog.set(this.#keyOf(relation), kind);
    else this.#catalog.delete(this.#keyOf(relation));
  }

  #keyOf(relation: Relation): string {
    return catalogKey(relation.schema, relation.identifier);
  }

  /** Columns and their Postgres type names (`numeric(18,2)`, `timestamp without time zone`). */
  async columns(relationSql: string, connection?: WarehouseConnection): Promise<ColumnDescription[]> {
    return this.#on(connection, async (client) => {
      const result = await this.#run(client, `select * from ${relationSql} limit 0`);
      if (result.fields.length === 0) return [];
      const types = await client.query<{ type: string }>(
        'select format_type(t.oid, nullif(t.mod, -1)) as type from unnest($1::oid[], $2::int[]) with ordinality as t(oid, mod, i) order by t.i',
        [result.fields.map((f) => f.dataTypeID), result.fields.map((f) => f.dataTypeModifier)],
      );
      return result.fields.map((f, i) => ({ name: f.name, dataType: types.rows[i]?.type ?? 'text' }));
    });
  }

  async columnsForTemplate(relationSql: string, connection?: WarehouseConnection): Promise<ColumnValue[]> {
    return templateColumns(await this.columns(relationSql, connection));
  }

  async catalog(schemas: readonly string[]): Promise<CatalogRelation[]> {
    return catalogRelations(await this.query(postgresCatalogSql(schemas)));
  }

  async ensureSchema(schema: string, connection?: WarehouseConnection): Promise<void> {
    const pending = this.#schemas.get(schema);
    if (pending) return pending;
    const created = this.#on(connection, async (client) => {
      try {
        await client.query(`create schema if not exists ${quoteIdentifier(schema)}`);
      } catch (error) {
        // Another session created it at the same moment (unique violation on the namespace).
        if ((error as { code?: string }).code !== '23505') throw pgSqlError(error, 'create schema');
      }
    });
    this.#schemas.set(schema, created);
    created.catch(() => this.#schemas.delete(schema));
    return created;
  }

  questionsOn(connection?: WarehouseConnection): WarehouseQuestions {
    return {
      query: (sql) => this.queryForTemplate(sql, connection),
      columns: (relation) => this.columnsForTemplate(relation, connection),
    };
  }

  async loadSeed(seed: SeedLoad, connection: WarehouseConnection): Promise<number> {
    const client = connection as Client;
    const rows = await this.transaction(connection, () =>
      loadSeedWithCopy(client, seed, (sql) => this.#run(client, sql)).catch((error: unknown) => {
        if (error instanceof ShopsmartError) throw error;
        if (this.#lost || isConnectionLost(error)) throw lostError(this.target.name, this.#where);
        throw pgSqlError(error, `copy ${renderRelation(seed.relation)} from stdin`);
      }),
    );
    this.noteRelation(seed.relation, 'table');
    return rows;
  }

  /**
   * `--defer` on Postgres reads the other environment's schemas in the same database; relations
   * keep their own schema, so nothing is attached.
   */
  async attachReadOnly(location: string): Promise<string> {
    if (location === this.target.path) return '';
    throw new ShopsmartError(
      'SSA-WAREHOUSE-012',
      `--defer on target '${this.target.name}' reads state built in ${location}, another database`,
      { hint: `defer to state built on the same Postgres database (${this.target.path}), in its own schema` },
    );
  }

  quote(name: string): string {
    return quoteIdentifier(name);
  }

  render(relation: Relation): string {
    return renderRelation(relation);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.#all.map((client) => client.end()));
    // Ending the lock's session releases the advisory lock.
    await this.lockClient.end().catch(() => undefined);
  }
}

/** What a statement cancelled by `interrupt()` fails with. */
const cancelledError = (sql: string) =>
  new ShopsmartError('SSA-RUN-CANCELLED', 'cancelled: the run was interrupted', {
    hint: `the statement began: ${sql.trim().slice(0, 120).replace(/\s+/g, ' ')}`,
  });

const catalogKey = (schema: string, identifier: string) => `${schema}\u0000${identifier}`.toLowerCase();

async function connect(
  target: TargetConfig,
  settings: PostgresConnection,
  applicationName: string,
): Promise<Client> {
  const ssl =
    settings.sslmode === 'disable' || settings.sslmode === 'allow' || settings.sslmode === 'prefer'
      ? false
      : { rejectUnauthorized: settings.sslmode === 'verify-ca' || settings.sslmode === 'verify-full' };
  const client = new pg.Client({
    host: settings.host,
    port: settings.port,
    user: settings.user,
    password: settings.password,
    database: settings.dbname,
    ssl,
    application_name: applicationName,
    connectionTimeoutMillis: settings.connectTimeoutSeconds * 1000,
    options: `-c TimeZone=UTC -c search_path=${literal(target.schema).slice(1, -1)},public`,
    types: postgresTypes,
  });
  // An idle connection the server drops emits 'error'; without a listener it would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw connectError(target.name, target.path, error);
  }
  return client;
}
