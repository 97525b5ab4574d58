import type { ShopsmartError } from '../errors.js';
import type { ConfigTree } from './dbt-project-file.js';
import type { Layer } from './define-layer.js';

/** Where a run writes: a DuckDB file, its default schema, and how many nodes run at once. */
/** How to reach a PostgreSQL server (a `type: postgres` target, as dbt-postgres reads a profile). */
export interface PostgresConnection {
  host: string;
  port: number;
  user: string;
  /** From `env_var(...)` in the profile; never shown to templates or written to artifacts. */
  password: string;
  dbname: string;
  /** libpq's sslmode: disable (default), prefer, require, verify-ca, verify-full. */
  sslmode: string;
  connectTimeoutSeconds: number;
}

export interface TargetConfig {
  name: string;
  type: 'duckdb' | 'postgres';
  /**
   * DuckDB file path (absolute once loaded), or ':memory:'. For postgres, where the target
   * points without its password (`postgres://user@host:port/dbname`), for messages and artifacts.
   */
  path: string;
  /** Set for `type: postgres`. */
  postgres?: PostgresConnection;
  schema: string;
  threads: number;
  /** Seconds to wait for a busy warehouse (another run, a reader holding the file); 0: fail at once. */
  lockTimeout?: number;
  /** Anything else a profile says (extensions, settings); exposed to templates as `target.*`. */
  extra: Record<string, unknown>;
  /** DuckDB: the profile's `attach:` databases, attached when the warehouse opens. */
  attach?: DuckDBAttachment[];
}

/** One `attach:` entry of a DuckDB profile (dbt-duckdb's Attachment). */
export interface DuckDBAttachment {
  path: string;
  alias: string;
  readOnly: boolean;
  type?: string;
}

/** A whole project: the layers it builds, its targets, vars and root-level config. */
export interface ProjectDefinition {
  name: string;
  rootDir: string;
  /** Where artifacts go (`target/` by default). */
  targetPath: string;
  layers: Layer[];
  vars: Record<string, unknown>;
  targets: Record<string, TargetConfig>;
  /**
   * What is wrong with each target (an unset `env_var()`, a bad `threads`), reported only when that
   * target is the one used: as in dbt, an unrendered prod password does not stop a dev run.
   */
  targetProblems?: Record<string, ShopsmartError[]>;
  defaultTarget: string;
  /**
   * Root-level config trees that override the layers' own, as a root dbt project does. Their Jinja
   * is rendered per run (they may read `target`), hooks when they run.
   */
  config: { models: ConfigTree; seeds: ConfigTree; snapshots: ConfigTree; tests: ConfigTree };
  /** The file holding `config` (absolute), for the line of a problem found rendering it. */
  configFile?: string;
  onRunStart: string[];
  onRunEnd: string[];
  /** True when the project is a plain dbt project directory. */
  isDbtProject: boolean;
  /** Problems that do not stop a run (unknown top-level keys), reported as warnings. */
  warnings?: ShopsmartError[];
}

export const defaultTargets = (rootDir: string): Record<string, TargetConfig> => ({
  dev: {
    name: 'dev',
    type: 'duckdb',
    path: `${rootDir}/warehouse/dev.duckdb`,
    schema: 'main',
    threads: 4,
    extra: {},
  },
  prod: {
    name: 'prod',
    type: 'duckdb',
    path: `${rootDir}/warehouse/prod.duckdb`,
    schema: 'main',
    threads: 8,
    extra: {},
  },
});
