import { type RelationValue, relationMetadata } from './relation-value.js';
import {
  type ColumnValue,
  type QueryResultValue,
  type RenderScope,
  splitArgs,
  toPlain,
} from './render-scope.js';
import type { VarResolver } from './var-resolver.js';

/** Marks a place in parsed SQL where a relation goes once every node's config is known. */
export const tokenPattern = /⟦(\d+|t):(rel|schema|identifier|database)⟧/g;

/** `this` while parsing: the same object for every node, so the engine sets it once. */
const parseThis = Object.freeze(tokenRelation('t'));

function tokenRelation(key: string): RelationValue {
  return {
    __relation__: `⟦${key}:rel⟧`,
    database: `⟦${key}:database⟧`,
    schema: `⟦${key}:schema⟧`,
    identifier: `⟦${key}:identifier⟧`,
    name: `⟦${key}:identifier⟧`,
    table: `⟦${key}:identifier⟧`,
    is_cte: false,
    metadata: relationMetadata,
  };
}

/**
 * Renders a node once at parse time, recording its `ref`/`source`/`config` calls. Relations come
 * out as tokens so the same output becomes compiled SQL by substitution, without a second render;
 * nodes that ask about the warehouse (`is_incremental`, `run_query`, …) are re-rendered when they run.
 */
export class ParseScope implements RenderScope {
  readonly errors: { message: string; hint?: string; code?: string }[] = [];
  readonly execute = false;
  readonly thisRelation = parseThis;
  /** `version`: `ref('m', v=2)` (or `version=2`) of a versioned model. */
  readonly refs: { args: string[]; key: number; version?: string }[] = [];
  readonly sourceCalls: { args: string[]; key: number }[] = [];
  inFileConfig: Record<string, unknown> = {};
  needsExecutionRender = false;
  #keys = 0;

  constructor(
    private readonly layer: string,
    private readonly vars: VarResolver,
    readonly model: Record<string, unknown>,
  ) {}

  ref(args: unknown[]): RelationValue {
    const { positional, kwargs } = splitArgs(args);
    const key = this.#keys++;
    const version = kwargs.v ?? kwargs.version;
    this.refs.push({
      args: positional.map(String),
      key,
      ...(version === undefined || version === null ? {} : { version: String(version) }),
    });
    return tokenRelation(String(key));
  }

  source(args: unknown[]): RelationValue {
    const { positional } = splitArgs(args);
    const key = this.#keys++;
    this.sourceCalls.push({ args: positional.map(String), key });
    return tokenRelation(String(key));
  }

  config(args: unknown[]): string {
    const { positional, kwargs } = splitArgs(args);
    const fromDict = positional[0] instanceof Map ? (toPlain(positional[0]) as Record<string, unknown>) : {};
    this.inFileConfig = {
      ...this.inFileConfig,
      ...fromDict,
      ...(toPlain(kwargs) as Record<string, unknown>),
    };
    return '';
  }

  /**
   * dbt's parse-time config object answers `get` and `require` with '' (the config is not final
   * yet); the node is rendered again when it runs, with its real config.
   */
  configGet(): string {
    this.needsExecutionRender = true;
    return '';
  }

  configRequire(): string {
    this.needsExecutionRender = true;
    return '';
  }

  var(args: unknown[]): unknown {
    return this.vars.call(this.layer, args, this.errors);
  }

  isIncremental(): boolean {
    this.needsExecutionRender = true;
    return false;
  }

  runQuery(): QueryResultValue | null {
    this.needsExecutionRender = true;
    return null;
  }

  getColumnsInRelation(): ColumnValue[] {
    this.needsExecutionRender = true;
    return [];
  }

  getRelation(): null {
    this.needsExecutionRender = true;
    return null;
  }

  /** `{{ log(...) }}` messages, replayed as events when the node runs. */
  readonly logs: string[] = [];

  log(message: unknown): string {
    this.logs.push(String(message));
    return '';
  }
}
