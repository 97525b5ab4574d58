import { ShopsmartError } from '../../errors.js';

/** What a connection error is about, from node-postgres's error (a socket code or a SQLSTATE). */
interface PgErrorFields {
  code?: string;
  message?: string;
  position?: string;
  hint?: string;
  detail?: string;
}

const fieldsOf = (error: unknown): PgErrorFields =>
  error && typeof error === 'object' ? (error as PgErrorFields) : { message: String(error) };

/** SQLSTATEs and socket codes that mean the server went away under a running statement. */
const lostCodes = new Set(['57P01', '57P02', '57P03', '08006', '08003', '08000', 'ECONNRESET', 'EPIPE']);

export const isConnectionLost = (error: unknown): boolean => {
  const { code, message = '' } = fieldsOf(error);
  return (
    (code !== undefined && lostCodes.has(code)) ||
    /Connection terminated|connection is closed|Client has encountered a connection error/i.test(message)
  );
};

/**
 * Why a target could not be reached, in one line naming the target: refused, unknown host, bad
 * password, missing database, timed out. No stack: these are the user's to fix.
 *
 * @example
 * connectError('pg', 'postgres://me@127.0.0.1:5999/shop', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
 * // → SSA-WAREHOUSE-010 "cannot connect to target 'pg' (postgres://me@127.0.0.1:5999/shop): connection refused"
 */
export function connectError(target: string, where: string, error: unknown): ShopsmartError {
  const { code, message = '' } = fieldsOf(error);
  const known: Record<string, [string, string]> = {
    ECONNREFUSED: ['connection refused', 'is the server running and listening on that host and port?'],
    ENOTFOUND: ['unknown host', 'check host in the target'],
    EAI_AGAIN: ['unknown host', 'check host in the target'],
    ETIMEDOUT: ['timed out', 'check host, port and any firewall between'],
    '28P01': ['password authentication failed', 'check user and the password the target reads (env_var)'],
    '28000': ['the server refused this user', "check user, and the server's pg_hba.conf"],
    '3D000': ['the database does not exist', 'create it (createdb) or fix dbname in the target'],
    '53300': ['the server has too many connections', 'lower threads, or raise max_connections'],
  };
  const [what, hint] = (code && known[code]) ??
    (/timeout/i.test(message) ? ['timed out', 'check host, port and any firewall between'] : undefined) ?? [
      message.split('\n')[0] ?? 'unknown error',
      'check the target in profiles.yml / shopsmart.yml',
    ];
  return new ShopsmartError('SSA-WAREHOUSE-010', `cannot connect to target '${target}' (${where}): ${what}`, {
    hint,
  });
}

/** A connection that dropped while the run was using it. */
export function lostError(target: string, where: string): ShopsmartError {
  return new ShopsmartError(
    'SSA-WAREHOUSE-011',
    `lost the connection to target '${target}' (${where}) during the run`,
    {
      hint: 'the server closed it or went away; what was being built was rolled back — rerun when the server is back',
    },
  );
}

/**
 * Postgres's error for a statement as a ShopsmartError: the first line, the server's hint, and
 * the line of the statement its `position` points at.
 */
export function pgSqlError(error: unknown, sql: string): ShopsmartError {
  if (error instanceof ShopsmartError) return error;
  const { message = String(error), position, hint } = fieldsOf(error);
  const offset = position ? Number(position) - 1 : undefined;
  const line = offset !== undefined && offset >= 0 ? sql.slice(0, offset).split('\n').length : undefined;
  const first = message.split('\n')[0] ?? message;
  return new ShopsmartError('SSA-SQL-001', hint ? `${first} (${hint})` : first, {
    line,
    hint: `the statement began: ${sql.trim().slice(0, 120).replace(/\s+/g, ' ')}`,
    cause: error,
  });
}
