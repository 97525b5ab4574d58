import { ShopsmartError } from '../errors.js';
import type { FreshnessConfig, FreshnessThreshold, ProjectNode } from '../project/project-types.js';

/** dbt's freshness statuses. */
export type FreshnessStatus = 'pass' | 'warn' | 'error' | 'runtime error';

/** A source's thresholds, validated; `seconds` is what the age is compared with. */
export interface FreshnessCriteria {
  warnAfter?: FreshnessThreshold & { seconds: number };
  errorAfter?: FreshnessThreshold & { seconds: number };
  filter?: string;
}

const periodSeconds: Record<FreshnessThreshold['period'], number> = { minute: 60, hour: 3600, day: 86400 };

/**
 * A source's freshness criteria, or the problems with them (as dbt, a threshold without both
 * `count` and `period` counts as absent). Returns undefined for a source with nothing to check.
 *
 * @example
 * freshnessCriteria(source) // freshness: { warn_after: { count: 12, period: hour } }, loaded_at_field: _loaded_at
 * // → { criteria: { warnAfter: { count: 12, period: 'hour', seconds: 43200 } }, errors: [] }
 */
export function freshnessCriteria(source: ProjectNode): {
  criteria?: FreshnessCriteria;
  errors: ShopsmartError[];
} {
  const config: FreshnessConfig | null | undefined = source.freshness;
  const errors: ShopsmartError[] = [];
  if (!config) return { errors };
  const where = { file: source.origin.patchPath ?? source.originalFilePath, line: source.origin.patchLine };
  const threshold = (key: 'warn_after' | 'error_after') => {
    const raw = config[key] as Partial<FreshnessThreshold> | null | undefined;
    if (!raw || raw.count === undefined || raw.count === null || !raw.period) return undefined;
    const count = Number(raw.count);
    const period = String(raw.period) as FreshnessThreshold['period'];
    if (!(period in periodSeconds)) {
      errors.push(
        new ShopsmartError(
          'SSA-FRESH-001',
          `source '${source.sourceName}.${source.name}': ${key} period '${period}' is not minute, hour or day`,
          { ...where, hint: 'use period: minute | hour | day' },
        ),
      );
      return undefined;
    }
    if (!Number.isFinite(count) || count < 0) {
      errors.push(
        new ShopsmartError(
          'SSA-FRESH-002',
          `source '${source.sourceName}.${source.name}': ${key} count must be a non-negative number, got '${raw.count}'`,
          where,
        ),
      );
      return undefined;
    }
    return { count, period, seconds: count * periodSeconds[period] };
  };
  const warnAfter = threshold('warn_after');
  const errorAfter = threshold('error_after');
  if (!warnAfter && !errorAfter) return { errors };
  if (!source.loadedAtField) {
    errors.push(
      new ShopsmartError(
        'SSA-FRESH-003',
        `source '${source.sourceName}.${source.name}' has freshness thresholds but no loaded_at_field`,
        {
          ...where,
          hint: 'add loaded_at_field: <timestamp column> to the source or table (DuckDB has no load metadata to fall back on)',
        },
      ),
    );
    return { errors };
  }
  const filter = typeof config.filter === 'string' && config.filter.trim() ? config.filter : undefined;
  return {
    criteria: {
      ...(warnAfter ? { warnAfter } : {}),
      ...(errorAfter ? { errorAfter } : {}),
      ...(filter ? { filter } : {}),
    },
    errors,
  };
}

/**
 * dbt's rule: error when the age is past error_after, else warn when past warn_after, else pass.
 *
 * @example
 * freshnessStatus(30 * 3600, { warnAfter: { count: 24, period: 'hour', seconds: 86400 } }) // → 'warn'
 */
export function freshnessStatus(
  ageSeconds: number,
  criteria: FreshnessCriteria,
): Exclude<FreshnessStatus, 'runtime error'> {
  if (criteria.errorAfter && ageSeconds > criteria.errorAfter.seconds) return 'error';
  if (criteria.warnAfter && ageSeconds > criteria.warnAfter.seconds) return 'warn';
  return 'pass';
}

const unit: Record<FreshnessThreshold['period'], string> = { minute: 'min', hour: 'h', day: 'd' };

/**
 * An age for people: seconds, minutes, hours up to two days, then days.
 *
 * @example
 * formatAge(11520) // → '3.2 h'
 */
export function formatAge(seconds: number): string {
  if (seconds < 0) return `${Math.round(seconds)} s (in the future)`;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(0)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

/**
 * The one-line summary a result carries.
 *
 * @example
 * freshnessMessage(11520, { warnAfter: { count: 24, period: 'hour', seconds: 86400 } }) // → 'age 3.2 h, warn after 24 h'
 */
export function freshnessMessage(ageSeconds: number, criteria: FreshnessCriteria): string {
  const limits = [
    criteria.warnAfter ? `warn after ${criteria.warnAfter.count} ${unit[criteria.warnAfter.period]}` : '',
    criteria.errorAfter ? `error after ${criteria.errorAfter.count} ${unit[criteria.errorAfter.period]}` : '',
  ].filter(Boolean);
  return [`age ${formatAge(ageSeconds)}`, ...limits].join(', ');
}
