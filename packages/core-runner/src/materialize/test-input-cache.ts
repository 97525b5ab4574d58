import type { WarehouseAdapter, WarehouseConnection } from '../adapter/warehouse-adapter.js';
import type { Manifest } from '../project/manifest-types.js';
import type { ProjectNode } from '../project/project-types.js';
import { type SqlCompiler, stripTrailingSemicolon } from '../template/sql-compiler.js';

/** Below this many tests a model is cheaper to recompute than to copy. */
const minimumTests = 3;
export const testInputSchema = 'ssa_test_inputs';

/**
 * Each test of a view or an ephemeral model recomputes it (dbt does the same). When a run has
 * several tests on one such model, the first of them stores the model's rows once in a scratch
 * table and every test of it reads that copy: the tests see exactly the rows the model returns
 * now, at a fraction of the cost. On DuckDB the copies live in an in-memory database attached for
 * the run (nothing is written to the warehouse file, nothing outlives the process); elsewhere in a
 * scratch schema dropped at the end of the run, and at the start of the next one in case a kill
 * kept the end from coming.
 */
export class TestInputCache {
  readonly #tables = new Map<string, Promise<string>>();
  readonly #eligible: Set<string>;
  /**
   * Where the copies go: the adapter's scratch database when it has one (DuckDB: in memory, never
   * written to the warehouse file), else the scratch schema of the warehouse.
   */
  #scratch: Promise<string | undefined> | undefined;

  constructor(
    private readonly manifest: Manifest,
    private readonly adapter: WarehouseAdapter,
    private readonly compiler: SqlCompiler,
    selectedTests: Iterable<string>,
  ) {
    const counts = new Map<string, number>();
    for (const id of selectedTests) {
      const attached = manifest.nodes[id]?.attachedNode;
      if (attached) counts.set(attached, (counts.get(attached) ?? 0) + 1);
    }
    this.#eligible = new Set(
      [...counts]
        .filter(([id, count]) => count >= minimumTests && isRecomputed(manifest.nodes[id]))
        .map(([id]) => id),
    );
  }

  /** The test's SQL reading the stored copy of its model, or undefined to run it as compiled. */
  async compiledFor(test: ProjectNode, connection: WarehouseConnection): Promise<string | undefined> {
    const model = test.attachedNode;
    if (!model || !this.#eligible.has(model)) return undefined;
    let table = this.#tables.get(model);
    if (!table) {
      table = this.#store(model, connection);
      this.#tables.set(model, table);
    }
    const stored = await table;
    const sql = this.compiler.compileRedirected(test.uniqueId, new Map([[model, stored]]));
    return sql === undefined
      ? undefined
      : `-- reads ${stored}: the rows of ${this.manifest.nodes[model]?.name}, stored once for this run's tests\n${sql}`;
  }

  /**
   * Drops a scratch schema a killed run left behind, before this run reads the catalog: a reader
   * of the warehouse never keeps seeing stale copies past the next run's start.
   */
  static async clearLeftovers(adapter: WarehouseAdapter): Promise<void> {
    await adapter.execute(`drop schema if exists ${adapter.quote(testInputSchema)} cascade`);
  }

  async dispose(): Promise<void> {
    if (this.#tables.size === 0) return;
    await Promise.allSettled(this.#tables.values());
    const scratch = await this.#scratch?.catch(() => undefined);
    await this.adapter.execute(
      scratch
        ? `detach database if exists ${this.adapter.quote(scratch)}`
        : `drop schema if exists ${this.adapter.quote(testInputSchema)} cascade`,
    );
  }

  async #store(modelId: string, connection: WarehouseConnection): Promise<string> {
    const model = this.manifest.nodes[modelId] as ProjectNode;
    this.#scratch ??= this.adapter.scratchDatabase?.(connection) ?? Promise.resolve(undefined);
    const database = await this.#scratch;
    const identifier = `${model.packageName}__${model.name}`;
    const relation = database
      ? { database, schema: 'main', identifier }
      : { schema: testInputSchema, identifier };
    const table = this.adapter.render(relation);
    const select =
      model.config.materialized === 'ephemeral'
        ? stripTrailingSemicolon(this.compiler.compile(modelId))
        : // aliased: under --empty the reference is a subquery, and some warehouses want every one named
          `select * from ${this.compiler.referenceText(modelId)} as ${this.adapter.quote(model.name)}`;
    if (!database) await this.adapter.ensureSchema(testInputSchema, connection);
    await this.adapter.executeAtomically(
      this.adapter.sql.replaceRelation(
        relation,
        await this.adapter.relationKind(relation, connection),
        'table',
        select,
      ),
      connection,
    );
    this.adapter.noteRelation(relation, 'table');
    return table;
  }
}

function isRecomputed(node: ProjectNode | undefined): boolean {
  return (
    node?.resourceType === 'model' &&
    (node.config.materialized === 'view' || node.config.materialized === 'ephemeral')
  );
}
