import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { MockgenInternalError, MockgenWarehouseLockedError } from '../errors.js';

export type Row = Record<string, unknown>;

/**
 * One DuckDB file opened for one run. Wraps the driver once: plain driver errors become typed
 * errors, and rows come back as JSON-friendly objects (BIGINT as string, so callers convert).
 */
export class DuckdbSession {
  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(path: string, settings: Record<string, string> = {}): Promise<DuckdbSession> {
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, settings);
    } catch (error) {
      if (error instanceof Error && /lock/i.test(error.message))
        throw new MockgenWarehouseLockedError(path, error);
      throw new MockgenInternalError(`opening ${path}`, error);
    }
    return new DuckdbSession(path, instance, await instance.connect());
  }

  /** Runs one or more statements. */
  async run(sql: string): Promise<void> {
    await this.connection.run(sql);
  }

  async rows(sql: string): Promise<Row[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Row[];
  }

  /** The first column of the first row as a number (0 when there is no row or it is null). */
  async number(sql: string): Promise<number> {
    const reader = await this.connection.runAndReadAll(sql);
    const value = reader.getRowsJson()[0]?.[0];
    return value === null || value === undefined ? 0 : Number(value);
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
