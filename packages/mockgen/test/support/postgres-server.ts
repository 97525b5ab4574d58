import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

const script = join(import.meta.dirname, '..', '..', '..', '..', 'scripts', 'pg-throwaway.sh');

/**
 * The server the PG* variables name (CI's throwaway cluster), else one started for the calling
 * test file and stopped after it.
 */
export function usePostgresServer(): void {
  let stop: () => void = () => undefined;
  beforeAll(() => {
    if (process.env.PGHOST && process.env.PGUSER) return;
    const exports = execFileSync('bash', [script, 'start'], { encoding: 'utf8' });
    for (const [, key, value] of exports.matchAll(/^export (\w+)='?([^'\n]*)'?$/gm))
      process.env[key as string] = value;
    const cluster = process.env.SHOPSMART_PG_DIR as string;
    stop = () => {
      execFileSync('bash', [script, 'stop', cluster]);
      for (const key of ['PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE', 'SHOPSMART_PG_DIR'])
        delete process.env[key];
    };
  });
  afterAll(() => stop());
}
