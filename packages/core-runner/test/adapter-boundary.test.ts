import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { duckdbDialect } from '../src/index.js';

const src = join(import.meta.dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Imports of a file: every `from '…'` and `import('…')` specifier. */
const importsOf = (text: string): string[] =>
  [...text.matchAll(/(?:from\s+|import\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1] as string);

const databaseClient = /^(@duckdb\/|pg$|pg-|pg\/)/;
const databaseFolder = /adapter\/(duckdb|postgres)\//;
/** Statements only one database understands; they belong in that database's dialect. */
const databaseSql =
  /create or replace|read_csv|read_parquet|epoch_ms|duckdb_\w+\(|\bcopy\s*\(|\bdescribe\s+select/i;

describe('the adapter boundary', () => {
  const layers = ['materialize', 'tasks'].flatMap((folder) => sourceFiles(join(src, folder)));

  it('materialize/ and tasks/ import no database client and no database folder of adapter/', () => {
    expect(layers.length).toBeGreaterThan(20);
    const offending = layers.flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'))
        .filter((spec) => databaseClient.test(spec) || databaseFolder.test(spec))
        .map((spec) => `${relative(src, file)} imports ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('no folder above adapter/ imports a database client', () => {
    const outside = sourceFiles(src).filter((file) => !relative(src, file).startsWith('adapter'));
    const offending = outside.flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'))
        .filter((spec) => databaseClient.test(spec))
        .map((spec) => `${relative(src, file)} imports ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('materialize/ and tasks/ write no database-specific SQL (it comes from the adapter dialect)', () => {
    const offending = layers.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line) && databaseSql.test(line))
        .map((line) => `${relative(src, file)}: ${line.trim()}`),
    );
    expect(offending).toEqual([]);
  });

  it('the DuckDB dialect produces its SQL as plain text', () => {
    const relation = { schema: 'main', identifier: 'orders' };
    expect(duckdbDialect.replaceRelation(relation, 'view', 'table', 'select 1 as x')).toEqual([
      'drop view "main"."orders"',
      'create or replace table "main"."orders" as (\nselect 1 as x\n)',
    ]);
    expect(
      duckdbDialect.incrementalWrite({
        strategy: 'delete+insert',
        target: '"main"."f"',
        staging: '"f__s"',
        columns: ['id', 'v'],
        uniqueKey: ['id'],
        predicates: [],
      }),
    ).toEqual([
      'delete from "main"."f" as DBT_INTERNAL_DEST where ("id") in (select "id" from "f__s")',
      'insert into "main"."f" ("id", "v") select "id", "v" from "f__s"',
    ]);
    expect(duckdbDialect.literal("it's")).toBe("'it''s'");
  });
});
