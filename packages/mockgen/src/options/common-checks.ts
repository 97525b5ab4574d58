import type { OptionProblem } from '../errors.js';

export function checkSeed(seed: unknown, problems: OptionProblem[]): void {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    problems.push({ option: 'seed', message: `must be a whole number ≥ 0, got ${String(seed)}` });
  }
}

/** Schema names are pasted into SQL as quoted identifiers; keep them plain anyway. */
export function checkSchemaName(schema: unknown, problems: OptionProblem[]): void {
  if (typeof schema !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    problems.push({ option: 'schema', message: `must be a plain identifier, got ${JSON.stringify(schema)}` });
  }
}
