import type { LoadedLayer } from './layer-loader.js';
import type { Manifest } from './manifest-types.js';
import type { ProjectDefinition, TargetConfig } from './project-definition.js';
import type { ProjectNode } from './project-types.js';

export interface ManifestParts {
  definition: ProjectDefinition;
  target: TargetConfig;
  invocationId: string;
  layers: LoadedLayer[];
  nodes: Map<string, ProjectNode>;
  sources: Map<string, ProjectNode>;
  exposures: Map<string, ProjectNode>;
  disabled: string[];
  /** Docs block name → text, for `{{ doc('name') }}` in descriptions. */
  docsIndex: ReadonlyMap<string, string>;
}

const docCall = /\{\{\s*doc\(\s*['"]([^'"]+)['"]\s*\)\s*\}\}/g;

/**
 * The manifest's parent and child maps, from every node (nodes, sources, exposures, in that
 * order): a node's parents are its `dependsOn` (the same array).
 */
export function nodeMaps(everything: readonly ProjectNode[]): Pick<Manifest, 'parentMap' | 'childMap'> {
  const parentMap: Record<string, string[]> = {};
  const childMap: Record<string, string[]> = {};
  for (const node of everything) {
    parentMap[node.uniqueId] = node.dependsOn;
    childMap[node.uniqueId] ??= [];
  }
  for (const [child, parents] of Object.entries(parentMap)) {
    for (const parent of parents) {
      childMap[parent] ??= [];
      childMap[parent].push(child);
    }
  }
  return { parentMap, childMap };
}

/** The manifest from linked nodes: parent and child maps, macros, docs, descriptions with doc() resolved. */
export function assembleManifest(parts: ManifestParts): Manifest {
  const { nodes, sources, exposures, layers } = parts;
  const everything = [...nodes.values(), ...sources.values(), ...exposures.values()];
  const { parentMap, childMap } = nodeMaps(everything);
  const resolveDoc = (text: string) =>
    text.replace(docCall, (_m, name: string) => parts.docsIndex.get(name) ?? '');
  for (const node of everything) {
    node.description = resolveDoc(node.description);
    for (const column of Object.values(node.columns)) column.description = resolveDoc(column.description);
  }
  return {
    metadata: {
      projectName: parts.definition.name,
      generatedAt: new Date().toISOString(),
      invocationId: parts.invocationId,
      target: parts.target.name,
      layers: layers.map((l) => ({
        name: l.layer.name,
        root: l.layer.root,
        dependencies: l.layer.dependencies.map((d) => d.name),
      })),
    },
    nodes: Object.fromEntries(nodes),
    sources: Object.fromEntries(sources),
    exposures: Object.fromEntries(exposures),
    macros: Object.fromEntries(layers.flatMap((l) => l.macros.map((m) => [m.uniqueId, m] as const))),
    docs: Object.fromEntries(
      layers.flatMap((l) => l.docs.map((d) => [`doc.${d.packageName}.${d.name}`, d] as const)),
    ),
    parentMap,
    childMap,
    disabled: parts.disabled,
  };
}
