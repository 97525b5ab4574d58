import type { OptionProblem } from '../errors.js';

export function checkSeed(seed: unknown, problems: OptionProblem[]): void {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    problems.push({ option: 'seed', message: `must be a whole number ≥ 0, got ${String(seed)}` });
  }
}

/**
 * The real clock of a run, epoch seconds: `now` (a Date or an ISO timestamp, for tests and
 * replays) or the current time. Nothing a run writes is dated or loaded after it.
 */
export function checkNow(now: unknown, problems: OptionProblem[]): number {
  if (now === undefined) return Math.floor(Date.now() / 1000);
  const ms = now instanceof Date ? now.getTime() : typeof now === 'string' ? Date.parse(now) : Number.NaN;
  if (Number.isNaN(ms)) {
    problems.push({
      option: 'now',
      message: `must be a Date or an ISO timestamp, got ${JSON.stringify(now)}`,
    });
    return 0;
  }
  return Math.floor(ms / 1000);
}

/** Schema names are pasted into SQL as quoted identifiers; keep them plain anyway. */
export function checkSchemaName(schema: unknown, problems: OptionProblem[]): void {
  if (typeof schema !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    problems.push({ option: 'schema', message: `must be a plain identifier, got ${JSON.stringify(schema)}` });
  }
}
