import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ParsedProject } from '../project/manifest-builder.js';
import type { Manifest } from '../project/manifest-types.js';
import { scrubSecretsDeep, secretValues } from '../secret-scrubber.js';
import type { SqlCompiler } from '../template/sql-compiler.js';
import { startFileWrites, writeFilesInBackground } from './background-file-writer.js';
import {
  compiledCodeMarker,
  joinManifestParts,
  manifestParts,
  readManifestParts,
  writeManifestParts,
} from './manifest-json-parts.js';
import type { RunResults } from './run-results.js';

const newline = Buffer.from('\n');
const schemaVersion = (name: string) => `https://schemas.getdbt.com/dbt/${name}/v12.json`;

/**
 * Artifacts never hold a secret's value (`DBT_ENV_SECRET_*`), as dbt scrubs them. `compact` writes
 * one line, as dbt writes manifest.json (a quarter smaller and several times faster to produce).
 */
function writeJson(path: string, value: unknown, compact = false): void {
  mkdirSync(dirname(path), { recursive: true });
  const scrubbed = scrubSecretsDeep(value);
  writeFileSync(path, `${compact ? JSON.stringify(scrubbed) : JSON.stringify(scrubbed, null, 2)}\n`);
}

/** manifest.json in a shape close to dbt's: snake_case keys, dbt's top-level sections. */
export function manifestArtifact(
  manifest: Manifest,
  compiled?: (uniqueId: string) => string | undefined,
): Record<string, unknown> {
  const toDbt = (node: Manifest['nodes'][string]) => ({
    unique_id: node.uniqueId,
    resource_type: node.resourceType,
    name: node.name,
    package_name: node.packageName,
    original_file_path: node.originalFilePath,
    path: node.originalFilePath,
    patch_path: node.origin.patchPath,
    fqn: node.fqn,
    tags: node.tags,
    config: node.config,
    depends_on: { nodes: node.dependsOn, macros: node.dependsOnMacros },
    checksum: { name: 'sha256', checksum: node.checksum },
    raw_code: node.rawCode,
    compiled_code: compiled?.(node.uniqueId),
    language: node.language,
    description: node.description,
    columns: Object.fromEntries(
      Object.values(node.columns).map((c) => [
        c.name,
        { name: c.name, description: c.description, data_type: c.dataType ?? null, meta: c.meta },
      ]),
    ),
    meta: node.meta,
    docs: node.docs,
    database: node.relation?.database ?? null,
    schema: node.relation?.schema ?? null,
    alias: node.relation?.identifier ?? null,
    relation_name: node.relation ? `"${node.relation.schema}"."${node.relation.identifier}"` : null,
    refs: node.refs.map((r) => (r.length > 1 ? { package: r[0], name: r[1] } : { name: r[0] })),
    sources: node.sources,
    ...(node.testMetadata
      ? {
          test_metadata: {
            name: node.testMetadata.name,
            namespace: node.testMetadata.namespace ?? null,
            kwargs: node.testMetadata.kwargs,
          },
          attached_node: node.attachedNode,
          column_name: node.columnName ?? null,
        }
      : {}),
    ...(node.resourceType === 'source'
      ? {
          source_name: node.sourceName,
          source_description: node.sourceDescription,
          loaded_at_field: node.loadedAtField ?? null,
          freshness: node.freshness ?? null,
          identifier: node.relation?.identifier,
        }
      : {}),
    ...(node.unitTest
      ? {
          model: node.unitTest.model,
          given: node.unitTest.given,
          expect: node.unitTest.expect,
          overrides: node.unitTest.overrides ?? null,
        }
      : {}),
    ...(node.exposure
      ? {
          type: node.exposure.type,
          owner: node.exposure.owner,
          maturity: node.exposure.maturity ?? null,
          url: node.exposure.url ?? null,
          label: node.exposure.label ?? null,
        }
      : {}),
  });
  return {
    metadata: manifestMetadata(manifest),
    nodes: Object.fromEntries(Object.entries(manifest.nodes).map(([id, n]) => [id, toDbt(n)])),
    sources: Object.fromEntries(Object.entries(manifest.sources).map(([id, n]) => [id, toDbt(n)])),
    exposures: Object.fromEntries(Object.entries(manifest.exposures).map(([id, n]) => [id, toDbt(n)])),
    macros: Object.fromEntries(
      Object.entries(manifest.macros).map(([id, m]) => [
        id,
        {
          unique_id: id,
          name: m.name,
          package_name: m.packageName,
          original_file_path: m.originalFilePath,
          description: m.description,
        },
      ]),
    ),
    docs: Object.fromEntries(
      Object.entries(manifest.docs).map(([id, d]) => [
        id,
        { unique_id: id, name: d.name, package_name: d.packageName, block_contents: d.text },
      ]),
    ),
    parent_map: manifest.parentMap,
    child_map: manifest.childMap,
    disabled: manifest.disabled,
  };
}

/** Where a node's SQL goes under target/compiled or target/run. */
function manifestMetadata(manifest: Manifest): Record<string, unknown> {
  return {
    dbt_schema_version: schemaVersion('manifest'),
    generator: '@shopsmart/core-runner',
    generated_at: manifest.metadata.generatedAt,
    invocation_id: manifest.metadata.invocationId,
    project_name: manifest.metadata.projectName,
    target: manifest.metadata.target,
    layers: manifest.metadata.layers,
  };
}

/**
 * manifest.json's text. After a parse the parse cache saved, from the JSON parts kept for that
 * save (made and kept on the first write): the same text as UTF-8 chunks, without building and
 * serialising every node again. With secrets in the environment, always built (and scrubbed) in full.
 */
function manifestText(project: ParsedProject, compiled: ReadonlyMap<string, string>): string | Uint8Array[] {
  // Where this manifest's relations were built: what `--defer --state` reads them from.
  const metadata = {
    ...manifestMetadata(project.manifest),
    adapter_type: project.target.type,
    warehouse_path: project.target.path,
  };
  const saveId = project.parseCache?.saveId;
  const target = project.definition.targetPath;
  if (saveId && secretValues().length === 0) {
    let parts = readManifestParts(target, saveId);
    if (!parts) {
      parts = manifestParts(saveId, manifestArtifact(project.manifest, compiledCodeMarker));
      writeManifestParts(target, parts);
    }
    return joinManifestParts(parts, metadata, (id) => compiled.get(id));
  }
  const artifact = manifestArtifact(project.manifest, (id) => compiled.get(id));
  artifact.metadata = metadata;
  return JSON.stringify(scrubSecretsDeep(artifact));
}

function sqlPath(node: Manifest['nodes'][string]): string {
  return node.resourceType === 'test' && node.testMetadata
    ? `${node.originalFilePath.replace(/\.ya?ml$/, '')}/${String(node.config.alias ?? node.name)}.sql`
    : node.originalFilePath;
}

/** `join(folder, path)` without path.join's normalising (~7 µs a call) when `path` needs none. */
function under(folder: string, path: string): string {
  return /(^|[/\\])\.\.?([/\\]|$)|[/\\]{2}|\\|^\//.test(path) ? join(folder, path) : `${folder}/${path}`;
}

/**
 * The files under target/compiled that compiling every listed node would write (generic tests'
 * files are named after their config, known only later, and are left out): what `compile`'s
 * file-writing worker creates ahead while the project is parsed (startBackgroundWriter).
 */
export function compiledFilePaths(
  targetPath: string,
  nodes: readonly Pick<
    Manifest['nodes'][string],
    'resourceType' | 'testMetadata' | 'packageName' | 'originalFilePath'
  >[],
): string[] {
  const folder = join(targetPath, 'compiled');
  const paths: string[] = [];
  for (const node of nodes)
    if (node.resourceType !== 'seed' && !node.testMetadata)
      paths.push(under(folder, `${node.packageName}/${node.originalFilePath}`));
  return paths;
}

/** Stamps of the files written under target/compiled and target/run, for the next writer. */
const stampsFileName = 'written_files.bin';

/** Writes many small files (see file-batch-writer.ts); large batches on a worker thread. */
function writeFiles(files: Map<string, string>, stampsFile: string): Promise<void> {
  return writeFilesInBackground({ files: [...files], stampsFile, secrets: secretValues() });
}

/**
 * Writes target/manifest.json and target/compiled/<layer>/<path> for every compilable node, or
 * for the nodes listed (`compile -s`: as in dbt, only they get compiled code in the manifest).
 */
export async function writeManifestArtifacts(
  project: ParsedProject,
  compiler: SqlCompiler,
  compileAll: boolean | readonly string[] = false,
): Promise<void> {
  const target = project.definition.targetPath;
  const compiled = new Map<string, string>();
  const files = new Map<string, string>();
  if (compileAll !== false) {
    for (const id of compileAll === true ? project.parsed.keys() : compileAll) {
      try {
        compiled.set(id, compiler.compile(id));
      } catch {
        // Compile errors are reported by the compile task; the manifest still gets written.
      }
    }
    const folder = join(target, 'compiled');
    for (const [id, sql] of compiled) {
      const node = project.manifest.nodes[id];
      if (node) files.set(under(folder, `${node.packageName}/${sqlPath(node)}`), sql);
    }
  }
  // The files are written (on a worker thread when there are many) while this thread serialises
  // the manifest and the parse cache, whose files the same thread then writes after them.
  const writes = startFileWrites({
    files: [...files],
    stampsFile: join(target, stampsFileName),
    secrets: secretValues(),
  });
  try {
    mkdirSync(target, { recursive: true });
    const text = manifestText(project, compiled);
    const path = join(target, 'manifest.json');
    writes.also({ path, data: typeof text === 'string' ? `${text}\n` : Buffer.concat([...text, newline]) });
    // A parse cache left for its caller to save (compile's) is saved now, written by the same writer.
    project.saveParseCache?.((file) => writes.also(file));
  } finally {
    await writes.done();
  }
}

/**
 * Writes run_results.json and the SQL each node ran under target/run/. The manifest does not
 * depend on the results: a run writes it (`writeManifestArtifacts`) while its nodes execute.
 */
export async function writeRunArtifacts(
  project: ParsedProject,
  results: RunResults,
  executedSql: Map<string, string[]>,
): Promise<void> {
  const target = project.definition.targetPath;
  const files = new Map<string, string>();
  for (const [id, statements] of executedSql) {
    const node = project.manifest.nodes[id];
    if (!node || statements.length === 0) continue;
    files.set(
      under(join(target, 'run'), `${node.packageName}/${sqlPath(node)}`),
      `${statements.join(';\n\n')};\n`,
    );
  }
  await writeFiles(files, join(target, stampsFileName));
  writeJson(join(target, 'run_results.json'), {
    metadata: {
      dbt_schema_version: schemaVersion('run-results'),
      generated_at: results.generatedAt,
      invocation_id: results.invocationId,
    },
    elapsed_time: results.elapsedMs / 1000,
    args: { which: results.command, ...results.args },
    results: results.results.map((r) => ({
      unique_id: r.uniqueId,
      status: r.status,
      execution_time: r.executionMs / 1000,
      message: r.message,
      failures: r.failures ?? null,
      adapter_response: r.rowsAffected === undefined ? {} : { rows_affected: r.rowsAffected },
      ...(r.batchResults ? { batch_results: r.batchResults } : {}),
      ...(r.error ? { error: r.error } : {}),
    })),
  });
}
