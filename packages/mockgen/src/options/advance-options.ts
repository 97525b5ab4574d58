import { existsSync } from 'node:fs';
import { MockgenNoRawDataError, MockgenOptionError, type OptionProblem } from '../errors.js';
import { locateSeeds } from '../reference/seeds-locator.js';
import type { AdvanceOptions, ProgressListener } from '../types.js';
import { parseAsOf, type UtcDay } from './as-of-date.js';
import { checkNow, checkSchemaName, checkSeed } from './common-checks.js';
import { assertWritableFile } from './path-check.js';

export interface AdvancePlanOptions {
  warehousePath: string;
  /** Days to move; undefined when `asOf` says where to stop (known once the warehouse is read). */
  days: number | undefined;
  asOf: UtcDay | undefined;
  seed: number | undefined;
  /** The real clock, epoch seconds: the batch writes nothing dated or loaded after it. */
  nowS: number;
  schema: string;
  seedsDir: string;
  onProgress: ProgressListener | undefined;
}

/**
 * Validates advance options: days a whole number ≥ 1, the warehouse file present and writable.
 * Whether it holds mockgen data is checked once it is open.
 */
export function resolveAdvanceOptions(options: AdvanceOptions): AdvancePlanOptions {
  const problems: OptionProblem[] = [];
  const days = options.days;
  let asOf: UtcDay | undefined;
  if (options.asOf !== undefined) {
    const parsed = parseAsOf(options.asOf);
    if (typeof parsed === 'string') problems.push({ option: 'asOf', message: parsed });
    else asOf = parsed;
    if (days !== undefined) problems.push({ option: 'days', message: 'give either days or asOf, not both' });
  } else if (typeof days !== 'number' || !Number.isInteger(days) || days < 1) {
    problems.push({ option: 'days', message: `must be a whole number ≥ 1, got ${String(days)}` });
  } else if (days > 3650) {
    problems.push({ option: 'days', message: `must be at most 3650, got ${days}` });
  }
  if (options.seed !== undefined) checkSeed(options.seed, problems);
  const schema = options.schema ?? 'raw';
  checkSchemaName(schema, problems);
  const nowS = checkNow(options.now, problems);
  if (typeof options.warehousePath !== 'string' || options.warehousePath === '') {
    problems.push({ option: 'warehousePath', message: 'a DuckDB file path is required' });
  }
  if (problems.length > 0) throw new MockgenOptionError(problems);
  if (!existsSync(options.warehousePath)) {
    throw new MockgenNoRawDataError(options.warehousePath, schema, 'the file does not exist');
  }
  assertWritableFile(options.warehousePath);
  return {
    warehousePath: options.warehousePath,
    days,
    asOf,
    seed: options.seed,
    nowS,
    schema,
    seedsDir: locateSeeds(options.seedsDir),
    onProgress: options.onProgress,
  };
}
