import { describe, expect, it } from 'vitest';
import { DAGRE_LIMIT, layeredLayout, layoutAny, layoutLineage } from './lineage-layout.js';

/** Ten columns of `width` nodes; each node reads one to three nodes of the column before. */
function layeredGraph(width: number): { ids: string[]; edges: [string, string][] } {
  const ids: string[] = [];
  const edges: [string, string][] = [];
  for (let i = 0; i < width * 10; i++) {
    ids.push(`n${i}`);
    const column = Math.floor(i / width);
    if (column === 0) continue;
    for (const k of [0, 37, 71].slice(0, 1 + (i % 3)))
      edges.push([`n${(column - 1) * width + ((i + k) % width)}`, `n${i}`]);
  }
  return { ids, edges };
}

function checkLeftToRight(layout: ReturnType<typeof layeredLayout>, edges: [string, string][]): void {
  for (const [from, to] of edges) {
    const a = layout.nodes.get(from);
    const b = layout.nodes.get(to);
    expect(a && b && a.x + a.width / 2 < b.x - b.width / 2, `${from} left of ${to}`).toBe(true);
  }
  const boxes = [...layout.nodes.values()];
  const overlapping = boxes.filter((a, i) =>
    boxes.some(
      (b, j) =>
        j > i &&
        Math.abs(a.x - b.x) < (a.width + b.width) / 2 &&
        Math.abs(a.y - b.y) < (a.height + b.height) / 2,
    ),
  );
  expect(overlapping).toEqual([]);
}

describe('lineage layout', () => {
  it('places 1,000 nodes left to right without overlap', () => {
    // Its speed is a figure of `pnpm bench` (bench/docs-bench.mjs), not an assertion here.
    const { ids, edges } = layeredGraph(100);
    const layout = layoutAny(ids, edges, (id) => `model_${id}`);
    expect(layout.nodes.size).toBe(1000);
    checkLeftToRight(layout, edges);
  });

  it('uses dagre for small graphs, with the same left-to-right rule', () => {
    const { ids, edges } = layeredGraph(4);
    expect(ids.length).toBeLessThanOrEqual(DAGRE_LIMIT);
    checkLeftToRight(
      layoutLineage(ids, edges, (id) => id),
      edges,
    );
  });

  it('puts a node right of its longest chain of parents', () => {
    const layout = layeredLayout(
      ['a', 'b', 'c', 'd'],
      [
        ['a', 'b'],
        ['b', 'c'],
        ['a', 'c'],
        ['c', 'd'],
      ],
      (id) => id,
    );
    const x = (id: string) => layout.nodes.get(id)?.x ?? 0;
    expect(x('a')).toBeLessThan(x('b'));
    expect(x('b')).toBeLessThan(x('c'));
    expect(x('c')).toBeLessThan(x('d'));
  });
});
