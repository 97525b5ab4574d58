import { relative } from 'node:path';
import { ShopsmartError } from '../errors.js';
import { recordingEnvReads } from '../project/env-var-reader.js';
import type { ParsedProject } from '../project/manifest-builder.js';
import type { ProjectNode, Relation } from '../project/project-types.js';
import { ExecutionScope, type WarehouseAnswers } from './execution-scope.js';
import { tokenPattern } from './parse-scope.js';
import {
  type RelationValue,
  relationMarker,
  relationText,
  relationValue,
  renderRelation,
} from './relation-value.js';
import type { ColumnValue, QueryResultValue, RelationAddress } from './render-scope.js';

/** What a run-time render may ask the warehouse (the adapter implements it). */
export interface WarehouseQuestions {
  query(sql: string): Promise<QueryResultValue>;
  columns(relation: string): Promise<ColumnValue[]>;
}

const maxRenderRounds = 8;

/** A run-time render as a render memo keeps it: the SQL and the `{{ log() }}` messages. */
export interface RenderMemoEntry {
  output: string;
  logs: string[];
}

/**
 * Where run-time renders are remembered across runs (tasks/render-cache.ts): a render that asked
 * the warehouse nothing is the same for the same key in the same parse.
 */
export interface RenderMemo {
  keyOf(parts: unknown[]): string;
  lookup(key: string): RenderMemoEntry | undefined;
  store(key: string, entry: RenderMemoEntry, envReads: ReadonlyMap<string, string | undefined>): void;
}
const leadingWith = /^(\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*)with\s+(recursive\s+)?/i;

/**
 * Turns parsed nodes into SQL: substitutes relation tokens, injects ephemeral models as CTEs
 * (nested ephemerals first, each once), and re-renders nodes that need the warehouse at run time.
 *
 * @example
 * const compiler = new SqlCompiler(parsedProject);
 * compiler.compile('model.marts.fct_orders');
 * // → 'with __dbt__cte__int_x as (select …) select … from "main"."stg_orders" join __dbt__cte__int_x …'
 */
export class SqlCompiler {
  readonly #cache = new Map<string, string>();
  /** Upstream nodes read from another environment's relations (`--defer`). */
  #deferred: ReadonlyMap<string, Relation> = new Map();
  /** `--empty`: refs and sources read zero rows. */
  #empty = false;
  /**
   * Run-time renders of earlier runs of this parse (a run sets it; see renderWithWarehouse's
   * `memoAs`). Dropped by `deferTo` and `emptyReferences`, which point refs elsewhere.
   */
  renderMemo: RenderMemo | undefined;

  constructor(
    private readonly project: ParsedProject,
    /** Receives `{{ log(...) }}` messages of run-time renders (the engine turns them into events). */
    private readonly onLog?: (message: string, uniqueId: string) => void,
  ) {}

  /**
   * Points references to these nodes at the given relations instead of their own (dbt's defer:
   * unselected parents missing from this target are read where production built them).
   */
  deferTo(relations: ReadonlyMap<string, Relation>): void {
    if (relations.size === 0) return;
    this.#deferred = relations;
    this.#cache.clear();
    this.renderMemo = undefined;
  }

  /**
   * dbt's `--empty`: every ref and source (not `this`, not ephemerals, which are CTEs over their
   * own refs) becomes `(select * from <relation> where false limit 0)`, so models build with
   * their real columns and zero rows.
   */
  emptyReferences(): void {
    this.#empty = true;
    this.#cache.clear();
    this.renderMemo = undefined;
  }

  #limited(text: string): string {
    return this.#empty ? limitedRelation(text) : text;
  }

  node(uniqueId: string): ProjectNode {
    const node = this.project.manifest.nodes[uniqueId] ?? this.project.manifest.sources[uniqueId];
    if (!node) throw new ShopsmartError('SSA-NODE-404', `no node '${uniqueId}' in the project`);
    return node;
  }

  /** SQL text for a reference to `uniqueId` from another node's code. */
  referenceText(uniqueId: string): string {
    const node = this.node(uniqueId);
    if (node.resourceType === 'model' && node.config.materialized === 'ephemeral')
      return `__dbt__cte__${node.name}`;
    const relation = this.#deferred.get(uniqueId) ?? node.relation;
    if (!relation) throw new ShopsmartError('SSA-NODE-405', `'${node.name}' has no relation to select from`);
    return this.#limited(renderRelation(relation));
  }

  relationValueOf(uniqueId: string): RelationValue {
    const node = this.node(uniqueId);
    if (node.resourceType === 'model' && node.config.materialized === 'ephemeral') {
      const name = `__dbt__cte__${node.name}`;
      return relationValue({ schema: '', identifier: name }, name);
    }
    const relation = this.#deferred.get(uniqueId) ?? node.relation ?? { schema: '', identifier: node.name };
    return relationValue(relation, this.#limited(renderRelation(relation)));
  }

  /**
   * Keeps `sql` as this node's compiled SQL from now on (what `compile` rendered with `execute`
   * true against the warehouse), so artifacts written later show it.
   */
  remember(uniqueId: string, sql: string): void {
    this.#cache.set(uniqueId, sql);
  }

  /** Whether the node renders again at run time (it asks the warehouse or tests `execute`). */
  rendersAtExecution(uniqueId: string): boolean {
    return this.project.parsed.get(uniqueId)?.renderAtExecution ?? false;
  }

  /** Compiled SQL from the parse render (no warehouse access). */
  compile(uniqueId: string): string {
    const cached = this.#cache.get(uniqueId);
    if (cached !== undefined) return cached;
    const node = this.node(uniqueId);
    const parsed = this.project.parsed.get(uniqueId);
    if (!parsed) throw new ShopsmartError('SSA-NODE-406', `'${node.name}' has no SQL to compile`);
    const body = this.#substitute(node, parsed.code, parsed.tokens);
    const sql = this.#injectEphemerals(node, body);
    this.#cache.set(uniqueId, sql);
    return sql;
  }

  /**
   * Compiled SQL with some references pointed elsewhere (`uniqueId → relation SQL`): used to let
   * the tests of a view or ephemeral model read one stored copy of it instead of recomputing it.
   * Nodes that must render at run time are compiled normally.
   */
  compileRedirected(uniqueId: string, redirects: ReadonlyMap<string, string>): string | undefined {
    const parsed = this.project.parsed.get(uniqueId);
    if (!parsed || parsed.renderAtExecution) return undefined;
    const node = this.node(uniqueId);
    return this.#injectEphemerals(
      node,
      this.#substitute(node, parsed.code, parsed.tokens, redirects),
      redirects,
    );
  }

  /**
   * Compiled SQL for running `uniqueId` now with some references pointed elsewhere
   * (`uniqueId → SQL text`, e.g. a microbatch's filtered inputs), rendering at run time when needed.
   */
  async compileForExecutionRedirected(
    uniqueId: string,
    redirects: ReadonlyMap<string, string>,
    options: { incremental: boolean; warehouse: WarehouseQuestions; model?: Record<string, unknown> },
  ): Promise<string> {
    // A batch renders afresh when the model may read `model.batch` (the parse render had none).
    const redirected =
      options.model && /\bbatch\b/.test(this.node(uniqueId).rawCode)
        ? undefined
        : this.compileRedirected(uniqueId, redirects);
    if (redirected !== undefined) return redirected;
    const node = this.node(uniqueId);
    const body = await this.renderWithWarehouse(node, node.rawCode, {
      ...options,
      relationOf: (id) => {
        const text = redirects.get(id);
        return text ? relationValue({ schema: '', identifier: id }, text) : this.relationValueOf(id);
      },
    });
    return this.#injectEphemerals(node, body, redirects);
  }

  /**
   * Compiled SQL for running `uniqueId` now: the parse render when it is enough, otherwise a fresh
   * render with `is_incremental()` answered and warehouse questions asked until none are pending.
   */
  async compileForExecution(
    uniqueId: string,
    options: { incremental: boolean; warehouse: WarehouseQuestions },
  ): Promise<string> {
    const parsed = this.project.parsed.get(uniqueId);
    if (!parsed?.renderAtExecution) {
      for (const message of parsed?.logs ?? []) this.onLog?.(message, uniqueId);
      return this.compile(uniqueId);
    }
    const node = this.node(uniqueId);
    const body = await this.renderWithWarehouse(node, node.rawCode, { ...options, memoAs: 'execution' });
    return this.#injectEphemerals(node, body);
  }

  /**
   * Compiles SQL that is no node of the project (`show --inline`, `run-operation`) as if it were
   * a model of `node`'s layer: refs, sources and macros rendered, ephemeral refs injected as CTEs.
   *
   * @example
   * await compiler.compileInline(inlineNode, "select * from {{ ref('dim_customers') }}", { warehouse });
   * // 'select * from "main"."dim_customers"'
   */
  async compileInline(
    node: ProjectNode,
    source: string,
    options: { warehouse: WarehouseQuestions },
  ): Promise<string> {
    const referenced = new Set<string>();
    const body = await this.renderWithWarehouse(node, source, {
      incremental: false,
      warehouse: options.warehouse,
      relationOf: (id) => {
        referenced.add(id);
        return this.relationValueOf(id);
      },
    });
    return this.#injectEphemerals({ ...node, dependsOn: [...referenced] }, body);
  }

  /** Renders any Jinja (a model body or a hook) in a node's run-time context. */
  async renderWithWarehouse(
    node: ProjectNode,
    source: string,
    options: {
      incremental: boolean;
      warehouse: WarehouseQuestions;
      /** Replaces where refs and sources point (unit tests point them at fixtures). */
      relationOf?: (uniqueId: string) => RelationValue;
      thisRelation?: RelationValue;
      vars?: Record<string, unknown>;
      /** Extra top-level names for this template (macros see them only as arguments). */
      context?: Record<string, unknown>;
      /** Extra keys of `model` (a microbatch's `batch`). */
      model?: Record<string, unknown>;
      /**
       * Lets `renderMemo` answer (and keep the render): what, besides the project and these
       * options, decides where `relationOf` points — e.g. `unit_test:<id>` (its fixtures' names).
       * Left out, the render is always made.
       */
      memoAs?: string;
    },
  ): Promise<string> {
    const memo = options.memoAs === undefined ? undefined : this.renderMemo;
    const memoKey = memo?.keyOf([
      options.memoAs,
      node.uniqueId,
      source,
      options.incremental,
      options.vars ?? null,
      options.thisRelation ?? null,
      options.model ?? null,
      options.context ?? null,
    ]);
    if (memo && memoKey) {
      const known = memo.lookup(memoKey);
      if (known) {
        for (const message of known.logs) this.onLog?.(message, node.uniqueId);
        return known.output;
      }
    }
    const answers: WarehouseAnswers = { queries: new Map(), columns: new Map(), relations: new Map() };
    const file = relative(this.project.definition.rootDir, node.origin.absolutePath) || node.originalFilePath;
    const relationOf = options.relationOf ?? ((id: string) => this.relationValueOf(id));
    const where = testWhere(node);
    // dbt's get_where_subquery: a test's `where` config filters the model it tests, at run time too.
    const filteredRelationOf = where
      ? (id: string) => {
          const value = relationOf(id);
          if (id !== node.attachedNode) return value;
          const text = relationText(value) ?? '';
          return { ...value, __relation__: relationMarker(whereSubquery(text, where)) };
        }
      : relationOf;
    for (let round = 0; round < maxRenderRounds; round++) {
      const scope = new ExecutionScope(
        node,
        file,
        this.project.refs,
        options.vars ? this.project.vars.withOverrides(options.vars) : this.project.vars,
        filteredRelationOf,
        options.incremental,
        answers,
        options.thisRelation ?? (node.relation ? relationValue(node.relation) : undefined),
        {
          name: node.name,
          unique_id: node.uniqueId,
          package_name: node.packageName,
          config: node.config,
          batch: null,
          ...options.model,
        },
      );
      let output: string | undefined;
      let envReads: ReadonlyMap<string, string | undefined> = new Map();
      try {
        const rendered = recordingEnvReads(() =>
          this.project.engine.render({
            file,
            source,
            layer: node.packageName,
            scope,
            ...(options.context ? { context: options.context } : {}),
          }),
        );
        output = rendered.result;
        envReads = rendered.reads;
      } catch (error) {
        // A template may use a query result right away (`run_query(q).rows[0][0]`): while answers
        // are pending that fails on the placeholder; answer, then render again.
        if (!hasPending(scope)) throw error;
      }
      if (output !== undefined && !hasPending(scope)) {
        for (const message of scope.logs) this.onLog?.(message, node.uniqueId);
        const askedNothing = answers.queries.size + answers.columns.size + answers.relations.size === 0;
        if (memo && memoKey && askedNothing) memo.store(memoKey, { output, logs: [...scope.logs] }, envReads);
        return output;
      }
      for (const sql of scope.pending.queries) answers.queries.set(sql, await options.warehouse.query(sql));
      for (const relation of scope.pending.columns)
        answers.columns.set(relation, await options.warehouse.columns(relation));
      for (const [key, address] of scope.pending.relations)
        answers.relations.set(key, await findRelation(options.warehouse, address));
    }
    throw new ShopsmartError(
      'SSA-JINJA-004',
      `'${node.name}' kept asking the warehouse new questions after ${maxRenderRounds} renders`,
      {
        file,
        hint: 'run_query calls whose SQL depends on earlier run_query results are limited; simplify the template',
      },
    );
  }

  #substitute(
    node: ProjectNode,
    code: string,
    tokens: Map<number, string>,
    redirects?: ReadonlyMap<string, string>,
  ): string {
    const filtered = testWhere(node);
    return code.replace(tokenPattern, (_match, key: string, field: string) => {
      const uniqueId = key === 't' ? node.uniqueId : tokens.get(Number(key));
      if (!uniqueId) return _match;
      if (field === 'rel') {
        if (key === 't') return node.relation ? renderRelation(node.relation) : `__dbt__cte__${node.name}`;
        const text = redirects?.get(uniqueId) ?? this.referenceText(uniqueId);
        // dbt applies a test's `where` config by wrapping the model it tests in a subquery.
        if (filtered && uniqueId === node.attachedNode) return whereSubquery(text, filtered);
        return text;
      }
      const value = this.relationValueOf(uniqueId) as unknown as Record<string, string>;
      return value[field] ?? '';
    });
  }

  /** Ephemeral models this SQL reaches, deepest first, each once. */
  #ephemeralChain(node: ProjectNode, redirects?: ReadonlyMap<string, string>): ProjectNode[] {
    const chain: ProjectNode[] = [];
    const seen = new Set<string>();
    const visit = (current: ProjectNode) => {
      for (const parentId of current.dependsOn) {
        const parent = this.project.manifest.nodes[parentId];
        if (
          parent?.resourceType !== 'model' ||
          parent.config.materialized !== 'ephemeral' ||
          seen.has(parentId)
        )
          continue;
        if (redirects?.has(parentId)) continue;
        seen.add(parentId);
        visit(parent);
        chain.push(parent);
      }
    };
    visit(node);
    return chain;
  }

  #injectEphemerals(node: ProjectNode, body: string, redirects?: ReadonlyMap<string, string>): string {
    const chain = this.#ephemeralChain(node, redirects);
    const sql = injectCtes(
      body,
      chain.map((ephemeral) => {
        const parsed = this.project.parsed.get(ephemeral.uniqueId);
        return {
          name: `__dbt__cte__${ephemeral.name}`,
          sql: parsed ? this.#substitute(ephemeral, parsed.code, parsed.tokens) : '',
        };
      }),
    );
    return this.#empty ? aliasLimitedRelations(sql) : sql;
  }
}

function hasPending(scope: ExecutionScope): boolean {
  const { queries, columns, relations } = scope.pending;
  return queries.size > 0 || columns.size > 0 || relations.size > 0;
}

/**
 * `adapter.get_relation`: looks the relation up in information_schema (names compared without
 * case, as DuckDB resolves them); none when it does not exist, as in dbt.
 */
async function findRelation(
  warehouse: WarehouseQuestions,
  address: RelationAddress,
): Promise<RelationValue | null> {
  const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
  const where = [
    `lower(table_schema) = lower(${literal(address.schema)})`,
    `lower(table_name) = lower(${literal(address.identifier)})`,
    ...(address.database ? [`lower(table_catalog) = lower(${literal(address.database)})`] : []),
  ];
  const found = await warehouse.query(
    `select table_catalog, table_schema, table_name, table_type from information_schema.tables where ${where.join(' and ')} order by (table_catalog = current_database()) desc limit 1`,
  );
  const row = found.rows[0];
  if (!row) return null;
  const type = String(row[3]).toUpperCase().includes('VIEW') ? 'view' : 'table';
  const relation = relationValue({
    ...(address.database ? { database: String(row[0]) } : {}),
    schema: String(row[1]),
    identifier: String(row[2]),
  });
  return { ...relation, type, is_table: type === 'table', is_view: type === 'view' } as RelationValue;
}

/**
 * Puts CTEs in front of a query, merging them into its own leading `with` when it has one.
 *
 * @example
 * injectCtes('with a as (select 1) select * from a', [{ name: 'b', sql: 'select 2' }]);
 * // → 'with b as (\nselect 2\n),\na as (select 1) select * from a'
 */
export function injectCtes(body: string, ctes: { name: string; sql: string }[]): string {
  if (ctes.length === 0) return body;
  const definitions = ctes.map((cte) => `${cte.name} as (\n${stripTrailingSemicolon(cte.sql)}\n)`);
  const match = leadingWith.exec(body);
  if (match) {
    const recursive = match[2] ? 'recursive ' : '';
    return `${match[1]}with ${recursive}${definitions.join(',\n')},\n${body.slice(match[0].length)}`;
  }
  return `with ${definitions.join(',\n')}\n${body}`;
}

/**
 * A relation read with zero rows, as dbt's `--empty` renders refs and sources. Rendered without
 * an alias, so that the model's own `as x` after a ref stays valid; aliasLimitedRelations gives
 * the ones the model left bare an alias once the whole statement is rendered.
 *
 * @example
 * limitedRelation('"main"."stg_orders"'); // '(select * from "main"."stg_orders" where false limit 0)'
 */
export function limitedRelation(text: string): string {
  return `(select * from ${text} where false limit 0)`;
}

const limitedPattern = /\(select \* from ((?:"(?:[^"]|"")*"\.)*"((?:[^"]|"")*)") where false limit 0\)/g;

/** Words that may follow a table in FROM without being its alias. */
const notAliases = new Set(
  'where join inner left right full cross natural on using group order limit offset fetch union except intersect window having qualify returning and or then when else end for into select from set values'.split(
    ' ',
  ),
);

/**
 * Gives each `--empty` subquery (limitedRelation) that no alias follows the alias dbt gives it,
 * `_dbt_limit_subq_<identifier>`: a subquery in FROM needs one on PostgreSQL before 16 (Debian 12
 * ships 15), while one followed by the model's own alias (`as x`, or a bare `x`) is left as it is.
 *
 * @example
 * aliasLimitedRelations('select * from (select * from "main"."a" where false limit 0) where id > 1');
 * // 'select * from (select * from "main"."a" where false limit 0) "_dbt_limit_subq_a" where id > 1'
 * aliasLimitedRelations('select a.id from (select * from "main"."a" where false limit 0) as a'); // unchanged
 */
export function aliasLimitedRelations(sql: string): string {
  return sql.replace(
    limitedPattern,
    (match: string, _relation: string, identifier: string, offset: number) => {
      const next = /^\s*("|[A-Za-z_][A-Za-z0-9_$]*)/.exec(sql.slice(offset + match.length))?.[1];
      const aliased = next !== undefined && (next === '"' || !notAliases.has(next.toLowerCase()));
      if (aliased) return match;
      return `${match} "${`_dbt_limit_subq_${identifier.replace(/""/g, '"')}`.replace(/"/g, '""')}"`;
    },
  );
}

export function stripTrailingSemicolon(sql: string): string {
  return sql.replace(/;\s*$/, '');
}

/** A test's `where` config, when it has one. */
function testWhere(node: ProjectNode): string | undefined {
  const where = node.config.where;
  return node.resourceType === 'test' && typeof where === 'string' && where.trim() ? where : undefined;
}

/** dbt applies a test's `where` config by wrapping the model it tests in a subquery. */
const whereSubquery = (relation: string, where: string): string =>
  `(select * from ${relation} where ${where}) dbt_subquery`;
