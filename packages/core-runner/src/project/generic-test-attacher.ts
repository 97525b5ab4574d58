import { mergeConfig, resolveTreeConfig } from './config-resolver.js';
import type { ConfigTree } from './dbt-project-file.js';
import type { LoadedLayer } from './layer-loader.js';
import { versionColumns, versionEntryOf } from './model-versions.js';
import type { ProjectNode, TestDeclaration } from './project-types.js';
import { createTestNodes } from './test-node-factory.js';

const sectionOf = { model: 'models', seed: 'seeds', snapshot: 'snapshots' } as const;

/**
 * The generic tests a layer's YAML declares on its models, seeds, snapshots and source tables,
 * as enabled test nodes not yet rendered (and none already in `nodes`). Their config starts from
 * the `data_tests:` trees of the layer's dbt_project.yml and of the root project, at the test's fqn.
 */
export function genericTestNodes(
  loaded: LoadedLayer,
  nodes: ReadonlyMap<string, ProjectNode>,
  sources: ReadonlyMap<string, ProjectNode>,
  rootTests: ConfigTree = {},
): ProjectNode[] {
  const treeConfig = (fqn: string[]) =>
    mergeConfig(resolveTreeConfig(loaded.project.tests, fqn), resolveTreeConfig(rootTests, fqn));
  const layerName = loaded.layer.name;
  const created: ProjectNode[] = [];
  const seen = new Set<string>();
  const attach = (
    target: ProjectNode,
    relationExpression: string,
    nameForTest: string,
    declarations: TestDeclaration[],
    dbtModelArgument: string,
  ) => {
    const tests = createTestNodes(
      {
        uniqueId: target.uniqueId,
        nameForTest,
        isSource: target.resourceType === 'source',
        dbtModelArgument,
        relationExpression,
        packageName: layerName,
        layerRoot: loaded.layer.root,
        fqnPrefix: [layerName, ...target.fqn.slice(1, -1)],
        tags: target.tags,
      },
      declarations,
      treeConfig,
    );
    for (const test of tests) {
      if (!test.config.enabled || nodes.has(test.uniqueId) || seen.has(test.uniqueId)) continue;
      seen.add(test.uniqueId);
      created.push(test);
    }
  };
  for (const node of loaded.nodes) {
    const section = sectionOf[node.resourceType as keyof typeof sectionOf];
    if (!section || !nodes.has(node.uniqueId)) continue;
    const patch = loaded.properties[section].get(node.name);
    if (!patch) continue;
    // A model version's tests are named for `<name>_v<v>` and test that version (dbt).
    const version = versionEntryOf(patch, node);
    const v = node.version === undefined ? '' : `, v=${JSON.stringify(node.version)}`;
    attach(
      node,
      `ref('${node.packageName}', '${node.name}'${v})`,
      node.version === undefined ? node.name : `${node.name}_v${node.version}`,
      [...patch.tests, ...(version?.tests ?? []), ...versionColumns(patch, version).flatMap((c) => c.tests)],
      `ref('${node.name}'${v})`,
    );
  }
  for (const source of sources.values()) {
    if (source.packageName !== layerName) continue;
    const entry = loaded.properties.sources.find(
      (s) => s.sourceName === source.sourceName && s.name === source.name,
    );
    if (!entry) continue;
    attach(
      source,
      `source('${source.sourceName}', '${source.name}')`,
      `${source.sourceName}_${source.name}`,
      [...entry.tests, ...entry.columns.flatMap((c) => c.tests)],
      `source('${source.sourceName}', '${source.name}')`,
    );
  }
  return created;
}
