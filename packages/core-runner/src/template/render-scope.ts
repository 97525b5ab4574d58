import type { RelationValue } from './relation-value.js';

/** A table as `run_query` hands it to templates (a small subset of dbt's agate Table). */
export interface QueryResultValue {
  column_names: string[];
  rows: unknown[][];
  columns: { name: string; values: () => unknown[] }[];
}

export interface ColumnValue {
  name: string;
  column: string;
  dtype: string;
  data_type: string;
}

/**
 * What one render needs from the engine: the dbt context functions, bound to the node being
 * rendered. Implementations must never throw (a throwing callback corrupts the WASM Jinja engine);
 * they record problems in `errors` and return a harmless value.
 */
export interface RenderScope {
  readonly errors: { message: string; hint?: string; code?: string }[];
  readonly execute: boolean;
  readonly thisRelation?: RelationValue;
  readonly model?: Record<string, unknown>;
  ref(args: unknown[]): RelationValue | string;
  source(args: unknown[]): RelationValue | string;
  config(args: unknown[]): string;
  /** `config.get(name, default)`: the node's config value, or the default (none when absent). */
  configGet(args: unknown[]): unknown;
  /** `config.require(name)`: the node's config value; a missing key is a recorded error. */
  configRequire(args: unknown[]): unknown;
  var(args: unknown[]): unknown;
  isIncremental(): boolean;
  runQuery(sql: string): QueryResultValue | null;
  getColumnsInRelation(relation: unknown): ColumnValue[];
  /** `adapter.get_relation(database, schema, identifier)`: the relation, or none when it does not exist. */
  getRelation(address: RelationAddress): RelationValue | null;
  log(message: unknown, info: unknown): string;
}

/** Where `adapter.get_relation` looks (database empty: the warehouse's own). */
export interface RelationAddress {
  database: string;
  schema: string;
  identifier: string;
}

/** `database|schema|identifier`, the key of a relation question. */
export const relationAddressKey = (address: RelationAddress): string =>
  `${address.database}|${address.schema}|${address.identifier}`;

/** Splits minijinja's call arguments into positional values and the trailing keyword `Map`. */
export function splitArgs(args: unknown[]): { positional: unknown[]; kwargs: Record<string, unknown> } {
  const last = args[args.length - 1];
  if (last instanceof Map) {
    return { positional: args.slice(0, -1), kwargs: Object.fromEntries(last) as Record<string, unknown> };
  }
  return { positional: args, kwargs: {} };
}

/** Converts minijinja values (Maps for dicts) into plain JSON-able JS values. */
export function toPlain(value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [k, toPlain(v)]));
  if (Array.isArray(value)) return value.map(toPlain);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]));
  }
  return value;
}
