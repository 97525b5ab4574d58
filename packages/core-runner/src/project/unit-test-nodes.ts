import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { ShopsmartError } from '../errors.js';
import { didYouMean, formatSuggestions } from '../graph/did-you-mean.js';
import { checksumOf } from './checksum.js';
import { finaliseConfig, mergeConfig } from './config-resolver.js';
import type { LoadedLayer } from './layer-loader.js';
import type { ProjectNode } from './project-types.js';

/** Unit tests declared in a layer's YAML, as nodes attached to the model they test. */
export function unitTestNodes(
  loaded: LoadedLayer,
  rootDir: string,
  nodes: ReadonlyMap<string, ProjectNode>,
): { tests: ProjectNode[]; errors: ShopsmartError[] } {
  const tests: ProjectNode[] = [];
  const errors: ShopsmartError[] = [];
  for (const entry of loaded.properties.unitTests) {
    const file = relative(rootDir, `${loaded.layer.root}/${entry.file}`);
    const modelId = `model.${loaded.layer.name}.${entry.model}`;
    if (!nodes.has(modelId)) {
      const names = [...nodes.values()]
        .filter((n) => n.resourceType === 'model' && n.packageName === loaded.layer.name)
        .map((n) => n.name);
      errors.push(
        new ShopsmartError(
          'SSA-UNIT-404',
          `unit test '${entry.name}' tests model '${entry.model}', which is not in layer '${loaded.layer.name}'`,
          { file, line: entry.line, hint: formatSuggestions(didYouMean(entry.model, names)) },
        ),
      );
      continue;
    }
    const fixtureProblem = (name: string, format: string) =>
      new ShopsmartError(
        'SSA-UNIT-006',
        `unit test '${entry.name}': fixture '${name}' has no file ${name}.${format} under tests/fixtures (or another test path)`,
        { file, line: entry.line, hint: `create tests/fixtures/${name}.${format}, or give the rows inline` },
      );
    const withFixture = <T extends { rows?: unknown; format?: string; fixture?: string }>(rows: T): T => {
      if (!rows.fixture) return rows;
      const format = rows.format === 'sql' ? 'sql' : 'csv';
      const text = readFixture(loaded.layer.root, rows.fixture, format);
      if (text === undefined) {
        errors.push(fixtureProblem(rows.fixture, format));
        return rows;
      }
      return { ...rows, rows: text, format };
    };
    entry.given = entry.given.map(withFixture);
    entry.expect = withFixture(entry.expect);
    const config = finaliseConfig('unit_test', mergeConfig({ tags: [] }, entry.config));
    config.materialized = 'unit_test';
    tests.push({
      uniqueId: `unit_test.${loaded.layer.name}.${entry.model}.${entry.name}`,
      resourceType: 'unit_test',
      name: entry.name,
      packageName: loaded.layer.name,
      originalFilePath: entry.file,
      fqn: [loaded.layer.name, entry.model, entry.name],
      tags: config.tags,
      config,
      dependsOn: [modelId],
      dependsOnMacros: [],
      checksum: checksumOf(JSON.stringify(entry)),
      rawCode: '',
      language: 'sql',
      description: entry.description,
      columns: {},
      meta: {},
      docs: { show: true },
      origin: { absolutePath: `${loaded.layer.root}/${entry.file}`, patchPath: file, patchLine: entry.line },
      attachedNode: modelId,
      unitTest: { model: entry.model, given: entry.given, expect: entry.expect, overrides: entry.overrides },
      refs: [],
      sources: [],
    });
  }
  return { tests, errors };
}

/** dbt looks fixtures up by name in the test paths (tests/fixtures first). */
function readFixture(layerRoot: string, name: string, format: 'csv' | 'sql'): string | undefined {
  const preferred = join(layerRoot, 'tests', 'fixtures', `${name}.${format}`);
  if (existsSync(preferred)) return readFileSync(preferred, 'utf8');
  const testsDir = join(layerRoot, 'tests');
  if (!existsSync(testsDir)) return undefined;
  const found = (readdirSync(testsDir, { recursive: true }) as string[]).find(
    (path) => basename(path) === `${name}.${format}`,
  );
  return found ? readFileSync(join(testsDir, found), 'utf8') : undefined;
}
