import pg from 'pg';

const pgTypes = pg.types;

/** Integers as numbers when safe (else text), as the DuckDB adapter returns BIGINT. */
const integer = (text: string) => {
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : text;
};

/**
 * How values come back: integers and decimals as numbers (DuckDB's adapter does the same), dates
 * and timestamps as the text Postgres prints (`2024-05-01`, `2024-05-01 12:00:00`), not JS Dates
 * shifted by the machine's time zone.
 */
const parsers: Record<number, (text: string) => unknown> = {
  [pgTypes.builtins.INT8]: integer,
  [pgTypes.builtins.NUMERIC]: (text) => Number(text),
  [pgTypes.builtins.DATE]: (text) => text,
  [pgTypes.builtins.TIMESTAMP]: (text) => text,
  [pgTypes.builtins.TIMESTAMPTZ]: (text) => text,
};

export const postgresTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    parsers[oid] ?? pgTypes.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};
