import { MockgenOptionError, type OptionProblem } from '../errors.js';
import { locateSeeds } from '../reference/seeds-locator.js';
import type { GenerateOptions, OutputFormat, ProgressListener } from '../types.js';
import { endOfDayS, historyStartFor, parseAsOf, type UtcDay } from './as-of-date.js';
import { checkNow, checkSchemaName, checkSeed } from './common-checks.js';
import { assertWritableFile, assertWritableFolder } from './path-check.js';
import { sizesForScale, type WarehouseSizes } from './scale-sizes.js';

const FORMATS: readonly OutputFormat[] = ['duckdb', 'csv', 'parquet'];

/** Everything a generation needs, validated and with defaults filled in. */
export interface GeneratePlan {
  warehousePath: string;
  format: OutputFormat;
  outDir: string | undefined;
  schema: string;
  seed: number;
  scale: number;
  dirty: boolean;
  asOf: UtcDay;
  historyStart: UtcDay;
  /** Last second of the as-of day, epoch seconds. */
  asOfEndS: number;
  /** The run's clock: the as-of's last second, or the real time when that comes first. */
  clockEndS: number;
  sizes: WarehouseSizes;
  seedsDir: string;
  onProgress: ProgressListener | undefined;
}

/**
 * Validates generate options and fills defaults. All invalid options are reported together in
 * one MockgenOptionError; then paths are checked (MockgenPathError). Nothing is written here.
 *
 * @example resolveGenerateOptions({ warehousePath: 'wh.duckdb', asOf: '2026-06-30', scale: 0.1 })
 */
export function resolveGenerateOptions(options: GenerateOptions): GeneratePlan {
  const problems: OptionProblem[] = [];
  const scale = options.scale ?? 1;
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0) {
    problems.push({ option: 'scale', message: `must be a number > 0, got ${String(scale)}` });
  } else if (scale > 1000) {
    problems.push({ option: 'scale', message: `must be at most 1000, got ${scale}` });
  }
  const seed = options.seed ?? 42;
  checkSeed(seed, problems);
  const format = options.format ?? 'duckdb';
  if (!FORMATS.includes(format)) {
    problems.push({
      option: 'format',
      message: `must be one of ${FORMATS.join(', ')}, got ${String(format)}`,
    });
  }
  const asOf = parseAsOf(options.asOf);
  if (typeof asOf === 'string') problems.push({ option: 'asOf', message: asOf });
  const schema = options.schema ?? 'raw';
  checkSchemaName(schema, problems);
  const nowS = checkNow(options.now, problems);
  if (format === 'duckdb' && (typeof options.warehousePath !== 'string' || options.warehousePath === '')) {
    problems.push({ option: 'warehousePath', message: 'a DuckDB file path is required' });
  }
  if (
    (format === 'csv' || format === 'parquet') &&
    (typeof options.outDir !== 'string' || options.outDir === '')
  ) {
    problems.push({ option: 'outDir', message: `a folder is required for ${format} output` });
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    problems.push({ option: 'onProgress', message: 'must be a function' });
  }
  if (problems.length > 0 || typeof asOf === 'string') throw new MockgenOptionError(problems);

  if (format === 'duckdb') assertWritableFile(options.warehousePath);
  else assertWritableFolder(options.outDir as string);

  return {
    warehousePath: options.warehousePath,
    format,
    outDir: options.outDir,
    schema,
    seed,
    scale,
    dirty: options.dirty === true,
    asOf,
    historyStart: historyStartFor(asOf),
    asOfEndS: endOfDayS(asOf),
    clockEndS: Math.min(endOfDayS(asOf), nowS),
    sizes: sizesForScale(scale),
    seedsDir: locateSeeds(options.seedsDir),
    onProgress: options.onProgress,
  };
}
