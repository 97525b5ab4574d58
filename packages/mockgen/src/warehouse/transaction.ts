import type { DuckdbSession } from './duckdb-session.js';

/** Runs `work` in one transaction: all of it is committed, or none of it. */
export async function runInTransaction<T>(session: DuckdbSession, work: () => Promise<T>): Promise<T> {
  await session.run('begin transaction;');
  let result: T;
  try {
    result = await work();
  } catch (error) {
    try {
      await session.run('rollback;');
    } catch {
      // the transaction may already be aborted; the original error is the one to report
    }
    throw error;
  }
  await session.run('commit;');
  return result;
}
