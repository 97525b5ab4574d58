import { randomUUID } from 'node:crypto';
import { relative } from 'node:path';
import type { OneFile } from '../artifacts/file-batch-writer.js';
import { ShopsmartError, throwIfAny } from '../errors.js';
import { layerCompatibilityProblem } from '../layer/layer-compatibility.js';
import { ParseScope } from '../template/parse-scope.js';
import { renderStatic } from '../template/static-renderer.js';
import type { TemplateEngine } from '../template/template-engine.js';
import { VarResolver } from '../template/var-resolver.js';
import { checksumOf } from './checksum.js';
import { finaliseConfig, mergeConfig, resolveTreeConfig } from './config-resolver.js';
import { orderLayers } from './define-layer.js';
import { recordingEnvReads } from './env-var-reader.js';
import { genericTestNodes } from './generic-test-attacher.js';
import { type LoadedLayer, loadLayer } from './layer-loader.js';
import { assembleManifest } from './manifest-assembler.js';
import type { Manifest, ParsedCode } from './manifest-types.js';
import { versionColumns, versionConfig, versionEntryOf } from './model-versions.js';
import { ParseCache, type ParseCacheReport, type ParseSnapshot, parseIdentity } from './parse-cache.js';
import type { ProjectDefinition, TargetConfig } from './project-definition.js';
import { createProjectEngine, docsIndexOf, visibleLayers } from './project-engine.js';
import type { ProjectNode } from './project-types.js';
import { linkRefs } from './ref-linker.js';
import { RefResolver } from './ref-resolver.js';
import { nameRelations } from './relation-namer.js';
import { renderRootConfig } from './root-config-renderer.js';
import { sourceAndExposureNodes } from './source-nodes.js';
import { targetDatabase, templateTarget } from './target-parser.js';
import { testCallError } from './test-call-error.js';
import { unitTestNodes } from './unit-test-nodes.js';

export interface BuildManifestOptions {
  definition: ProjectDefinition;
  target: TargetConfig;
  cliVars?: Record<string, unknown>;
  invocationId?: string;
  runStartedAt?: Date;
  /**
   * Render templates whose only Jinja is ref/source/config/var without the template engine
   * (default true; the output is the same either way).
   */
  staticParse?: boolean;
  /**
   * Use and refresh the parse cache in `definition.targetPath` (dbt's partial parsing): unchanged
   * projects are not parsed again, changed ones re-read only changed files and re-render only the
   * nodes whose inputs changed. Off by default; the CLI turns it on unless `--no-partial-parse`.
   */
  partialParse?: boolean;
  /** Told when the cache could not be read (the parse falls back to a full one). */
  onWarning?: (message: string) => void;
  /**
   * Leave out the nodes that do not parse (a template error, an unresolvable ref) instead of
   * stopping, each told to `onWarning` with its unique id; their dependents are left out too.
   * For trying a foreign dbt project (`--skip-unparsable`); the parse cache is not used.
   */
  skipUnparsableNodes?: boolean;
  /**
   * Write the parse cache when the event loop next turns (setImmediate) instead of before
   * returning: `compile` serialises it while its worker thread writes the compiled files, instead
   * of before. The caller must not change the parsed project before then.
   */
  saveCacheLater?: boolean;
  /**
   * Told how many files of SQL nodes the project has as soon as that is known: after the files
   * are listed (before anything is rendered), or from the cached manifest on a cache hit. `compile`
   * starts the worker that writes its files then, so that its start overlaps the parse. After a
   * listing, `listed` has the listed nodes (not yet configured or rendered) and the target folder:
   * the worker creates their compiled files ahead.
   */
  onSqlNodeCount?: (count: number, listed?: { targetPath: string; nodes: readonly ProjectNode[] }) => void;
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
  /** How the parse cache served this parse (absent when it was not used). */
  parseCache?: ParseCacheReport;
  /**
   * With `saveCacheLater`, saves the parse cache now instead of when the event loop next turns
   * (once: whichever comes first), its files handed to `write` (e.g. a worker's) when given.
   */
  saveParseCache?: (write?: (file: OneFile) => void) => void;
}

const sectionOf = { model: 'models', seed: 'seeds', snapshot: 'snapshots', analysis: 'analyses' } as const;

/**
 * Load → configure → render once → resolve refs → name relations. Every user error of the whole
 * project is collected and thrown together at the end (a ShopsmartErrorList when there are several).
 */
export function buildManifest(options: BuildManifestOptions): ParsedProject {
  const { target } = options;
  throwIfAny(options.definition.targetProblems?.[target.name] ?? []);
  const invocationId = options.invocationId ?? randomUUID();
  const runStartedAt = options.runStartedAt ?? new Date();
  if (!options.partialParse || options.skipUnparsableNodes)
    return parseProject(options, invocationId, runStartedAt);
  // A layer package built for another layer schema is refused before anything else, cache or not.
  throwIfAny(
    orderLayers(options.definition.layers).flatMap((layer) => layerCompatibilityProblem(layer) ?? []),
  );
  const cache = new ParseCache(
    options.definition.targetPath,
    parseIdentity(options.definition, target, options.cliVars ?? {}),
  );
  const now = { invocationId, runStartedAt };
  const snapshot = cache.lookup(now);
  if (cache.corrupt) options.onWarning?.(`${cache.reason}; parsing the whole project`);
  if (snapshot) {
    options.onSqlNodeCount?.(Object.keys(snapshot.manifest.nodes).length);
    return restoreProject(snapshot, options, now, cache.report(true));
  }
  cache.loadMemo();
  const { result: project, reads } = recordingEnvReads(() =>
    parseProject(options, invocationId, runStartedAt, cache),
  );
  cache.noteEnvReads(reads);
  let saved = false;
  const save = (write?: (file: OneFile) => void) => {
    if (saved) return;
    saved = true;
    cache.save(
      {
        definition: project.definition,
        manifest: project.manifest,
        parsed: project.parsed,
        layers: project.layers,
      },
      now,
      write,
    );
  };
  if (options.saveCacheLater) {
    // reported before the save: without its saveId, so nothing is keyed on a save not yet made
    const report = cache.report();
    setImmediate(() => save());
    return { ...project, parseCache: report, saveParseCache: save };
  }
  save();
  return { ...project, parseCache: cache.report() };
}

/**
 * A ParsedProject from a cache hit. Only the definition and manifest are decoded now: the
 * rendered code, the layers and what is built from them (vars, refs, the engine) on first use.
 */
function restoreProject(
  snapshot: ParseSnapshot,
  options: BuildManifestOptions,
  now: { invocationId: string; runStartedAt: Date },
  report: ParseCacheReport,
): ParsedProject {
  const { definition, manifest } = snapshot;
  const project = {
    definition,
    target: options.target,
    manifest,
    invocationId: now.invocationId,
    runStartedAt: now.runStartedAt,
    parseCache: report,
  } as ParsedProject;
  const lazy = <K extends keyof ParsedProject>(key: K, make: () => ParsedProject[K]) => {
    let value: ParsedProject[K] | undefined;
    // configurable: a run may wrap the engine's getter to configure it once built (run-task.ts)
    Object.defineProperty(project, key, {
      configurable: true,
      enumerable: true,
      get: () => {
        value ??= make();
        return value;
      },
    });
  };
  lazy('parsed', () => snapshot.parsed);
  lazy('layers', () => snapshot.layers);
  lazy(
    'vars',
    () =>
      new VarResolver(
        options.cliVars ?? {},
        definition.vars,
        new Map(snapshot.layers.map((l) => [l.layer.name, l.project.vars])),
      ),
  );
  lazy(
    'refs',
    () =>
      new RefResolver(
        Object.values(manifest.nodes),
        Object.values(manifest.sources),
        visibleLayers(snapshot.layers),
      ),
  );
  lazy('engine', () =>
    createProjectEngine(snapshot.layers, {
      target: templateTarget(options.target),
      ...now,
      projectName: definition.name,
    }),
  );
  return project;
}

function parseProject(
  options: BuildManifestOptions,
  invocationId: string,
  runStartedAt: Date,
  cache?: ParseCache,
): ParsedProject {
  const { target } = options;
  const errors: ShopsmartError[] = [];
  const targetContext = templateTarget(target);
  const render = { cliVars: options.cliVars ?? {}, target: targetContext };
  const { definition, errors: configErrors } = renderRootConfig(options.definition, render);
  errors.push(...configErrors);
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
    for (const alias of layer.packageAliases ?? []) {
      if (/^[A-Za-z_]\w*$/.test(alias) && alias !== layer.name) continue;
      errors.push(
        new ShopsmartError(
          'SSA-LAYER-003',
          `layer '${layer.name}' cannot answer to the package name '${alias}'`,
          {
            hint: "a package alias is a Jinja name other than the layer's own, such as dbt_utils",
          },
        ),
      );
    }
  }
  // A layer package built for another layer schema is refused before its files are read.
  throwIfAny(ordered.flatMap((layer) => layerCompatibilityProblem(layer) ?? []));
  const layers = ordered.map((layer) => {
    const { loaded, errors: layerErrors } = loadLayer(layer, render, cache?.sources());
    errors.push(...layerErrors.map((e) => relocate(e, layer.root, definition.rootDir)));
    return loaded;
  });
  if (options.onSqlNodeCount) {
    const listed = layers.flatMap((l) => l.nodes);
    options.onSqlNodeCount(listed.length, { targetPath: definition.targetPath, nodes: listed });
  }
  // path.relative costs ~5 µs a call (it is asked for every ref): a plain path under the root is cut instead.
  const rootPrefix = `${definition.rootDir}/`;
  const plainRoot = !needsNormalising.test(definition.rootDir) && definition.rootDir.startsWith('/');
  const fileOf = (node: ProjectNode) => {
    const path = node.origin.absolutePath;
    if (plainRoot && path.startsWith(rootPrefix) && !needsNormalising.test(path))
      return path.slice(rootPrefix.length);
    return relative(definition.rootDir, path) || node.originalFilePath;
  };
  const visible = visibleLayers(layers);
  const engine = createProjectEngine(layers, {
    target: targetContext,
    runStartedAt,
    invocationId,
    projectName: definition.name,
  });
  const docsIndex = docsIndexOf(layers);
  cache?.begin(layers, definition, render);
  const vars = new VarResolver(
    options.cliVars ?? {},
    definition.vars,
    new Map(layers.map((l) => [l.layer.name, l.project.vars])),
  );

  const staticParse = options.staticParse ?? true;
  const nodes = new Map<string, ProjectNode>();
  const disabled: string[] = [];
  const parseScopes = new Map<string, { scope: ParseScope; code: string }>();
  const newScope = (node: ProjectNode, layerName: string) =>
    new ParseScope(layerName, vars, {
      name: node.name,
      unique_id: node.uniqueId,
      package_name: node.packageName,
      // dbt: `model.batch` is none outside a microbatch's batch.
      batch: null,
    });
  const renderParse = (node: ProjectNode, layerName: string, config: unknown) => {
    let scope = newScope(node, layerName);
    const key = cache?.keyOf(node, layerName, config);
    const shadowed = (name: string) => engine.macrosVisibleFrom(layerName).has(name);
    const macroOf = (name: string) => engine.staticMacro(layerName, name);
    // A static render is redone rather than restored from the cache (cheaper than a copy).
    const wasStatic = key !== undefined && staticParse && cache?.renderedStatically(key) === true;
    const recalled = key && !wasStatic ? cache?.recall(key, scope) : undefined;
    if (recalled !== undefined) {
      parseScopes.set(node.uniqueId, { scope, code: recalled });
      return scope;
    }
    try {
      // ref/source/config/var-only templates skip the engine; anything else (or any doubt) renders
      // with it, on a fresh scope, exactly once.
      let code = staticParse ? renderStatic(node.rawCode, scope, shadowed, macroOf) : undefined;
      const isStatic = code !== undefined;
      if (code === undefined) {
        if (staticParse) scope = newScope(node, layerName);
        code = engine.render({ file: fileOf(node), source: node.rawCode, layer: layerName, scope });
      }
      if (engine.dependsOnExecute(node.rawCode, layerName)) scope.needsExecutionRender = true;
      parseScopes.set(node.uniqueId, { scope, code });
      if (key && isStatic) cache?.rememberStatic(key, wasStatic);
      else if (key) cache?.remember(key, scope, code);
    } catch (error) {
      if (!(error instanceof ShopsmartError)) throw error;
      const problem = node.testMetadata ? testCallError(error, node, fileOf(node), engine, layerName) : error;
      if (options.skipUnparsableNodes) leaveOut(node.uniqueId, problem);
      else errors.push(problem);
    }
    return scope;
  };

  const leftOut = new Set<string>();
  /** Left-out models, seeds and snapshots, so that their YAML tests are counted as left out too. */
  const leftOutNodes = new Map<string, ProjectNode>();
  const testedLeftOut = (test: ProjectNode) =>
    new ShopsmartError('SSA-SKIP-001', `the node it tests (${test.attachedNode}) did not parse`, {
      file: fileOf(test),
      line: test.origin.patchLine,
    });
  const leaveOut = (uniqueId: string, problem: ShopsmartError) => {
    if (leftOut.has(uniqueId)) return;
    leftOut.add(uniqueId);
    options.onWarning?.(`${uniqueId} left out: ${problem.format().replace(/\n\s*hint:.*$/s, '')}`);
  };

  const sources = new Map<string, ProjectNode>();
  const exposures = new Map<string, ProjectNode>();
  for (const loaded of layers) {
    const layerName = loaded.layer.name;
    const rootConfig = rootConfigFor(definition, layerName);
    const configTree = (type: ProjectNode['resourceType']) =>
      type === 'seed'
        ? [loaded.project.seeds, rootConfig.seeds]
        : type === 'snapshot'
          ? [loaded.project.snapshots, rootConfig.snapshots]
          : [loaded.project.models, rootConfig.models];
    for (const node of loaded.nodes) {
      const section =
        node.resourceType === 'test' ? undefined : sectionOf[node.resourceType as keyof typeof sectionOf];
      const patch = section ? loaded.properties[section].get(node.name) : undefined;
      let config = {};
      if (node.resourceType === 'test') {
        config = mergeConfig(
          resolveTreeConfig(loaded.project.tests, node.fqn),
          resolveTreeConfig(rootConfig.tests, node.fqn),
        );
      } else {
        for (const tree of configTree(node.resourceType))
          config = mergeConfig(config, resolveTreeConfig(tree, node.fqn));
      }
      if (patch) {
        const version = versionEntryOf(patch, node);
        config = versionConfig(mergeConfig(config, patch.config), version);
        node.description = version?.description ?? patch.description;
        node.meta = patch.meta;
        node.docs = { show: patch.docsShow };
        node.origin.patchPath = patch.file;
        node.origin.patchLine = patch.line;
        for (const column of versionColumns(patch, versionEntryOf(patch, node)))
          node.columns[column.name] = column;
      }
      if (node.resourceType !== 'seed') {
        const scope = renderParse(node, layerName, config);
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
      if (leftOut.has(node.uniqueId)) {
        leftOutNodes.set(node.uniqueId, node);
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
    for (const source of extra.sources) {
      // dbt: a source without `database:` is in the target's database.
      if (source.relation && !source.relation.database)
        source.relation = { database: targetDatabase(target), ...source.relation };
      sources.set(source.uniqueId, source);
    }
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
        if (!nodes.has(id) && !disabled.includes(id) && !leftOut.has(id) && !patch.versions?.length) {
          // As dbt does (a patch for a missing node is a warning), the project still builds.
          const file = relative(definition.rootDir, `${loaded.layer.root}/${patch.file}`);
          options.onWarning?.(
            `[SSA-YAML-404] ${file}:${patch.line}: ${section} entry '${patch.name}' documents a ${type} that does not exist (rename it to the file's name, or remove the entry)`,
          );
        }
      }
    }
  }

  for (const loaded of layers) {
    if (leftOutNodes.size > 0) {
      const withLeftOut = new Map([...nodes, ...leftOutNodes]);
      for (const test of genericTestNodes(
        loaded,
        withLeftOut,
        sources,
        rootConfigFor(definition, loaded.layer.name).tests,
      ))
        if (test.attachedNode && leftOutNodes.has(test.attachedNode))
          leaveOut(test.uniqueId, testedLeftOut(test));
    }
    for (const test of genericTestNodes(
      loaded,
      nodes,
      sources,
      rootConfigFor(definition, loaded.layer.name).tests,
    )) {
      const scope = renderParse(test, loaded.layer.name, test.config);
      // config() inside the test's macro (dbt_utils' fail_calc): a default the YAML and
      // dbt_project.yml configs override.
      for (const [key, value] of Object.entries(scope.inFileConfig))
        if ((test.config as Record<string, unknown>)[key] === undefined)
          (test.config as Record<string, unknown>)[key] = value;
      test.config.severity = String(test.config.severity ?? 'error').toLowerCase();
      test.refs = scope.refs.map((r) => r.args);
      test.sources = scope.sourceCalls.map((s) => s.args);
      if (!leftOut.has(test.uniqueId)) nodes.set(test.uniqueId, test);
    }
  }

  for (const loaded of layers) {
    const { tests, errors: unitErrors } = unitTestNodes(loaded, definition.rootDir, nodes);
    errors.push(...unitErrors);
    for (const test of tests) if (test.config.enabled) nodes.set(test.uniqueId, test);
  }

  let resolver = new RefResolver(nodes.values(), sources.values(), visible);
  let linked = linkRefs(nodes.values(), exposures.values(), parseScopes, resolver, fileOf);
  // Leaving nodes out: a node whose ref no longer resolves goes too, until every ref resolves.
  while (options.skipUnparsableNodes && linked.failed.size > 0) {
    for (const [uniqueId, problem] of linked.failed) {
      leaveOut(uniqueId, problem);
      nodes.delete(uniqueId);
    }
    for (const [uniqueId, node] of nodes) {
      if (!node.attachedNode || nodes.has(node.attachedNode)) continue;
      leaveOut(uniqueId, testedLeftOut(node));
      nodes.delete(uniqueId);
    }
    resolver = new RefResolver(nodes.values(), sources.values(), visible);
    linked = linkRefs(nodes.values(), exposures.values(), parseScopes, resolver, fileOf);
  }
  const { parsed, errors: refErrors } = linked;
  if (options.skipUnparsableNodes)
    for (const problem of refErrors) options.onWarning?.(`left out of an exposure: ${problem.format()}`);
  else errors.push(...refErrors);
  throwIfAny(errors);
  errors.push(...nameRelations(nodes.values(), target, engine, vars, fileOf));
  throwIfAny(errors);

  const manifest = assembleManifest({
    definition,
    target,
    invocationId,
    layers,
    nodes,
    sources,
    exposures,
    disabled,
    docsIndex,
  });
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

/** A path `relative` would change beyond cutting a prefix: `.`/`..` segments, doubled or trailing separators, backslashes. */
const needsNormalising = /(^|[/\\])\.\.?([/\\]|$)|[/\\]{2}|\\|\/$/;

/** Makes a layer-relative file in an error relative to the project root. */
function relocate(error: ShopsmartError, layerRoot: string, rootDir: string): ShopsmartError {
  if (!error.file || error.file.startsWith('/')) return error;
  const file = relative(rootDir, `${layerRoot}/${error.file}`);
  return new ShopsmartError(error.code, error.message, { file, line: error.line, hint: error.hint });
}

/**
 * The root's config trees as they apply to a layer's nodes. A dbt project's root trees (its
 * `dbt_project.yml` without its own name's branch) are for its packages; its own nodes already got
 * them from its own trees, where a deeper key wins (`data_x: {+quote_columns: true}` under a
 * top-level `+quote_columns: false`), so applying them again would undo that.
 */
function rootConfigFor(definition: ProjectDefinition, layerName: string): ProjectDefinition['config'] {
  return definition.isDbtProject && layerName === definition.name ? noRootConfig : definition.config;
}
const noRootConfig: ProjectDefinition['config'] = { models: {}, seeds: {}, snapshots: {}, tests: {} };
