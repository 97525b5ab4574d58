import type { DocNode } from './docs-model.js';

export interface SearchHit {
  node: DocNode;
  score: number;
  /** Why it matched: 'name', 'column customer_email', 'tag finance', 'description'. */
  reason: string;
}

interface Entry {
  node: DocNode;
  name: string;
  description: string;
  tags: string[];
}

/**
 * Search over names, column names, tags and descriptions. Built once; each query is a linear
 * scan of pre-lower-cased strings (a few ms for thousands of nodes). Names rank above columns,
 * columns above tags, tags above descriptions; within a kind, exact > prefix > contains.
 *
 * @example
 * const index = new SearchIndex(model.ordered);
 * index.search('customer_email')[0]; // → { node: dim_customers, reason: 'column customer_email', … }
 */
export class SearchIndex {
  readonly #entries: Entry[];

  constructor(nodes: readonly DocNode[]) {
    this.#entries = nodes.map((node) => ({
      node,
      name: node.label.toLowerCase(),
      description: node.description.toLowerCase(),
      tags: node.tags.map((t) => t.toLowerCase()),
    }));
  }

  search(query: string, limit = 20): SearchHit[] {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const hits: SearchHit[] = [];
    const closeness = (text: string) => (text === q ? 3 : text.startsWith(q) ? 2 : text.includes(q) ? 1 : 0);
    for (const entry of this.#entries) {
      let score = closeness(entry.name) * 100;
      let reason = 'name';
      if (score === 0) {
        let best = 0;
        let column = '';
        for (const name of entry.node.searchColumns) {
          const c = closeness(name);
          if (c > best) {
            best = c;
            column = name;
            if (c === 3) break;
          }
        }
        if (best > 0) {
          score = best * 10;
          reason = `column ${column}`;
        }
      }
      if (score === 0) {
        const tag = entry.tags.find((t) => closeness(t) > 0);
        if (tag) {
          score = closeness(tag) * 3;
          reason = `tag ${tag}`;
        }
      }
      if (score === 0 && entry.description.includes(q)) {
        score = 1;
        reason = 'description';
      }
      if (score === 0) continue;
      // Tests are many and rarely what one looks for; their names (dbt's: `unique_<model>_<column>`)
      // hold model and column names, so they would outrank the model itself: every test hit ranks
      // after every other hit, in its own order.
      if (entry.node.resourceType === 'test') score /= 1000;
      hits.push({ node: entry.node, score, reason });
    }
    hits.sort((a, b) => b.score - a.score || a.node.label.length - b.node.label.length);
    return hits.slice(0, limit);
  }
}
