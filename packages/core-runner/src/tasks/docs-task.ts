import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openWarehouse } from '../adapter/adapter-registry.js';
import type { WarehouseWait } from '../adapter/warehouse-wait.js';
import { writeManifestArtifacts } from '../artifacts/artifact-writer.js';
import { type CatalogArtifact, catalogArtifact, catalogSchemas } from '../artifacts/catalog-artifact.js';
import { type DashboardData, docsDataScript } from '../artifacts/docs-data-file.js';
import type { ParsedProject } from '../project/manifest-builder.js';
import { SqlCompiler } from '../template/sql-compiler.js';
import { readDashboards } from './dashboard-data.js';

export interface DocsOptions {
  /**
   * The built docs site (index.html and its assets). The CLI passes the copy it ships; without
   * it only the artifacts are written.
   */
  siteAssets?: string;
  /** Hears each retry while the warehouse is busy (the target's `lockTimeout`). */
  onWait?: (wait: WarehouseWait) => void;
}

export interface DocsResult {
  catalogPath: string;
  /** target/docs, when the site was written. */
  siteDir?: string;
  /** Relations found in the warehouse for the project's nodes and sources. */
  relations: number;
  /** Nodes, sources and exposures the site documents. */
  documented: number;
  /** Dashboard charts read from the warehouse, and those whose mart was missing or failed. */
  charts: { read: number; missing: number };
  elapsedMs: number;
}

const readJson = (file: string): unknown =>
  existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as unknown) : null;

/**
 * `docs generate`: compiles every node into manifest.json, reads the warehouse's catalog
 * (columns, types, row counts) through the adapter into catalog.json, reads the exposures'
 * dashboards (one select per chart on its mart, through the same adapter), and writes the static site
 * to target/docs/ with the artifacts (manifest, catalog, last run_results and sources) as one
 * data script, so the site opens from the file system.
 *
 * @example
 * const result = await generateDocs(project, { siteAssets: '/…/cli/dist/docs-site' });
 * // target/catalog.json, target/docs/index.html, target/docs/docs-data.js
 */
export async function generateDocs(project: ParsedProject, options: DocsOptions = {}): Promise<DocsResult> {
  const started = performance.now();
  const target = project.definition.targetPath;
  await writeManifestArtifacts(project, new SqlCompiler(project), true);
  const adapter = await openWarehouse(project.target, {
    threads: 1,
    command: 'docs generate',
    invocationId: project.invocationId,
    onWait: options.onWait,
  });
  let catalog: CatalogArtifact;
  let relations: number;
  let dashboards: Record<string, DashboardData>;
  try {
    const found = await adapter.catalog(catalogSchemas(project.manifest));
    catalog = catalogArtifact(project.manifest, found, {
      generatedAt: new Date().toISOString(),
      invocationId: project.invocationId,
    });
    relations = Object.keys(catalog.nodes).length + Object.keys(catalog.sources).length;
    dashboards = await readDashboards(project.manifest, adapter);
  } finally {
    await adapter.close();
  }
  const catalogPath = join(target, 'catalog.json');
  mkdirSync(target, { recursive: true });
  writeFileSync(catalogPath, `${JSON.stringify(catalog, null, 2)}\n`);
  const { nodes, sources, exposures } = project.manifest;
  const result: DocsResult = {
    catalogPath,
    relations,
    documented: Object.keys(nodes).length + Object.keys(sources).length + Object.keys(exposures).length,
    charts: { read: 0, missing: 0 },
    elapsedMs: 0,
  };
  for (const dashboard of Object.values(dashboards))
    for (const chart of dashboard.charts) result.charts[chart.missing ? 'missing' : 'read']++;
  if (options.siteAssets) {
    const siteDir = join(target, 'docs');
    rmSync(siteDir, { recursive: true, force: true });
    cpSync(options.siteAssets, siteDir, { recursive: true });
    writeFileSync(
      join(siteDir, 'docs-data.js'),
      docsDataScript({
        manifest: readJson(join(target, 'manifest.json')),
        catalog,
        runResults: readJson(join(target, 'run_results.json')),
        sources: readJson(join(target, 'sources.json')),
        dashboards,
      }),
    );
    result.siteDir = siteDir;
  }
  result.elapsedMs = performance.now() - started;
  return result;
}
