import type { Manifest } from '../project/manifest-types.js';
import type { ProjectNode, Relation } from '../project/project-types.js';

/** What the check needs of a warehouse: whether a relation exists (the adapter's catalog). */
export interface RelationCatalog {
  relationKind(relation: Relation): Promise<string | undefined>;
}

/** Where unselected upstream nodes live in another environment (dbt's `--defer --state`). */
export interface DeferTargets {
  /** uniqueId → the relation that environment built for it (already pointing at its database). */
  relationOf(uniqueId: string): Relation | undefined;
}

/** The upstream relations a command reads but does not build, looked up before anything runs. */
export interface UpstreamCheck {
  /** Unselected upstream nodes absent from this warehouse that `--defer` reads from the state's. */
  deferred: Map<string, Relation>;
  /** For each selected node: the upstream nodes it reads that exist nowhere it can read them. */
  unbuilt: Map<string, ProjectNode[]>;
}

/** Node types whose SQL reads other relations when they run. */
const readingTypes = new Set(['model', 'snapshot', 'test']);

/**
 * For every selected node, the relations it will read that this run does not build (unselected
 * models, seeds and snapshots, seen through ephemeral models, whose SQL is inlined): each one
 * that is missing from the warehouse is deferred when `defer` knows it, and unbuilt otherwise.
 * Each relation is looked up once. Unit tests are left out (their inputs are fixtures).
 *
 * @example
 * const { unbuilt } = await checkUpstream(manifest, new Set(['model.marts.dim_customers']), adapter);
 * unbuilt.get('model.marts.dim_customers')?.map((n) => n.name); // → ['snap_customers'] on a fresh warehouse
 */
export async function checkUpstream(
  manifest: Manifest,
  selected: ReadonlySet<string>,
  catalog: RelationCatalog,
  defer?: DeferTargets,
): Promise<UpstreamCheck> {
  const deferred = new Map<string, Relation>();
  const unbuilt = new Map<string, ProjectNode[]>();
  const missing = new Map<string, Promise<boolean>>();
  const isMissing = (node: ProjectNode & { relation: Relation }) => {
    let answer = missing.get(node.uniqueId);
    if (!answer) {
      answer = catalog.relationKind(node.relation).then((kind) => kind === undefined);
      missing.set(node.uniqueId, answer);
    }
    return answer;
  };
  for (const id of selected) {
    const node = manifest.nodes[id];
    if (!node || !readingTypes.has(node.resourceType)) continue;
    // An ephemeral model runs no SQL of its own; the models it is inlined into are checked.
    if (node.resourceType === 'model' && node.config.materialized === 'ephemeral') continue;
    for (const upstream of readRelations(manifest, node, selected)) {
      if (!(await isMissing(upstream))) continue;
      const elsewhere = defer?.relationOf(upstream.uniqueId);
      if (elsewhere) {
        deferred.set(upstream.uniqueId, elsewhere);
        continue;
      }
      unbuilt.set(id, [...(unbuilt.get(id) ?? []), upstream]);
    }
  }
  return { deferred, unbuilt };
}

/** The unselected, non-ephemeral nodes whose relations `node`'s SQL reads, ephemerals looked through. */
function readRelations(
  manifest: Manifest,
  node: ProjectNode,
  selected: ReadonlySet<string>,
): (ProjectNode & { relation: Relation })[] {
  const found = new Map<string, ProjectNode & { relation: Relation }>();
  const seen = new Set<string>();
  const visit = (current: ProjectNode) => {
    for (const parentId of current.dependsOn) {
      if (seen.has(parentId)) continue;
      seen.add(parentId);
      const parent = manifest.nodes[parentId];
      if (!parent) continue; // sources and macros
      if (parent.resourceType === 'model' && parent.config.materialized === 'ephemeral') {
        visit(parent);
        continue;
      }
      if (selected.has(parentId) || !parent.relation) continue;
      found.set(parentId, parent as ProjectNode & { relation: Relation });
    }
  };
  visit(node);
  return [...found.values()];
}

/**
 * The one line that says what to run first: `snapshot 'snap_products' has not been built in this
 * warehouse yet: run \`shopsmart snapshot\` (or \`shopsmart build\`) first`.
 */
export function unbuiltMessage(node: ProjectNode): string {
  const [what, verb, command] =
    node.resourceType === 'seed'
      ? ['seed', 'loaded into', 'shopsmart seed']
      : node.resourceType === 'snapshot'
        ? ['snapshot', 'built in', 'shopsmart snapshot']
        : ['model', 'built in', `shopsmart run -s +${node.name}`];
  return `${what} '${node.name}' has not been ${verb} this warehouse yet: run \`${command}\` (or \`shopsmart build\`) first`;
}
