import { describe, expect, it } from 'vitest';
import { buildGraph } from './dag-builder.js';
import { models } from './fixture-nodes.js';
import { ancestorsOf, childrensParentsOf, descendantsOf } from './graph-traversal.js';

// a → b → c → d, and a shortcut a → d; e feeds d; f hangs off b.
const { graph } = buildGraph(models({ a: [], b: ['a'], c: ['b'], d: ['c', 'a', 'e'], e: [], f: ['b'] }));
const ids = (names: string[]) => names.map((n) => `model.p.${n}`);
const sorted = (set: Set<string>) => [...set].sort();

describe('graph traversal', () => {
  it('walks ancestors by generation, using the shortest path to each node', () => {
    expect(sorted(ancestorsOf(graph, ids(['d'])))).toEqual(ids(['a', 'b', 'c', 'e']));
    // a is a direct parent through the shortcut, even though it is also three steps up.
    expect(sorted(ancestorsOf(graph, ids(['d']), 1))).toEqual(ids(['a', 'c', 'e']));
    expect(sorted(ancestorsOf(graph, ids(['d']), 2))).toEqual(ids(['a', 'b', 'c', 'e']));
    expect(sorted(ancestorsOf(graph, ids(['d']), 0))).toEqual([]);
  });

  it('walks descendants by generation', () => {
    expect(sorted(descendantsOf(graph, ids(['b'])))).toEqual(ids(['c', 'd', 'f']));
    expect(sorted(descendantsOf(graph, ids(['b']), 1))).toEqual(ids(['c', 'f']));
    expect(sorted(descendantsOf(graph, ids(['a']), 1))).toEqual(ids(['b', 'd']));
  });

  it('@ takes the start, its descendants and their ancestors', () => {
    // c's descendant d also needs e and a; f is a sibling branch nobody below c needs.
    expect(sorted(childrensParentsOf(graph, ids(['c'])))).toEqual(ids(['a', 'b', 'c', 'd', 'e']));
    expect(sorted(childrensParentsOf(graph, new Set(ids(['f']))))).toEqual(ids(['a', 'b', 'f']));
  });
});
