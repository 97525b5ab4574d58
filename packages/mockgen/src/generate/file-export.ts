import { mkdirSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { quoteIdent, sqlString } from '../sql/sql-context.js';
import type { ProgressListener } from '../types.js';
import type { DuckdbSession } from '../warehouse/duckdb-session.js';

/**
 * Writes each table to `<outDir>/<table>.<csv|parquet>`, ordered by id so the files are
 * byte-for-byte reproducible. Files go to a scratch folder first and are renamed into place
 * at the end, so a failed export leaves the previous files.
 */
export async function exportTables(
  session: DuckdbSession,
  schema: string,
  tables: readonly string[],
  format: 'csv' | 'parquet',
  outDir: string,
  scratchDir: string,
  onProgress: ProgressListener | undefined,
): Promise<void> {
  const staged = join(scratchDir, 'out');
  mkdirSync(staged, { recursive: true });
  const options =
    format === 'csv'
      ? "(format csv, header true, timestampformat '%Y-%m-%d %H:%M:%S')"
      : '(format parquet, compression zstd)';
  for (const [i, table] of tables.entries()) {
    const order = table.startsWith('_mockgen') ? 'all' : 'id';
    await session.run(
      `copy (select * from ${quoteIdent(schema)}.${quoteIdent(table)} order by ${order}) to ${sqlString(join(staged, `${table}.${format}`))} ${options};`,
    );
    onProgress?.({ phase: 'export', table, completed: i + 1, total: tables.length });
  }
  for (const table of tables)
    renameSync(join(staged, `${table}.${format}`), join(resolve(outDir), `${table}.${format}`));
}
