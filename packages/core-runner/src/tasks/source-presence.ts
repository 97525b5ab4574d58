import { existsSync, rmSync } from 'node:fs';
import { ShopsmartError } from '../errors.js';
import type { Manifest } from '../project/manifest-types.js';
import type { TargetConfig } from '../project/project-definition.js';
import type { Relation } from '../project/project-types.js';
import type { RelationCatalog } from './upstream-relations.js';

/**
 * Whether the warehouse file of a file-based target exists yet (a server target always does). A
 * run that stops before doing anything removes a file it created, so no empty warehouse is left.
 */
export function warehouseFileExists(target: TargetConfig): boolean {
  return target.type !== 'duckdb' || target.path === ':memory:' || existsSync(target.path);
}

/** Removes a warehouse file this run created and left empty. */
export function removeCreatedWarehouse(target: TargetConfig): void {
  if (target.type !== 'duckdb' || target.path === ':memory:') return;
  for (const suffix of ['', '.wal']) rmSync(`${target.path}${suffix}`, { force: true });
}

/**
 * The raw data must be there before anything runs: when every source table the selected nodes
 * read is missing (a warehouse never generated, or the wrong file), one error lists them and says
 * what to run, instead of one "table does not exist" per model and a thousand skips. A warehouse
 * missing only some sources runs, and the nodes reading those fail on their own.
 *
 * @example
 * await missingRawData(manifest, selected, adapter); // → SSA-SOURCE-404 "… raw.customers, raw.orders …"
 */
export async function missingRawData(
  manifest: Manifest,
  selected: ReadonlySet<string>,
  catalog: RelationCatalog,
): Promise<ShopsmartError | undefined> {
  const read = new Map<string, Relation>();
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const source = manifest.sources[id];
    if (source?.relation) {
      read.set(id, source.relation);
      return;
    }
    const node = manifest.nodes[id];
    if (!node) return;
    // Through ephemeral models (inlined) only; a built parent stands between a node and the sources.
    if (selected.has(id) || (node.resourceType === 'model' && node.config.materialized === 'ephemeral'))
      for (const parent of node.dependsOn) visit(parent);
  };
  for (const id of selected) visit(id);
  // A source may name a table this very run builds (a seed read through source(), as dbt allows).
  const key = (r: Relation) => `${r.schema}.${r.identifier}`.toLowerCase();
  const built = new Set<string>();
  for (const id of selected) {
    const relation = manifest.nodes[id]?.relation;
    if (relation) built.add(key(relation));
  }
  for (const [id, relation] of read) if (built.has(key(relation))) read.delete(id);
  if (read.size === 0) return undefined;
  const missing: Relation[] = [];
  for (const relation of read.values()) {
    if ((await catalog.relationKind(relation)) !== undefined) return undefined;
    missing.push(relation);
  }
  const names = missing.map((r) => `${r.schema}.${r.identifier}`).sort();
  const shown =
    names.length > 8 ? `${names.slice(0, 8).join(', ')} and ${names.length - 8} more` : names.join(', ');
  return new ShopsmartError(
    'SSA-SOURCE-404',
    `the warehouse has no raw data: none of the ${names.length} source table${names.length === 1 ? '' : 's'} this run reads exist (${shown})`,
    {
      hint: 'run `shopsmart generate` to write the mock raw data first (or point the target at the warehouse that holds it); nothing was run',
    },
  );
}
