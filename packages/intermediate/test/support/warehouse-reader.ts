import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export type Row = Record<string, unknown>;

/** A read-only DuckDB connection to a built warehouse, returning rows as plain JSON values. */
export class WarehouseReader {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(path: string): Promise<WarehouseReader> {
    const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
    return new WarehouseReader(instance, await instance.connect());
  }

  /** BIGINT and DECIMAL come back as text, INTEGER and DOUBLE as numbers, DATE as 'YYYY-MM-DD'. */
  async rows(sql: string): Promise<Row[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Row[];
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
