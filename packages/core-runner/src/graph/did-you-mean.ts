/**
 * Edit distance with adjacent transpositions (optimal string alignment), so `tga` is one edit from
 * `tag`. Stops early once every cell of a row exceeds `limit`, which keeps a scan over thousands of
 * candidate names cheap.
 *
 * @example
 * editDistance('dim_custmers', 'dim_customers'); // 1
 * editDistance('tga', 'tag'); // 1
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  // Three rolling rows: the transposition step looks two rows back.
  let twoBack = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (twoBack[j - 2] ?? 0) + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    [twoBack, previous, current] = [previous, current, twoBack];
  }
  return previous[b.length] ?? 0;
}

export interface DidYouMeanOptions {
  /** Largest distance still worth suggesting; default is a third of the name's length (at least 1, at most 3). */
  maxDistance?: number;
  /** How many suggestions to return at most; default 3. */
  limit?: number;
}

/**
 * The candidates closest to `name`, best first, within a distance threshold. Case is ignored when
 * measuring (a wrong-case name is a distance-0 suggestion), ties keep candidate order.
 *
 * @example
 * didYouMean('dim_custmers', ['dim_customers', 'fct_orders']); // ['dim_customers']
 * didYouMean('resource_typ', ['resource_type', 'result']);     // ['resource_type']
 * didYouMean('zzz', ['tag', 'path']);                          // []
 */
export function didYouMean(
  name: string,
  candidates: Iterable<string>,
  options: DidYouMeanOptions = {},
): string[] {
  const maxDistance = options.maxDistance ?? Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  const limit = options.limit ?? 3;
  const lowered = name.toLowerCase();
  const scored: { candidate: string; distance: number; order: number }[] = [];
  let order = 0;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const distance = editDistance(lowered, candidate.toLowerCase(), maxDistance);
    if (distance <= maxDistance) scored.push({ candidate, distance, order: order++ });
  }
  scored.sort((x, y) => x.distance - y.distance || x.order - y.order);
  return scored.slice(0, limit).map((s) => s.candidate);
}

/**
 * A hint sentence for a list of suggestions, or undefined when there are none.
 *
 * @example
 * formatSuggestions(['dim_customers']);          // "did you mean 'dim_customers'?"
 * formatSuggestions(['a', 'b']);                  // "did you mean 'a' or 'b'?"
 */
export function formatSuggestions(suggestions: readonly string[]): string | undefined {
  if (suggestions.length === 0) return undefined;
  const quoted = suggestions.map((s) => `'${s}'`);
  const last = quoted.pop();
  return `did you mean ${quoted.length > 0 ? `${quoted.join(', ')} or ${last}` : last}?`;
}
