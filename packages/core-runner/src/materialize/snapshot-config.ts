import { ShopsmartError, throwIfAny } from '../errors.js';
import type { ProjectNode } from '../project/project-types.js';
import { quoteIdentifier } from '../template/relation-value.js';

export type SnapshotStrategy = 'timestamp' | 'check';
export type HardDeletes = 'ignore' | 'invalidate' | 'new_record';

/** The meta columns a snapshot adds, renamable with `snapshot_meta_column_names` as in dbt 1.9. */
export interface SnapshotColumnNames {
  dbt_scd_id: string;
  dbt_updated_at: string;
  dbt_valid_from: string;
  dbt_valid_to: string;
  dbt_is_deleted: string;
}

/** A snapshot's config, validated, with user values turned into SQL expressions. */
export interface SnapshotSpec {
  strategy: SnapshotStrategy;
  /** One SQL expression per key part. */
  uniqueKey: string[];
  /** dbt treats any list (even of one) as composite: `dbt_unique_key_1..n`. */
  compositeKey: boolean;
  /** timestamp: required; check: optional (the snapshot time otherwise). */
  updatedAt?: string;
  /** `'all'` or one SQL expression per column. */
  checkCols: 'all' | string[];
  hardDeletes: HardDeletes;
  /** SQL expression current rows get as valid_to instead of null (dbt's `dbt_valid_to_current`). */
  validToCurrent?: string;
  columns: SnapshotColumnNames;
}

export const defaultColumnNames: SnapshotColumnNames = {
  dbt_scd_id: 'dbt_scd_id',
  dbt_updated_at: 'dbt_updated_at',
  dbt_valid_from: 'dbt_valid_from',
  dbt_valid_to: 'dbt_valid_to',
  dbt_is_deleted: 'dbt_is_deleted',
};

const plainIdentifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A config value as SQL: a bare column name is quoted; anything else is an expression the user
 * wrote (dbt pastes `unique_key`, `updated_at` and `check_cols` as SQL, e.g. `id || '-' || region`).
 *
 * @example
 * sqlExpression('updated_at')       // → '"updated_at"'
 * sqlExpression("id || '-' || region") // → "id || '-' || region"
 */
export function sqlExpression(value: string): string {
  const trimmed = value.trim();
  return plainIdentifier.test(trimmed) ? quoteIdentifier(trimmed) : trimmed;
}

const isTrue = (value: unknown) => value === true || String(value).toLowerCase() === 'true';
const isSet = (value: unknown) => value !== undefined && value !== null && value !== '';

/**
 * Reads and validates a snapshot node's config with dbt's rules; every problem is reported at once.
 *
 * @example
 * snapshotSpec(node) // node.config: { strategy: 'timestamp', unique_key: ['region', 'id'], updated_at: 'updated_at' }
 * // → { strategy: 'timestamp', uniqueKey: ['"region"', '"id"'], compositeKey: true, updatedAt: '"updated_at"', hardDeletes: 'ignore', … }
 */
export function snapshotSpec(node: ProjectNode): SnapshotSpec {
  const { config } = node;
  const errors: ShopsmartError[] = [];
  const problem = (code: string, message: string, hint: string) =>
    errors.push(
      new ShopsmartError(code, `snapshot '${node.name}': ${message}`, { file: node.originalFilePath, hint }),
    );

  const strategy = String(config.strategy ?? '');
  if (!strategy)
    problem(
      'SSA-SNAP-010',
      'no strategy is configured',
      "add strategy='timestamp' with updated_at='<column>', or strategy='check' with check_cols=[...]",
    );
  else if (strategy !== 'timestamp' && strategy !== 'check')
    problem('SSA-SNAP-011', `unknown strategy '${strategy}'`, "use 'timestamp' or 'check'");

  const rawKey = config.unique_key;
  const keyParts = Array.isArray(rawKey) ? rawKey.map(String) : isSet(rawKey) ? [String(rawKey)] : [];
  if (keyParts.length === 0 || keyParts.some((k) => !k.trim()))
    problem(
      'SSA-SNAP-012',
      'no unique_key is configured',
      "set unique_key='id', or a list such as ['region', 'id'] for a composite key",
    );

  const updatedAt = isSet(config.updated_at) ? sqlExpression(String(config.updated_at)) : undefined;
  if (strategy === 'timestamp' && !updatedAt)
    problem(
      'SSA-SNAP-013',
      'the timestamp strategy needs updated_at',
      "set updated_at='<the column holding the row's last change time>'",
    );

  let checkCols: SnapshotSpec['checkCols'] = 'all';
  if (strategy === 'check') {
    const raw = config.check_cols;
    if (raw === 'all') checkCols = 'all';
    else if (Array.isArray(raw) && raw.length > 0) checkCols = raw.map((c) => sqlExpression(String(c)));
    else
      problem(
        'SSA-SNAP-014',
        `invalid check_cols ${JSON.stringify(raw ?? null)}`,
        "set check_cols to a list of columns, or 'all'",
      );
  }

  let hardDeletes: HardDeletes = 'ignore';
  const legacy = config.invalidate_hard_deletes;
  if (isSet(legacy) && isSet(config.hard_deletes)) {
    problem(
      'SSA-SNAP-015',
      'both invalidate_hard_deletes and hard_deletes are set',
      'keep hard_deletes (invalidate_hard_deletes is its older spelling)',
    );
  } else if (isSet(config.hard_deletes)) {
    const value = String(config.hard_deletes);
    if (value === 'ignore' || value === 'invalidate' || value === 'new_record') hardDeletes = value;
    else problem('SSA-SNAP-015', `invalid hard_deletes '${value}'`, 'use ignore, invalidate or new_record');
  } else if (isTrue(legacy)) hardDeletes = 'invalidate';

  const columns = { ...defaultColumnNames };
  // A Jinja dict in config() arrives as a Map; YAML gives a plain object.
  const rawNames = config.snapshot_meta_column_names;
  const names = rawNames instanceof Map ? Object.fromEntries(rawNames) : rawNames;
  if (isSet(names)) {
    if (typeof names !== 'object' || Array.isArray(names))
      problem(
        'SSA-SNAP-016',
        'snapshot_meta_column_names must be a mapping',
        'e.g. { dbt_valid_from: valid_from, dbt_valid_to: valid_to }',
      );
    else {
      for (const [key, value] of Object.entries(names as Record<string, unknown>)) {
        if (!(key in columns))
          problem(
            'SSA-SNAP-016',
            `snapshot_meta_column_names has an unknown key '${key}'`,
            `keys: ${Object.keys(columns).join(', ')}`,
          );
        else if (isSet(value)) columns[key as keyof SnapshotColumnNames] = String(value);
      }
    }
  }
  throwIfAny(errors);
  return {
    strategy: strategy as SnapshotStrategy,
    uniqueKey: keyParts.map(sqlExpression),
    compositeKey: Array.isArray(rawKey),
    updatedAt,
    checkCols,
    hardDeletes,
    validToCurrent: isSet(config.dbt_valid_to_current) ? String(config.dbt_valid_to_current) : undefined,
    columns,
  };
}
