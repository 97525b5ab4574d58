import type { Client } from 'pg';
import { ShopsmartError } from '../../errors.js';

/** The advisory lock space of ShopSmart runs (first key of the two-key form). */
const lockSpace = 21331;

/** A stable 31-bit key for a target's database and schema. */
export function lockKey(database: string, schema: string): number {
  let hash = 2166136261;
  for (const char of `${database}.${schema}`.toLowerCase()) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 16777619) >>> 0;
  }
  return hash & 0x7fffffff;
}

/**
 * One run at a time per target (database and schema): a session-level advisory lock held on a
 * connection of its own for the whole run. The holder is found by its lock in `pg_locks`; its
 * `application_name` carries the run's invocation id and command, so a second run is told
 * "target is in use by run <id> (<command>) since <time>". The server releases the lock when
 * the holder's connection ends, so a killed run never leaves it behind.
 */
export async function acquireAdvisoryLock(
  client: Client,
  target: string,
  schema: string,
  database: string,
): Promise<void> {
  const key = lockKey(database, schema);
  const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1, $2) as locked', [
    lockSpace,
    key,
  ]);
  if (rows[0]?.locked) return;
  const holder = await client.query<{ application_name: string; backend_start: Date }>(
    `select a.application_name, a.backend_start
     from pg_locks as l join pg_stat_activity as a on a.pid = l.pid
     where l.locktype = 'advisory' and l.granted and l.classid = $1 and l.objid = $2 and l.objsubid = 2`,
    [lockSpace, key],
  );
  const found = holder.rows[0];
  const run = found?.application_name.replace(/^shopsmart /, '') || 'another run';
  const since = found ? new Date(found.backend_start).toISOString() : 'now';
  throw new ShopsmartError(
    'SSA-LOCK-001',
    `target '${target}' is in use by run ${run} since ${since} (schema ${schema})`,
    { hint: 'wait for that run to finish, or stop it; nothing was changed' },
  );
}
