import { relative } from 'node:path';
import { ShopsmartError } from '../errors.js';
import { checksumOf } from './checksum.js';
import type { LoadedLayer } from './layer-loader.js';
import type { ProjectNode } from './project-types.js';

const refCall = /^\s*ref\(\s*['"]([^'"]+)['"]\s*(?:,\s*['"]([^'"]+)['"]\s*)?\)\s*$/;
const sourceCall = /^\s*source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)\s*$/;

/** Source tables and exposures declared in a layer's YAML, as nodes. */
export function sourceAndExposureNodes(
  loaded: LoadedLayer,
  rootDir: string,
): { sources: ProjectNode[]; exposures: ProjectNode[]; errors: ShopsmartError[] } {
  const layer = loaded.layer.name;
  const errors: ShopsmartError[] = [];
  const fileOf = (file: string) => relative(rootDir, `${loaded.layer.root}/${file}`);
  const base = (
    uniqueId: string,
    resourceType: ProjectNode['resourceType'],
    name: string,
    file: string,
    line: number,
  ): ProjectNode => ({
    uniqueId,
    resourceType,
    name,
    packageName: layer,
    originalFilePath: file,
    fqn: [layer, name],
    tags: [],
    config: { enabled: true, materialized: resourceType, tags: [], pre_hook: [], post_hook: [] },
    dependsOn: [],
    dependsOnMacros: [],
    checksum: '',
    rawCode: '',
    language: 'sql',
    description: '',
    columns: {},
    meta: {},
    docs: { show: true },
    origin: { absolutePath: `${loaded.layer.root}/${file}`, patchPath: file, patchLine: line },
    refs: [],
    sources: [],
  });

  const sources = loaded.properties.sources
    .filter((entry) => entry.enabled)
    .map((entry) => {
      const node = base(
        `source.${layer}.${entry.sourceName}.${entry.name}`,
        'source',
        entry.name,
        entry.file,
        entry.line,
      );
      node.fqn = [layer, entry.sourceName, entry.name];
      node.sourceName = entry.sourceName;
      node.description = entry.description;
      node.sourceDescription = entry.sourceDescription;
      node.loadedAtField = entry.loadedAtField;
      node.freshness = entry.freshness;
      node.tags = entry.tags;
      node.config.tags = entry.tags;
      node.meta = entry.meta;
      node.relation = {
        ...(entry.database ? { database: entry.database } : {}),
        schema: entry.schema,
        identifier: entry.identifier,
      };
      for (const column of entry.columns) node.columns[column.name] = column;
      node.checksum = checksumOf(JSON.stringify([node.relation, entry.freshness, entry.loadedAtField]));
      return node;
    });

  const exposures = loaded.properties.exposures.map((entry) => {
    const node = base(`exposure.${layer}.${entry.name}`, 'exposure', entry.name, entry.file, entry.line);
    node.description = entry.description;
    node.tags = entry.tags;
    node.meta = entry.meta;
    node.exposure = {
      type: entry.type,
      owner: entry.owner,
      maturity: entry.maturity,
      url: entry.url,
      label: entry.label,
    };
    for (const dependency of entry.dependsOn) {
      const ref = refCall.exec(dependency);
      const source = sourceCall.exec(dependency);
      if (ref) node.refs.push(ref[2] ? [ref[1] as string, ref[2]] : [ref[1] as string]);
      else if (source) node.sources.push([source[1] as string, source[2] as string]);
      else {
        errors.push(
          new ShopsmartError(
            'SSA-EXPOSURE-001',
            `exposure '${entry.name}' depends_on '${dependency}', which is not ref(...) or source(...)`,
            {
              file: fileOf(entry.file),
              line: entry.line,
              hint: "write depends_on entries as ref('model') or source('source', 'table')",
            },
          ),
        );
      }
    }
    node.checksum = checksumOf(JSON.stringify(entry));
    return node;
  });
  return { sources, exposures, errors };
}
