export { advance } from './advance/advance-warehouse.js';
export type { OptionProblem } from './errors.js';
export {
  MockgenError,
  MockgenInternalError,
  MockgenNoRawDataError,
  MockgenOptionError,
  MockgenPathError,
  MockgenSeedError,
  MockgenWarehouseLockedError,
} from './errors.js';
export { generateWarehouse } from './generate/generate-warehouse.js';
export type {
  AdvanceOptions,
  AdvanceSummary,
  AdvanceTableChange,
  DefectKind,
  GenerateOptions,
  GenerateSummary,
  InjectedDefect,
  OutputFormat,
  ProgressEvent,
  ProgressListener,
  TableCount,
} from './types.js';
export { advancePostgres, duckdbType, unloadFromPostgres } from './warehouse/postgres-advance.js';
export {
  loadIntoPostgres,
  type PostgresDestination,
  type PostgresLoadSummary,
  postgresType,
} from './warehouse/postgres-loader.js';
export { METADATA_TABLES, RAW_TABLES } from './warehouse/raw-tables.js';
