import { ShopsmartError } from '../errors.js';
import { didYouMean, formatSuggestions } from '../graph/did-you-mean.js';

/**
 * The warnings the engine can raise, by dbt's event names (what `--warn-error-options` lists):
 * a selector that matched nothing, a test at warn severity.
 */
export const WARNING_NAMES = [
  'NoNodesForSelectionCriteria',
  'LogTestResult',
  'SourceFreshnessWarning',
] as const;
export type WarningName = (typeof WARNING_NAMES)[number];

/**
 * dbt's `--warn-error` (every warning is an error) or `--warn-error-options` (`error`: names or
 * `all`/`*`; `warn`: names kept as warnings, which win over `error`; dbt's older `include`/`exclude`
 * are read as `error`/`warn`; `silence` drops warnings from the output).
 */
export interface WarnErrorOptions {
  error: 'all' | readonly string[];
  warn?: readonly string[];
  silence?: readonly string[];
}

/** Decides whether a named warning stops the run. */
export interface WarnErrorPolicy {
  isError(name: WarningName): boolean;
  isSilenced(name: WarningName): boolean;
}

export const NO_WARN_ERROR: WarnErrorPolicy = { isError: () => false, isSilenced: () => false };

/** The policy for `--warn-error` (true) or `--warn-error-options`. */
export function warnErrorPolicy(options: boolean | WarnErrorOptions | undefined): WarnErrorPolicy {
  if (!options) return NO_WARN_ERROR;
  if (options === true) return { isError: () => true, isSilenced: () => false };
  return {
    isError: (name) =>
      !(options.warn ?? []).includes(name) && (options.error === 'all' || options.error.includes(name)),
    isSilenced: (name) => (options.silence ?? []).includes(name),
  };
}

/**
 * Reads `--warn-error-options` as dbt takes it: a YAML/JSON mapping such as
 * `{"error": "all", "warn": ["NoNodesForSelectionCriteria"]}`. Unknown keys and event names are
 * errors with a did-you-mean.
 *
 * @example
 * parseWarnErrorOptions({ error: ['LogTestResult'] }); // { error: ['LogTestResult'], warn: [], silence: [] }
 */
export function parseWarnErrorOptions(value: unknown): WarnErrorOptions {
  const fail = (message: string, hint?: string) =>
    new ShopsmartError('SSA-WARN-ERROR-OPTIONS', `--warn-error-options: ${message}`, {
      hint:
        hint ??
        `e.g. '{"error": "all", "warn": ["NoNodesForSelectionCriteria"]}'; names: ${WARNING_NAMES.join(', ')}`,
    });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('expected a mapping');
  const keys = ['error', 'warn', 'silence', 'include', 'exclude'];
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record))
    if (!keys.includes(key)) throw fail(`unknown key '${key}'`, formatSuggestions(didYouMean(key, keys)));
  const list = (key: string): 'all' | string[] => {
    const raw = record[key];
    if (raw === undefined || raw === null) return [];
    if (raw === 'all' || raw === '*') return 'all';
    const items = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : undefined;
    if (!items) throw fail(`'${key}' must be "all" or a list of event names`);
    for (const item of items)
      if (!(WARNING_NAMES as readonly string[]).includes(item))
        throw fail(
          `'${item}' is not a warning this engine raises`,
          formatSuggestions(didYouMean(item, WARNING_NAMES)) ?? `names: ${WARNING_NAMES.join(', ')}`,
        );
    return items;
  };
  const error = record.error !== undefined ? list('error') : list('include');
  const warn = record.warn !== undefined ? list('warn') : list('exclude');
  const silence = list('silence');
  return {
    error,
    warn: warn === 'all' ? [...WARNING_NAMES] : warn,
    silence: silence === 'all' ? [...WARNING_NAMES] : silence,
  };
}
