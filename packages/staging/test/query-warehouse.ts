import { DuckDBInstance } from '@duckdb/node-api';

/** Runs one query on a closed warehouse file and returns its rows as JSON-ready objects. */
export async function queryWarehouse(warehouse: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(warehouse);
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
