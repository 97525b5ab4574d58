import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  buildManifest,
  defineLayer,
  defineProject,
  EventBus,
  executeRun,
  type ParsedProject,
  type RunResult,
  type RunResults,
} from '@shopsmart/core-runner';
import { layer as qualityLayer } from '../../src/index.js';
import type { GenericTestCase } from './generic-test-cases.js';

/** One YAML test entry: `{ accepted_range: { name, arguments, config } }`. */
function testEntry(testCase: GenericTestCase): Record<string, unknown> {
  const body: Record<string, unknown> = { name: testCase.name };
  if (testCase.arguments) body.arguments = testCase.arguments;
  if (testCase.config) body.config = testCase.config;
  return { [testCase.test]: body };
}

/**
 * The `_models.yml` declaring every case, grouped by model and column. JSON is valid YAML, and
 * it spares the fixture any quoting of regexes and SQL conditions.
 */
export function modelsYaml(cases: readonly GenericTestCase[]): string {
  const models = new Map<string, { tests: unknown[]; columns: Map<string, unknown[]> }>();
  for (const testCase of cases) {
    const model = models.get(testCase.model) ?? { tests: [], columns: new Map<string, unknown[]>() };
    models.set(testCase.model, model);
    if (testCase.column === undefined) {
      model.tests.push(testEntry(testCase));
    } else {
      const columnTests = model.columns.get(testCase.column) ?? [];
      model.columns.set(testCase.column, [...columnTests, testEntry(testCase)]);
    }
  }
  const properties = {
    version: 2,
    models: [...models].map(([name, model]) => ({
      name,
      data_tests: model.tests,
      columns: [...model.columns].map(([column, tests]) => ({ name: column, data_tests: tests })),
    })),
  };
  return `${JSON.stringify(properties, null, 2)}\n`;
}

/**
 * Runs `run` with an event bus and rejects, naming the nodes still running, when it has not
 * finished within `seconds`: a stalled engine must fail the suite, not hang it.
 */
async function runWithin<T>(seconds: number, run: (events: EventBus) => Promise<T>): Promise<T> {
  const running = new Set<string>();
  const events = new EventBus((event) => {
    if (event.kind === 'node_started') running.add(event.uniqueId);
    if (event.kind === 'node_finished') running.delete(event.uniqueId);
  });
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `the build did not finish within ${seconds} s; still running: ${[...running].sort().join(', ')}`,
          ),
        ),
      seconds * 1000,
    );
  });
  try {
    return await Promise.race([run(events), stalled]);
  } finally {
    clearTimeout(timer);
  }
}

export interface FixtureBuild {
  project: ParsedProject;
  results: RunResults;
  /** The result of the generic test node named `name`. */
  resultOf(name: string): RunResult;
  /** Rows of a query on the built warehouse, as JSON values (bigints and decimals as strings). */
  query(sql: string): Promise<Record<string, unknown>[]>;
  dispose(): void;
}

/**
 * Writes `files` as a layer depending on the quality layer into a temp folder and runs `build`
 * on it through the engine, exactly as a project would.
 *
 * @example
 * const built = await buildFixture({ 'models/a.sql': 'select 1 as id' });
 * await built.query('select * from main.a'); // [{ id: 1 }]
 */
export async function buildFixture(files: Record<string, string>, stallSeconds = 30): Promise<FixtureBuild> {
  const dir = mkdtempSync(join(tmpdir(), 'shopsmart-quality-'));
  try {
    return await buildIn(dir, files, stallSeconds);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function buildIn(
  dir: string,
  files: Record<string, string>,
  stallSeconds: number,
): Promise<FixtureBuild> {
  for (const [path, contents] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), contents);
  }
  const fixtureLayer = defineLayer({ name: 'fixture', root: dir, dependencies: [qualityLayer] });
  const warehousePath = join(dir, 'wh.duckdb');
  const definition = defineProject({ rootDir: dir, layers: [fixtureLayer], warehousePath, threads: 2 });
  const target = definition.targets.dev;
  if (!target) throw new Error('defineProject() made no dev target');
  const project = buildManifest({ definition, target });
  const results = await runWithin(stallSeconds, (events) =>
    executeRun(project, { command: 'build', events, writeArtifacts: false }),
  );
  // the run has closed the warehouse: read it back on a connection of our own
  const instance = await DuckDBInstance.create(warehousePath, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();

  const testIds = new Map(
    Object.values(project.manifest.nodes)
      .filter((node) => node.resourceType === 'test')
      .map((node) => [node.name, node.uniqueId]),
  );
  return {
    project,
    results,
    resultOf(name) {
      const uniqueId = testIds.get(name);
      const result = results.results.find((candidate) => candidate.uniqueId === uniqueId);
      if (!result)
        throw new Error(`no result for the test named '${name}' (node ${uniqueId ?? 'not in the manifest'})`);
      return result;
    },
    async query(sql) {
      return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
    },
    dispose() {
      connection.closeSync();
      instance.closeSync();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
