import { randomUUID } from 'node:crypto';
import { relative } from 'node:path';
import { ShopsmartError, throwIfAny } from '../errors.js';
import { builtinLayerName, builtinMacroFiles } from '../template/builtin-macros.js';
import { ParseScope } from '../template/parse-scope.js';
import { TemplateEngine } from '../template/template-engine.js';
import { VarResolver } from '../template/var-resolver.js';
import { checksumOf } from './checksum.js';
import { finaliseConfig, mergeConfig, resolveTreeConfig } from './config-resolver.js';
import { orderLayers, visibleLayerNames } from './define-layer.js';
import { type LoadedLayer, loadLayer } from './layer-loader.js';
import type { Manifest, ParsedCode } from './manifest-types.js';
import type { ProjectDefinition, TargetConfig } from './project-definition.js';
import type { ProjectNode } from './project-types.js';
import { RefResolver } from './ref-resolver.js';
import { relationFor } from './relation-namer.js';
import { sourceAndExposureNodes } from './source-nodes.js';
import { createTestNodes } from './test-node-factory.js';
import { unitTestNodes } from './unit-test-nodes.js';

export interface BuildManifestOptions {
  definition: ProjectDefinition;
  target: TargetConfig;
  cliVars?: Record<string, unknown>;
  invocationId?: string;
  runStartedAt?: Date;
}

/** A parsed project: the manifest plus what compiling and running it needs. */
export interface ParsedProject {
  definition: ProjectDefinition;
  target: TargetConfig;
  manifest: Manifest;
  parsed: Map<string, ParsedCode>;
  engine: TemplateEngine;
  vars: VarResolver;
  layers: LoadedLayer[];
  invocationId: string;
  runStartedAt: Date;
  refs: RefResolver;
}

const sectionOf = { model: 'models', seed: 'seeds', snapshot: 'snapshots', analysis: 'analyses' } as const;

/**
 * Load → configure → render once → resolve refs → name relations. Every user error of the whole
 * project is collected and thrown together at the end (a ShopsmartErrorList when there are several).
 */
export function buildManifest(options: BuildManifestOptions): ParsedProject {
  const { definition, target } = options;
  const invocationId = options.invocationId ?? randomUUID();
  const runStartedAt = options.runStartedAt ?? new Date();
  const errors: ShopsmartError[] = [];
  const ordered = orderLayers(definition.layers);
  const roots = new Map<string, string>();
  for (const layer of ordered) {
    const other = roots.get(layer.name);
    if (other && other !== layer.root) {
      errors.push(
        new ShopsmartError(
          'SSA-LAYER-002',
          `two layers are named '${layer.name}' (${other} and ${layer.root})`,
          { hint: 'layer names must be unique in a project' },
        ),
      );
    }
    roots.set(layer.name, layer.root);
  }
  const layers = ordered.map((layer) => {
    const { loaded, errors: layerErrors } = loadLayer(layer);
    errors.push(...layerErrors.map((e) => relocate(e, layer.root, definition.rootDir)));
    return loaded;
  });
  const fileOf = (node: ProjectNode) =>
    relative(definition.rootDir, node.origin.absolutePath) || node.originalFilePath;
  const visible = new Map<string, string[]>(
    layers.map((l) => [l.layer.name, [...visibleLayerNames(l.layer), builtinLayerName]]),
  );
  const engine = new TemplateEngine(
    [
      { layer: builtinLayerName, visible: [builtinLayerName], files: builtinMacroFiles },
      ...layers.map((l) => ({
        layer: l.layer.name,
        visible: visible.get(l.layer.name) ?? [],
        files: l.macroFiles,
      })),
    ],
    {
      target: {
        name: target.name,
        schema: target.schema,
        type: target.type,
        threads: target.threads,
        path: target.path,
        database: '',
        ...target.extra,
      },
      run_started_at: runStartedAt.toISOString(),
      invocation_id: invocationId,
      doc: (name: unknown) => docsIndex.get(String(name)) ?? '',
    },
  );
  const docsIndex = new Map(layers.flatMap((l) => l.docs.map((d) => [d.name, d.text] as const)));
  const vars = new VarResolver(
    options.cliVars ?? {},
    definition.vars,
    new Map(layers.map((l) => [l.layer.name, l.project.vars])),
  );

  const nodes = new Map<string, ProjectNode>();
  const disabled: string[] = [];
  const parseScopes = new Map<string, { scope: ParseScope; code: string }>();
  const renderParse = (node: ProjectNode, layerName: string) => {
    const scope = new ParseScope(layerName, vars, {
      name: node.name,
      unique_id: node.uniqueId,
      package_name: node.packageName,
    });
    try {
      const code = engine.render({ file: fileOf(node), source: node.rawCode, layer: layerName, scope });
      parseScopes.set(node.uniqueId, { scope, code });
    } catch (error) {
      if (error instanceof ShopsmartError) errors.push(error);
      else throw error;
    }
    return scope;
  };

  const sources = new Map<string, ProjectNode>();
  const exposures = new Map<string, ProjectNode>();
  for (const loaded of layers) {
    const layerName = loaded.layer.name;
    const configTree = (type: ProjectNode['resourceType']) =>
      type === 'seed'
        ? [loaded.project.seeds, definition.config.seeds]
        : type === 'snapshot'
          ? [loaded.project.snapshots, definition.config.snapshots]
          : [loaded.project.models, definition.config.models];
    for (const node of loaded.nodes) {
      const section =
        node.resourceType === 'test' ? undefined : sectionOf[node.resourceType as keyof typeof sectionOf];
      const patch = section ? loaded.properties[section].get(node.name) : undefined;
      let config = {};
      if (node.resourceType === 'test') {
        config = mergeConfig(
          resolveTreeConfig(loaded.project.tests, node.fqn),
          resolveTreeConfig(definition.config.tests, node.fqn),
        );
      } else {
        for (const tree of configTree(node.resourceType))
          config = mergeConfig(config, resolveTreeConfig(tree, node.fqn));
      }
      if (patch) {
        config = mergeConfig(config, patch.config);
        node.description = patch.description;
        node.meta = patch.meta;
        node.docs = { show: patch.docsShow };
        node.origin.patchPath = patch.file;
        node.origin.patchLine = patch.line;
        for (const column of patch.columns) node.columns[column.name] = column;
      }
      if (node.resourceType !== 'seed') {
        const scope = renderParse(node, layerName);
        config = mergeConfig(config, scope.inFileConfig);
        node.refs = scope.refs.map((r) => r.args);
        node.sources = scope.sourceCalls.map((s) => s.args);
      }
      node.config = finaliseConfig(node.resourceType, config);
      if (node.resourceType === 'test')
        node.config.severity = String(node.config.severity ?? 'error').toLowerCase();
      if (node.resourceType === 'analysis') node.config.materialized = 'analysis';
      node.tags = node.config.tags;
      node.checksum = checksumOf(node.rawCode + JSON.stringify(node.config));
      if (!node.config.enabled) {
        disabled.push(node.uniqueId);
        continue;
      }
      if (nodes.has(node.uniqueId)) {
        errors.push(
          new ShopsmartError(
            'SSA-NODE-409',
            `two ${node.resourceType}s are named '${node.name}' in layer '${layerName}'`,
            { file: fileOf(node), hint: `the other one: ${nodes.get(node.uniqueId)?.originalFilePath}` },
          ),
        );
        continue;
      }
      nodes.set(node.uniqueId, node);
    }
    const extra = sourceAndExposureNodes(loaded, definition.rootDir);
    for (const source of extra.sources) sources.set(source.uniqueId, source);
    for (const exposure of extra.exposures) exposures.set(exposure.uniqueId, exposure);
    errors.push(...extra.errors);
    for (const [section, patches] of Object.entries({
      models: loaded.properties.models,
      seeds: loaded.properties.seeds,
      snapshots: loaded.properties.snapshots,
    })) {
      for (const patch of patches.values()) {
        const type = section === 'models' ? 'model' : section === 'seeds' ? 'seed' : 'snapshot';
        const id = `${type}.${layerName}.${patch.name}`;
        if (!nodes.has(id) && !disabled.includes(id)) {
          errors.push(
            new ShopsmartError(
              'SSA-YAML-404',
              `${section} entry '${patch.name}' documents a ${type} that does not exist`,
              {
                file: relative(definition.rootDir, `${loaded.layer.root}/${patch.file}`),
                line: patch.line,
                hint: `rename it to the file's name, or remove the entry`,
              },
            ),
          );
        }
      }
    }
  }

  // Generic tests declared in YAML, attached to their model/seed/snapshot/source.
  for (const loaded of layers) {
    const layerName = loaded.layer.name;
    const testTree = loaded.project.tests;
    const attach = (
      target: ProjectNode,
      relationExpression: string,
      nameForTest: string,
      declarations: import('./project-types.js').TestDeclaration[],
    ) => {
      const tests = createTestNodes(
        {
          uniqueId: target.uniqueId,
          nameForTest,
          relationExpression,
          packageName: layerName,
          layerRoot: loaded.layer.root,
          fqnPrefix: [layerName, ...target.fqn.slice(1, -1)],
          tags: target.tags,
        },
        declarations,
        resolveTreeConfig(testTree, [layerName]),
      );
      for (const test of tests) {
        if (!test.config.enabled) continue;
        if (nodes.has(test.uniqueId)) continue;
        const scope = renderParse(test, layerName);
        test.refs = scope.refs.map((r) => r.args);
        test.sources = scope.sourceCalls.map((s) => s.args);
        nodes.set(test.uniqueId, test);
      }
    };
    for (const node of loaded.nodes) {
      if (!nodes.has(node.uniqueId) || node.resourceType === 'test' || node.resourceType === 'analysis')
        continue;
      const section = sectionOf[node.resourceType as keyof typeof sectionOf];
      const patch = loaded.properties[section].get(node.name);
      if (!patch) continue;
      const declarations = [...patch.tests, ...patch.columns.flatMap((c) => c.tests)];
      attach(node, `ref('${node.packageName}', '${node.name}')`, node.name, declarations);
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
        `source_${source.sourceName}_${source.name}`,
        [...entry.tests, ...entry.columns.flatMap((c) => c.tests)],
      );
    }
  }

  for (const loaded of layers) {
    const { tests, errors: unitErrors } = unitTestNodes(loaded, definition.rootDir, nodes);
    errors.push(...unitErrors);
    for (const test of tests) if (test.config.enabled) nodes.set(test.uniqueId, test);
  }

  // Resolve refs and sources into edges and token maps.
  const resolver = new RefResolver(nodes.values(), sources.values(), visible);
  const parsed = new Map<string, ParsedCode>();
  for (const node of nodes.values()) {
    const rendered = parseScopes.get(node.uniqueId);
    if (!rendered) continue;
    const tokens = new Map<number, string>();
    const dependsOn = new Set<string>();
    for (const call of rendered.scope.refs) {
      const result = resolver.ref(node, call.args, fileOf(node));
      if ('error' in result) errors.push(result.error);
      else {
        tokens.set(call.key, result.uniqueId);
        dependsOn.add(result.uniqueId);
      }
    }
    for (const call of rendered.scope.sourceCalls) {
      const result = resolver.source(node, call.args, fileOf(node));
      if ('error' in result) errors.push(result.error);
      else {
        tokens.set(call.key, result.uniqueId);
        dependsOn.add(result.uniqueId);
      }
    }
    if (node.attachedNode) dependsOn.add(node.attachedNode);
    node.dependsOn = [...dependsOn];
    parsed.set(node.uniqueId, {
      code: rendered.code,
      tokens,
      renderAtExecution: rendered.scope.needsExecutionRender,
    });
  }
  for (const exposure of exposures.values()) {
    const deps = new Set<string>();
    for (const call of exposure.refs) {
      const result = resolver.ref(exposure, call, fileOf(exposure));
      if ('error' in result) errors.push(result.error);
      else deps.add(result.uniqueId);
    }
    for (const call of exposure.sources) {
      const result = resolver.source(exposure, call, fileOf(exposure));
      if ('error' in result) errors.push(result.error);
      else deps.add(result.uniqueId);
    }
    exposure.dependsOn = [...deps];
  }
  throwIfAny(errors);

  const claimed = new Map<string, ProjectNode>();
  for (const node of nodes.values()) {
    node.relation = relationFor(node, target, engine, vars);
    if (!node.relation || !['model', 'seed', 'snapshot'].includes(node.resourceType)) continue;
    const key =
      `${node.relation.database ?? ''}.${node.relation.schema}.${node.relation.identifier}`.toLowerCase();
    const other = claimed.get(key);
    if (other) {
      errors.push(
        new ShopsmartError(
          'SSA-RELATION-409',
          `'${node.uniqueId}' and '${other.uniqueId}' would both be built as ${node.relation.schema}.${node.relation.identifier}`,
          {
            file: fileOf(node),
            hint: `give one of them another alias or schema (the other is ${fileOf(other)})`,
          },
        ),
      );
    }
    claimed.set(key, node);
  }
  throwIfAny(errors);

  const parentMap: Record<string, string[]> = {};
  const childMap: Record<string, string[]> = {};
  for (const node of [...nodes.values(), ...sources.values(), ...exposures.values()]) {
    parentMap[node.uniqueId] = node.dependsOn;
    childMap[node.uniqueId] ??= [];
  }
  for (const [child, parents] of Object.entries(parentMap))
    for (const parent of parents) {
      childMap[parent] ??= [];
      childMap[parent].push(child);
    }

  const macros = Object.fromEntries(layers.flatMap((l) => l.macros.map((m) => [m.uniqueId, m] as const)));
  const docs = Object.fromEntries(
    layers.flatMap((l) => l.docs.map((d) => [`doc.${d.packageName}.${d.name}`, d] as const)),
  );
  const resolveDoc = (text: string) =>
    text.replace(
      /\{\{\s*doc\(\s*['"]([^'"]+)['"]\s*\)\s*\}\}/g,
      (_m, name: string) => docsIndex.get(name) ?? '',
    );
  for (const node of [...nodes.values(), ...sources.values(), ...exposures.values()]) {
    node.description = resolveDoc(node.description);
    for (const column of Object.values(node.columns)) column.description = resolveDoc(column.description);
  }
  const manifest: Manifest = {
    metadata: {
      projectName: definition.name,
      generatedAt: new Date().toISOString(),
      invocationId,
      target: target.name,
      layers: layers.map((l) => ({
        name: l.layer.name,
        root: l.layer.root,
        dependencies: l.layer.dependencies.map((d) => d.name),
      })),
    },
    nodes: Object.fromEntries(nodes),
    sources: Object.fromEntries(sources),
    exposures: Object.fromEntries(exposures),
    macros,
    docs,
    parentMap,
    childMap,
    disabled,
  };
  return {
    definition,
    target,
    manifest,
    parsed,
    engine,
    vars,
    layers,
    invocationId,
    runStartedAt,
    refs: resolver,
  };
}

/** Makes a layer-relative file in an error relative to the project root. */
function relocate(error: ShopsmartError, layerRoot: string, rootDir: string): ShopsmartError {
  if (!error.file || error.file.startsWith('/')) return error;
  const file = relative(rootDir, `${layerRoot}/${error.file}`);
  return new ShopsmartError(error.code, error.message, { file, line: error.line, hint: error.hint });
}
