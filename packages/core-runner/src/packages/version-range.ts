/**
 * dbt's package version ranges (dbt/semver.py): a version spec is `1.2.3`, `=1.2.3`, `>=1.2.0`,
 * `<2.0.0`, `>1`, `<=0.9` (missing minor/patch read as 0); a package's `version:` is one spec or a
 * list of them; the specs of every entry naming the same package are intersected into one range,
 * and the range is resolved to the highest available version inside it, prereleases excluded
 * unless `install-prerelease: true` (or the range pins an exact prerelease).
 */

export interface Version {
  major: number;
  minor: number;
  patch: number;
  prerelease?: string;
}

export interface VersionSpec {
  matcher: '=' | '>=' | '>' | '<=' | '<';
  version: Version;
}

/** A closed or open interval of versions; `undefined` bounds are unbounded. */
export interface VersionRange {
  start?: { version: Version; inclusive: boolean };
  end?: { version: Version; inclusive: boolean };
}

const specPattern =
  /^\s*(>=|<=|>|<|=)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?\s*$/;

/** Parses `>=1.2.0`; undefined when it is not a version spec dbt reads. */
export function parseVersionSpec(text: string): VersionSpec | undefined {
  const m = specPattern.exec(text);
  if (!m) return undefined;
  return {
    matcher: (m[1] ?? '=') as VersionSpec['matcher'],
    version: {
      major: Number(m[2]),
      minor: Number(m[3] ?? 0),
      patch: Number(m[4] ?? 0),
      ...(m[5] ? { prerelease: m[5] } : {}),
    },
  };
}

export function parseVersion(text: string): Version | undefined {
  const spec = parseVersionSpec(text);
  return spec && spec.matcher === '=' ? spec.version : undefined;
}

export function versionText(v: Version): string {
  return `${v.major}.${v.minor}.${v.patch}${v.prerelease ? `-${v.prerelease}` : ''}`;
}

/** Semver precedence: a prerelease sorts before its release; identifiers compare numerically when numeric. */
export function compareVersions(a: Version, b: Version): number {
  for (const key of ['major', 'minor', 'patch'] as const) if (a[key] !== b[key]) return a[key] - b[key];
  if (a.prerelease === b.prerelease) return 0;
  if (!a.prerelease) return 1;
  if (!b.prerelease) return -1;
  const left = a.prerelease.split('.');
  const right = b.prerelease.split('.');
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const [x, y] = [left[i], right[i]];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const [nx, ny] = [/^\d+$/.test(x), /^\d+$/.test(y)];
    if (nx && ny && Number(x) !== Number(y)) return Number(x) - Number(y);
    if (nx !== ny) return nx ? -1 : 1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function rangeOfSpec(spec: VersionSpec): VersionRange {
  const bound = (inclusive: boolean) => ({ version: spec.version, inclusive });
  switch (spec.matcher) {
    case '=':
      return { start: bound(true), end: bound(true) };
    case '>=':
      return { start: bound(true) };
    case '>':
      return { start: bound(false) };
    case '<=':
      return { end: bound(true) };
    case '<':
      return { end: bound(false) };
  }
}

function intersect(a: VersionRange, b: VersionRange): VersionRange {
  const start =
    !a.start || !b.start
      ? (a.start ?? b.start)
      : compareVersions(a.start.version, b.start.version) > 0 ||
          (compareVersions(a.start.version, b.start.version) === 0 && !a.start.inclusive)
        ? a.start
        : b.start;
  const end =
    !a.end || !b.end
      ? (a.end ?? b.end)
      : compareVersions(a.end.version, b.end.version) < 0 ||
          (compareVersions(a.end.version, b.end.version) === 0 && !a.end.inclusive)
        ? a.end
        : b.end;
  return { ...(start ? { start } : {}), ...(end ? { end } : {}) };
}

/** Whether the range holds no version at all (`>=2` and `<1`). */
export function isEmptyRange(range: VersionRange): boolean {
  if (!range.start || !range.end) return false;
  const order = compareVersions(range.start.version, range.end.version);
  return order > 0 || (order === 0 && !(range.start.inclusive && range.end.inclusive));
}

/**
 * Intersects every spec into one range (dbt's `reduce_versions`).
 *
 * @example
 * reduceVersions(['>=0.9.0', '<1.0.0'], ['>=0.10.0']) // → { range: >=0.10.0,<1.0.0 }
 * reduceVersions(['>=2.0.0'], ['<1.0.0'])             // → { error: 'no version is both …' }
 */
export function reduceVersions(...lists: string[][]): { range: VersionRange } | { error: string } {
  let range: VersionRange = {};
  for (const text of lists.flat()) {
    const spec = parseVersionSpec(String(text));
    if (!spec) return { error: `'${text}' is not a version (e.g. 1.2.0, >=1.0.0, <2.0.0)` };
    range = intersect(range, rangeOfSpec(spec));
  }
  if (isEmptyRange(range))
    return { error: `no version satisfies every requirement (${lists.flat().join(', ')})` };
  return { range };
}

export function rangeText(range: VersionRange): string {
  const parts: string[] = [];
  if (range.start && range.end && range.start.inclusive && range.end.inclusive) {
    if (compareVersions(range.start.version, range.end.version) === 0)
      return versionText(range.start.version);
  }
  if (range.start) parts.push(`${range.start.inclusive ? '>=' : '>'}${versionText(range.start.version)}`);
  if (range.end) parts.push(`${range.end.inclusive ? '<=' : '<'}${versionText(range.end.version)}`);
  return parts.join(',') || 'any';
}

export function inRange(version: Version, range: VersionRange): boolean {
  if (range.start) {
    const order = compareVersions(version, range.start.version);
    if (order < 0 || (order === 0 && !range.start.inclusive)) return false;
  }
  if (range.end) {
    const order = compareVersions(version, range.end.version);
    if (order > 0 || (order === 0 && !range.end.inclusive)) return false;
  }
  return true;
}

/**
 * The highest available version inside the range (dbt's `resolve_to_specific_version`).
 * Prereleases are left out unless `installPrerelease`, or the range pins exactly that prerelease.
 *
 * @example
 * resolveVersion(range('>=1.0.0', '<2.0.0'), ['0.9.0', '1.1.0', '1.3.2', '2.0.0', '1.4.0-b1']) // → '1.3.2'
 */
export function resolveVersion(
  range: VersionRange,
  available: readonly string[],
  installPrerelease = false,
): string | undefined {
  let best: { text: string; version: Version } | undefined;
  for (const text of available) {
    const version = parseVersion(text);
    if (!version || !inRange(version, range)) continue;
    const pinned =
      range.start?.inclusive && range.end?.inclusive && compareVersions(range.start.version, version) === 0;
    if (version.prerelease && !installPrerelease && !pinned) continue;
    if (!best || compareVersions(version, best.version) > 0) best = { text, version };
  }
  return best?.text;
}
