import type { ProjectNode } from '../project/project-types.js';
import type { RefResolver } from '../project/ref-resolver.js';
import { type RelationValue, relationText, renderRelations } from './relation-value.js';
import {
  type ColumnValue,
  type QueryResultValue,
  type RelationAddress,
  type RenderScope,
  relationAddressKey,
  splitArgs,
  toPlain,
} from './render-scope.js';
import type { VarResolver } from './var-resolver.js';

/** Answers a template's questions about the warehouse; filled in before each render attempt. */
export interface WarehouseAnswers {
  queries: Map<string, QueryResultValue>;
  columns: Map<string, ColumnValue[]>;
  /** `database|schema|identifier` → the relation as found (none when it does not exist). */
  relations: Map<string, RelationValue | null>;
}

/**
 * Renders a node at run time with real relations. Jinja callbacks are synchronous and DuckDB is not,
 * so `run_query` and `get_columns_in_relation` answer from `answers`; an unanswered question is
 * recorded in `pending`, the caller runs it, and renders again (see `renderWithWarehouse`).
 */
export class ExecutionScope implements RenderScope {
  readonly errors: { message: string; hint?: string; code?: string }[] = [];
  readonly execute = true;
  readonly pending = {
    queries: new Set<string>(),
    columns: new Set<string>(),
    relations: new Map<string, RelationAddress>(),
  };
  readonly logs: string[] = [];

  constructor(
    private readonly node: ProjectNode,
    private readonly file: string,
    private readonly refs: RefResolver,
    private readonly vars: VarResolver,
    private readonly relationOf: (uniqueId: string) => RelationValue,
    private readonly incremental: boolean,
    private readonly answers: WarehouseAnswers,
    readonly thisRelation: RelationValue | undefined,
    readonly model: Record<string, unknown>,
  ) {}

  ref(args: unknown[]): RelationValue | string {
    const { positional, kwargs } = splitArgs(args);
    const version = kwargs.v ?? kwargs.version;
    const result = this.refs.ref(
      this.node,
      positional.map(String),
      this.file,
      version === undefined || version === null ? undefined : String(version),
    );
    if ('error' in result) {
      this.errors.push({ code: result.error.code, message: result.error.message, hint: result.error.hint });
      return '';
    }
    return this.relationOf(result.uniqueId);
  }

  source(args: unknown[]): RelationValue | string {
    const { positional } = splitArgs(args);
    const result = this.refs.source(this.node, positional.map(String), this.file);
    if ('error' in result) {
      this.errors.push({ code: result.error.code, message: result.error.message, hint: result.error.hint });
      return '';
    }
    return this.relationOf(result.uniqueId);
  }

  config(): string {
    return '';
  }

  configGet(args: unknown[]): unknown {
    const { positional, kwargs } = splitArgs(args);
    const name = String(kwargs.name ?? positional[0]);
    const fallback = kwargs.default ?? positional[1];
    return configValue(this.node.config, name) ?? (fallback === undefined ? null : fallback);
  }

  configRequire(args: unknown[]): unknown {
    const { positional, kwargs } = splitArgs(args);
    const name = String(kwargs.name ?? positional[0]);
    const value = configValue(this.node.config, name);
    if (value !== undefined) return value;
    // dbt's MissingConfigError, word for word.
    this.errors.push({
      code: 'SSA-CONFIG-404',
      message: `Model '${this.node.uniqueId}' does not define a required config parameter '${name}'.`,
      hint: `set ${name} in a config() call, the model's YAML config, or dbt_project.yml`,
    });
    return '';
  }

  var(args: unknown[]): unknown {
    return this.vars.call(this.node.packageName, args, this.errors);
  }

  isIncremental(): boolean {
    return this.incremental;
  }

  runQuery(text: string): QueryResultValue | null {
    // The SQL may hold relations printed by Jinja (`from {{ ref('x') }}`): make it plain SQL first.
    const sql = renderRelations(text);
    const answer = this.answers.queries.get(sql);
    if (answer) return answer;
    this.pending.queries.add(sql);
    return { column_names: [], rows: [], columns: [] };
  }

  getColumnsInRelation(relation: unknown): ColumnValue[] {
    const text = relationText(toPlain(relation));
    if (!text) {
      this.errors.push({
        code: 'SSA-ADAPTER-001',
        message: 'adapter.get_columns_in_relation needs a relation (ref(...), source(...) or this)',
      });
      return [];
    }
    const answer = this.answers.columns.get(text);
    if (answer) return answer;
    this.pending.columns.add(text);
    return [];
  }

  getRelation(address: RelationAddress): RelationValue | null {
    const key = relationAddressKey(address);
    const answer = this.answers.relations.get(key);
    if (answer !== undefined) return answer;
    this.pending.relations.set(key, address);
    return null;
  }

  log(message: unknown): string {
    this.logs.push(String(message));
    return '';
  }
}

/** A config key as dbt's `model.config.get(name)` sees it: present (even none) or absent. */
function configValue(config: object, name: string): unknown {
  if (!Object.hasOwn(config, name)) return undefined;
  const value = (config as Record<string, unknown>)[name];
  return value === undefined ? undefined : value;
}
