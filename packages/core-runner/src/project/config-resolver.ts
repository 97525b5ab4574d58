import type { ConfigTree } from './dbt-project-file.js';
import type { NodeConfig } from './project-types.js';

/** Configs whose values accumulate down the hierarchy instead of being replaced, as in dbt. */
const additiveKeys = new Set(['tags', 'pre_hook', 'post_hook']);
/** Mapping configs a deeper level updates key by key (dbt's MergeBehavior.Update). */
const updatedKeys = new Set(['column_types', 'meta', 'persist_docs', 'docs']);
const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** dbt accepts both `pre-hook` and `pre_hook`; the engine uses underscores. */
export function normaliseConfigKey(key: string): string {
  const bare = key.startsWith('+') ? key.slice(1) : key;
  return bare.replace(/-/g, '_');
}

function asList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

/**
 * Folds one config layer over another: scalars replace, tags and hooks accumulate.
 * Hook values may be `{ sql: ..., transaction: ... }` objects; only the SQL is kept.
 */
export function mergeConfig(
  base: Partial<NodeConfig>,
  overrides: Record<string, unknown>,
): Partial<NodeConfig> {
  const merged: Record<string, unknown> = { ...base };
  for (const [rawKey, value] of Object.entries(overrides)) {
    const key = normaliseConfigKey(rawKey);
    if (additiveKeys.has(key)) {
      const values = asList(
        Array.isArray(value)
          ? value.map((v) => (typeof v === 'object' && v && 'sql' in v ? (v as { sql: string }).sql : v))
          : typeof value === 'object' && value && 'sql' in value
            ? (value as { sql: string }).sql
            : value,
      );
      const existing = asList(merged[key]);
      merged[key] = [...existing, ...values.filter((v) => !(key === 'tags' && existing.includes(v)))];
    } else if (updatedKeys.has(key) && isMapping(value) && isMapping(merged[key])) {
      merged[key] = { ...(merged[key] as Record<string, unknown>), ...value };
    } else {
      merged[key] = value;
    }
  }
  return merged as Partial<NodeConfig>;
}

/**
 * The config dbt_project.yml gives a node at `fqn` (`[package, ...folders, name]`):
 * every `+key` met walking down the tree, deeper levels overriding shallower ones. Keys at the
 * top of the tree (`seeds: {+schema: raw}`) apply to every node of the section, as in dbt.
 *
 * @example
 * resolveTreeConfig({ '+schema': 'raw', marts: { '+materialized': 'table', core: { '+tags': ['core'] } } }, ['marts', 'core', 'dim_date'])
 * // → { schema: 'raw', materialized: 'table', tags: ['core'] }
 */
export function resolveTreeConfig(tree: ConfigTree, fqn: string[]): Partial<NodeConfig> {
  let config: Partial<NodeConfig> = {};
  let level: unknown = tree;
  const applyLevel = (node: Record<string, unknown>, childName: string | undefined) => {
    const own: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith('+')) own[key] = value;
      else if (key !== childName && (typeof value !== 'object' || value === null || Array.isArray(value)))
        own[key] = value;
    }
    config = mergeConfig(config, own);
  };
  applyLevel(tree, fqn[0]);
  for (let i = 0; i < fqn.length; i++) {
    const part = fqn[i] as string;
    if (typeof level !== 'object' || level === null) break;
    const next = (level as Record<string, unknown>)[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) break;
    applyLevel(next as Record<string, unknown>, fqn[i + 1]);
    level = next;
  }
  return config;
}

/** Defaults per resource type, before any user config. */
export function defaultConfig(resourceType: string): NodeConfig {
  const materialized =
    resourceType === 'seed'
      ? 'seed'
      : resourceType === 'snapshot'
        ? 'snapshot'
        : resourceType === 'test'
          ? 'test'
          : 'view';
  return { enabled: true, materialized, tags: [], pre_hook: [], post_hook: [] };
}

/** Fills required keys after merging. */
export function finaliseConfig(resourceType: string, merged: Partial<NodeConfig>): NodeConfig {
  const base = defaultConfig(resourceType);
  return {
    ...base,
    ...merged,
    enabled:
      merged.enabled === undefined ? true : merged.enabled !== false && String(merged.enabled) !== 'false',
    tags: asList(merged.tags),
    pre_hook: asList(merged.pre_hook),
    post_hook: asList(merged.post_hook),
  } as NodeConfig;
}
