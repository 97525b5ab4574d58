/**
 * Numbers every SQL builder needs. They are validated integers, inlined as literals: nothing a
 * user typed reaches the SQL as text except the schema name, which is quoted.
 */
export interface SqlContext {
  /** Seed of the warehouse: every row attribute is a hash of (seed, row id, salt). */
  seed: number;
  /** Extra key mixed into draws that are not keyed by a fresh row id (0 for generate, the batch for advance). */
  batch: number;
  /** Quoted target schema, e.g. `"raw"`. */
  schema: string;
  /** Midnight (UTC, epoch seconds) of the first day of history. */
  startS: number;
  /** Last second of the as-of day: nothing happens after it. */
  endS: number;
  /** Rows of this batch are loaded no earlier than this (the previous as-of end + 1 for advance). */
  loadFloorS: number;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `_loaded_at` of a row whose latest change is at `timeS`: an extract lag of 15–90 minutes, within the batch. */
export function loadedAt(ctx: SqlContext, timeS: string, key: string, salt: number): string {
  return `mg_ts(least(${ctx.endS}, greatest(${ctx.loadFloorS}, ${timeS} + 900 + mg_m(${ctx.seed}, ${key}, ${salt}, 4500))))`;
}
