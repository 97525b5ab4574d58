import { fnmatchRegex, hasWildcard } from './glob-matcher.js';

/**
 * Compiles the `fqn:` method, which is also what a bare selector value means. Matches as dbt does —
 * the leaf name, or a dotted prefix of the fqn with or without its leading package (`marts.core`,
 * `core`, `marts`), where from the first part with a wildcard on the rest of the fqn is fnmatched as
 * one dotted string — and additionally fnmatches the node's own name, so `stg_*` selects every
 * staging model wherever it sits in the folder tree (dbt only tries it against the fqn prefix).
 * Compiled once per selector, as it runs against every node.
 *
 * @example
 * const matches = compileFqnMatcher('marts.core');
 * matches(['marts', 'core', 'dim_customers'], 'dim_customers'); // true
 * compileFqnMatcher('stg_*')(['staging', 'shop', 'stg_shop__orders'], 'stg_shop__orders'); // true
 */
export function compileFqnMatcher(selector: string): (fqn: readonly string[], name: string) => boolean {
  const parts = selector.split('.');
  const wildcardAt = parts.findIndex(hasWildcard);
  const rest = wildcardAt >= 0 ? fnmatchRegex(parts.slice(wildcardAt).join('.')) : undefined;
  const nameGlob = hasWildcard(selector) ? fnmatchRegex(selector) : undefined;

  const prefixMatches = (fqn: readonly string[], start: number): boolean => {
    if (fqn.length <= start) return false;
    if (fqn[fqn.length - 1] === selector) return true;
    // Dots inside an fqn segment act as separators too, as in dbt; rare, so flatten only then.
    let flat = fqn;
    if (fqn.some((segment) => segment.includes('.'))) {
      flat = fqn.slice(start).flatMap((segment) => segment.split('.'));
      start = 0;
    }
    if (flat.length - start < parts.length) return false;
    for (let i = 0; i < parts.length; i++) {
      if (i === wildcardAt) return (rest as RegExp).test(flat.slice(start + i).join('.'));
      if (flat[start + i] !== parts[i]) return false;
    }
    return true;
  };

  return (fqn, name) => prefixMatches(fqn, 0) || prefixMatches(fqn, 1) || (nameGlob?.test(name) ?? false);
}
