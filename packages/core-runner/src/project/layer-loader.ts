import { basename } from 'node:path';
import { ShopsmartError } from '../errors.js';
import { stripLineContinuations } from '../packages/jinja-source-fixes.js';
import { findBlocks, snapshotBody } from '../template/block-extractor.js';
import { checksumOf } from './checksum.js';
import { type DbtProjectFile, type ProjectRenderContext, readDbtProjectFile } from './dbt-project-file.js';
import type { Layer } from './define-layer.js';
import { type FileSource, type LayerFile, readLayerFiles } from './layer-reader.js';
import { applyModelVersions } from './model-versions.js';
import type { DocBlock, MacroInfo, ProjectNode, ResourceType } from './project-types.js';
import { parseProperties } from './properties-parser.js';
import { emptyProperties, type LayerProperties } from './properties-types.js';
import { readYaml as readYamlText, type YamlFile } from './yaml-reader.js';

/** Where a layer's file texts and parsed YAML come from (the disk and the parser unless a cache says otherwise). */
export interface LayerFileSources {
  read?: FileSource;
  yaml?: (text: string, file: string) => { yaml?: YamlFile; errors: ShopsmartError[] };
}

/** A layer read from disk: its files split into raw nodes, macros, docs and YAML properties. */
export interface LoadedLayer {
  layer: Layer;
  project: DbtProjectFile;
  /** SQL-backed nodes (models, seeds, snapshots, singular tests, analyses) before config and rendering. */
  nodes: ProjectNode[];
  macros: MacroInfo[];
  macroFiles: { path: string; text: string; names: string[] }[];
  docs: DocBlock[];
  properties: LayerProperties;
}

const stripExtension = (path: string): string => path.replace(/\.[^./]+$/, '');

/** Path of a file inside its resource folder: `models/core/x.sql` → `['core']`. */
function folderParts(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(1, -1);
}

function rawNode(
  layer: Layer,
  resourceType: ResourceType,
  name: string,
  file: LayerFile,
  rawCode: string,
): ProjectNode {
  return {
    uniqueId: `${resourceType}.${layer.name}.${name}`,
    resourceType,
    name,
    packageName: layer.name,
    originalFilePath: file.path,
    fqn: [layer.name, ...folderParts(file.path), name],
    tags: [],
    config: { enabled: true, materialized: 'view', tags: [], pre_hook: [], post_hook: [] },
    dependsOn: [],
    dependsOnMacros: [],
    checksum: checksumOf(rawCode),
    rawCode,
    language: 'sql',
    description: '',
    columns: {},
    meta: {},
    docs: { show: true },
    origin: { absolutePath: file.absolutePath },
    refs: [],
    sources: [],
  };
}

/**
 * Reads one layer: dbt_project.yml, every resource folder, YAML properties and docs blocks.
 * Problems are collected with file and line; nothing is thrown for user mistakes.
 */
export function loadLayer(
  layer: Layer,
  render?: ProjectRenderContext,
  sources: LayerFileSources = {},
): { loaded: LoadedLayer; errors: ShopsmartError[] } {
  const { project, errors } = readDbtProjectFile(layer.root, render);
  const files = readLayerFiles(layer, project.paths, sources.read);
  const readYaml = sources.yaml ?? readYamlText;
  const properties = emptyProperties();
  const nodes: ProjectNode[] = [];
  const macros: MacroInfo[] = [];
  const macroFiles: LoadedLayer['macroFiles'] = [];
  const docs: DocBlock[] = [];

  for (const file of files) {
    if (file.extension === 'yml') {
      const { yaml, errors: yamlErrors } = readYaml(file.text, file.path);
      errors.push(...yamlErrors);
      if (yaml) errors.push(...parseProperties(yaml, properties, file.path));
      continue;
    }
    if (file.extension === 'md') {
      for (const block of findBlocks(file.text)) {
        if (block.kind === 'docs')
          docs.push({ name: block.name, packageName: layer.name, text: block.body.trim(), file: file.path });
      }
      continue;
    }
    const name = basename(stripExtension(file.path));
    const isGenericTestFile = file.kind === 'test' && file.path.split('/').includes('generic');
    if (file.kind === 'macro' || isGenericTestFile) {
      const names: string[] = [];
      for (const block of findBlocks(file.text)) {
        if (block.kind === 'materialization') {
          errors.push(
            new ShopsmartError(
              'SSA-MACRO-002',
              `custom materializations are not supported ('${block.name}')`,
              {
                file: file.path,
                line: block.line,
                hint: 'use one of: view, table, incremental, ephemeral, external',
              },
            ),
          );
          continue;
        }
        if (block.kind !== 'macro' && block.kind !== 'test') continue;
        if (block.end < 0) {
          errors.push(
            new ShopsmartError('SSA-MACRO-001', `{% ${block.kind} ${block.name} %} is never closed`, {
              file: file.path,
              line: block.line,
              hint: `add {% end${block.kind} %}`,
            }),
          );
          continue;
        }
        const macroName = block.kind === 'test' ? `test_${block.name}` : block.name;
        names.push(macroName);
        macros.push({
          uniqueId: `macro.${layer.name}.${macroName}`,
          name: macroName,
          packageName: layer.name,
          originalFilePath: file.path,
          line: block.line,
          description: '',
          isTest: block.kind === 'test',
        });
      }
      macroFiles.push({ path: file.path, text: stripLineContinuations(file.text), names });
      continue;
    }
    if (file.kind === 'seed' && file.extension === 'csv') {
      const node = rawNode(layer, 'seed', name, file, '');
      node.seedPath = file.absolutePath;
      nodes.push(node);
      continue;
    }
    if (file.extension !== 'sql') continue;
    if (file.kind === 'snapshot') {
      const blocks = findBlocks(file.text).filter((b) => b.kind === 'snapshot');
      if (blocks.length === 0) {
        errors.push(
          new ShopsmartError(
            'SSA-SNAP-001',
            'a snapshot file must contain a {% snapshot name %} … {% endsnapshot %} block',
            { file: file.path, line: 1 },
          ),
        );
      }
      for (const block of blocks)
        nodes.push(rawNode(layer, 'snapshot', block.name, file, snapshotBody(file.text, block)));
      continue;
    }
    const resourceType: ResourceType =
      file.kind === 'test' ? 'test' : file.kind === 'analysis' ? 'analysis' : 'model';
    nodes.push(rawNode(layer, resourceType, name, file, file.text));
  }

  // dbt 1.9's YAML snapshots: `snapshots: - name, relation, config` with no SQL file.
  for (const patch of properties.snapshots.values()) {
    if (!patch.relation || nodes.some((n) => n.resourceType === 'snapshot' && n.name === patch.name))
      continue;
    const file: LayerFile = {
      kind: 'snapshot',
      path: patch.file,
      absolutePath: `${layer.root}/${patch.file}`,
      extension: 'yml',
      text: '',
    };
    const node = rawNode(layer, 'snapshot', patch.name, file, `select * from {{ ${patch.relation} }}\n`);
    nodes.push(node);
  }

  errors.push(...applyModelVersions(layer.name, nodes, properties.models));
  // A package calls its own macros through its namespace (`dbt_utils.x()` inside dbt_utils): the
  // template engine imports the package's module into the calling macro (dispatch-rewriter.ts).

  for (const patch of properties.macros.values()) {
    const macro = macros.find((m) => m.name === patch.name || m.name === `test_${patch.name}`);
    if (macro) macro.description = patch.description;
  }
  return { loaded: { layer, project, nodes, macros, macroFiles, docs, properties }, errors };
}
