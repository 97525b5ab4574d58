export { openWarehouse, warehouseTypes } from './adapter/adapter-registry.js';
export { DuckDBAdapter } from './adapter/duckdb/duckdb-adapter.js';
export { duckdbDialect } from './adapter/duckdb/duckdb-dialect.js';
export { duckdbLockHolder } from './adapter/duckdb/duckdb-file-opener.js';
export type { IncrementalWrite, SqlDialect } from './adapter/sql-dialect.js';
export type {
  CatalogRelation,
  ColumnDescription,
  OpenOptions,
  RelationKind,
  SeedLoad,
  WarehouseAdapter,
  WarehouseConnection,
} from './adapter/warehouse-adapter.js';
export { WarehouseLock } from './adapter/warehouse-lock.js';
export {
  busyReason,
  type WaitOptions,
  type WarehouseWait,
  waitForWarehouse,
} from './adapter/warehouse-wait.js';
export { compiledFilePaths, manifestArtifact, writeManifestArtifacts } from './artifacts/artifact-writer.js';
export {
  backgroundWriteThreshold,
  dropFilesCreatedAhead,
  startBackgroundWriter,
} from './artifacts/background-file-writer.js';
export {
  type CatalogArtifact,
  type CatalogStat,
  type CatalogTable,
  catalogArtifact,
} from './artifacts/catalog-artifact.js';
export {
  type ChartSpec,
  chartSql,
  dashboardSpec,
  type SeriesSpec,
  type ValueFormat,
} from './artifacts/dashboard-spec.js';
export {
  type ChartData,
  type DashboardData,
  DOCS_DATA_GLOBAL,
  type DocsData,
  docsDataScript,
} from './artifacts/docs-data-file.js';
export type { RunResult, RunResults } from './artifacts/run-results.js';
export { InternalError, ShopsmartError, ShopsmartErrorList, type SourceLocation } from './errors.js';
export { type EngineEvent, EventBus, type EventListener, type NodeStatus } from './events.js';
export * from './graph/index.js';
export { runLayerCli, validateLayerPackage } from './layer/layer-cli.js';
export { layerCompatibilityProblem, layerFragmentPath } from './layer/layer-compatibility.js';
export {
  coreRunnerVersion,
  LAYER_SCHEMA_VERSION,
  type LayerFragmentHeader,
  supportedLayerSchemaVersions,
} from './layer/layer-schema.js';
export { documentationGaps } from './layer/layer-validator.js';
export { LayerVersionError, type LayerVersionErrorDetails } from './layer/layer-version-error.js';
export { findInstalledPackages, type InstalledPackage } from './packages/installed-packages.js';
export {
  type DepsOptions,
  type DepsResult,
  type InstalledEntry,
  installPackages,
} from './packages/package-installer.js';
export { formatPackageLock, packageLockFileName, packagesHash } from './packages/package-lock.js';
export { type PackageSpec, readPackagesFile } from './packages/packages-file.js';
export { reduceVersions, resolveVersion } from './packages/version-range.js';
export { defineLayer, type Layer } from './project/define-layer.js';
export { type DefineProjectOptions, defineProject } from './project/define-project.js';
export { type BuildManifestOptions, buildManifest, type ParsedProject } from './project/manifest-builder.js';
export type { Manifest } from './project/manifest-types.js';
export type { ProjectDefinition, TargetConfig } from './project/project-definition.js';
export { projectFileName, type ReadProjectOptions, readProject } from './project/project-file-reader.js';
export type { NodeConfig, ProjectNode, Relation } from './project/project-types.js';
export { type CompileOptions, type CompileResult, compileProject } from './tasks/compile-task.js';
export { type DashboardReader, readDashboards } from './tasks/dashboard-data.js';
export { type DocsOptions, type DocsResult, generateDocs } from './tasks/docs-task.js';
export {
  checkSourceFreshness,
  type FreshnessOptions,
  type FreshnessResult,
  type FreshnessResults,
} from './tasks/freshness-task.js';
export { type ListOutput, listJsonKeys, listLines } from './tasks/list-task.js';
export { planRetry, RETRYABLE_STATUSES, type RetryPlan } from './tasks/retry-task.js';
export {
  jinjaLiteral,
  type RunOperationOptions,
  type RunOperationResult,
  runOperation,
} from './tasks/run-operation-task.js';
export {
  type DeferState,
  executeRun,
  planRun,
  projectGraph,
  type RunCommand,
  type RunOptions,
} from './tasks/run-task.js';
export { readSelectorsFile, SELECTORS_FILE } from './tasks/selectors-file.js';
export { SHOW_DEFAULT_LIMIT, type ShowOptions, type ShowPreview, showPreview } from './tasks/show-task.js';
export {
  parseWarnErrorOptions,
  WARNING_NAMES,
  type WarnErrorOptions,
  type WarningName,
} from './tasks/warn-error-policy.js';
export { SqlCompiler } from './template/sql-compiler.js';
