export { generateWarehouse } from './generate/generate-warehouse.js';
export { advance } from './advance/advance-warehouse.js';
export {
  MockgenError,
  MockgenOptionError,
  MockgenPathError,
  MockgenSeedError,
  MockgenNoRawDataError,
  MockgenWarehouseLockedError,
  MockgenInternalError,
} from './errors.js';
export type { OptionProblem } from './errors.js';
export { RAW_TABLES, METADATA_TABLES } from './warehouse/raw-tables.js';
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
