/**
 * Every dependency cycle, each as a chain that runs downstream and repeats its first id at the end.
 *
 * Enumerating all elementary cycles can be exponential, so this reports one cycle per back edge of
 * a depth-first search instead: every cycle contains at least one back edge, and removing the
 * reported back edges leaves a DAG, so fixing each reported chain fixes the graph. Iterative, so a
 * 10,000-deep chain cannot overflow the call stack. O(V + E) plus the length of the chains.
 *
 * @example
 * // x depends on z, y on x, z on y
 * findCycles(['model.a.x', 'model.a.y', 'model.a.z'], children);
 * // [['model.a.x', 'model.a.y', 'model.a.z', 'model.a.x']]
 */
export function findCycles(
  ids: readonly string[],
  children: ReadonlyMap<string, readonly string[]>,
): string[][] {
  const WHITE = 0;
  const GREY = 1;
  const BLACK = 2;
  const colour = new Map<string, number>();
  const cycles: string[][] = [];
  const seen = new Set<string>();
  // The grey path from the root to the current node, and where each path node sits in it.
  const path: string[] = [];
  const positionOnPath = new Map<string, number>();
  const nextChild: number[] = [];

  for (const root of ids) {
    if ((colour.get(root) ?? WHITE) !== WHITE) continue;
    colour.set(root, GREY);
    path.push(root);
    positionOnPath.set(root, 0);
    nextChild.push(0);
    while (path.length > 0) {
      const top = path.length - 1;
      const node = path[top] as string;
      const kids = children.get(node) ?? [];
      const index = nextChild[top] as number;
      if (index >= kids.length) {
        colour.set(node, BLACK);
        positionOnPath.delete(node);
        path.pop();
        nextChild.pop();
        continue;
      }
      nextChild[top] = index + 1;
      const child = kids[index] as string;
      const state = colour.get(child) ?? WHITE;
      if (state === WHITE) {
        colour.set(child, GREY);
        positionOnPath.set(child, path.length);
        path.push(child);
        nextChild.push(0);
      } else if (state === GREY) {
        const chain = rotateToSmallest(path.slice(positionOnPath.get(child) as number));
        const key = chain.join('\n');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...chain, chain[0] as string]);
        }
      }
    }
  }
  return cycles;
}

/** Start the loop at its smallest id so the same cycle always prints the same way. */
function rotateToSmallest(loop: string[]): string[] {
  let best = 0;
  for (let i = 1; i < loop.length; i++) if ((loop[i] as string) < (loop[best] as string)) best = i;
  return [...loop.slice(best), ...loop.slice(0, best)];
}
