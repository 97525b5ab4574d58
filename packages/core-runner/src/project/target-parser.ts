import { basename, isAbsolute, join } from 'node:path';
import { ShopsmartError } from '../errors.js';
import { containsSecret, secretValues } from '../secret-scrubber.js';
import { type DuckDBAttachment, defaultTargets, type TargetConfig } from './project-definition.js';
import { renderYamlValue } from './yaml-value-renderer.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The targets a file declares, and per target what is wrong with it (reported only if chosen). */
export interface ParsedTargets {
  targets: Record<string, TargetConfig>;
  /** Problems of one target: like dbt, a broken target that is not chosen does not stop a run. */
  problems: Record<string, ShopsmartError[]>;
  /** Problems of the whole `targets:` block. */
  errors: ShopsmartError[];
}

export interface TargetSource {
  /** The `targets:` (shopsmart.yml) or `outputs:` (profiles.yml) mapping, unrendered. */
  raw: unknown;
  rootDir: string;
  file: string;
  lineOf: (p: (string | number)[]) => number;
  /** Where the mapping sits in the file. */
  path: string[];
  cliVars: Record<string, unknown>;
}

/**
 * Reads connection targets as dbt reads profile outputs: each one's values rendered with
 * `env_var()` (secrets allowed) and `var()` (`--vars` only), then checked.
 *
 * @example
 * parseTargets({ raw: { dev: { path: "{{ env_var('WH', 'wh.duckdb') }}", threads: "{{ env_var('T', '2') | int }}" } },
 *   rootDir: '/p', file: 'shopsmart.yml', lineOf: () => 1, path: ['targets'], cliVars: {} });
 * // → targets.dev: { path: '/p/wh.duckdb', threads: 2, ... }
 */
export function parseTargets(source: TargetSource): ParsedTargets {
  const { raw, rootDir, file, lineOf, path } = source;
  const problems: Record<string, ShopsmartError[]> = {};
  if (raw === undefined) return { targets: defaultTargets(rootDir), problems, errors: [] };
  if (!isObj(raw))
    return {
      targets: defaultTargets(rootDir),
      problems,
      errors: [
        new ShopsmartError('SSA-PROJECT-003', 'targets must be a mapping of target names', {
          file,
          line: lineOf(path),
        }),
      ],
    };
  const targets: Record<string, TargetConfig> = {};
  for (const [name, unrendered] of Object.entries(raw)) {
    const own: ShopsmartError[] = [];
    problems[name] = own;
    const at = (...keys: string[]) => lineOf([...path, name, ...keys]);
    if (!isObj(unrendered)) {
      own.push(
        new ShopsmartError('SSA-PROJECT-003', `target '${name}' must be a mapping`, { file, line: at() }),
      );
      continue;
    }
    const rendered = renderYamlValue(unrendered, [...path, name], {
      file,
      lineOf,
      place: 'connection',
      cliVars: source.cliVars,
    });
    own.push(...rendered.errors);
    const value = rendered.value as Obj;
    const type = String(value.type ?? 'duckdb');
    if (type !== 'duckdb' && type !== 'postgres') {
      own.push(
        new ShopsmartError(
          'SSA-PROJECT-004',
          `target '${name}' has type '${type}'; this engine runs on duckdb or postgres`,
          {
            file,
            line: at('type'),
          },
        ),
      );
    }
    if (type === 'postgres') {
      const parsed = postgresTarget(name, value, threadsOf(value, name), (message, key) =>
        own.push(new ShopsmartError('SSA-PROJECT-006', message, { file, line: at(key) })),
      );
      if (parsed) targets[name] = parsed;
      continue;
    }
    const rawPath = String(value.path ?? `warehouse/${name}.duckdb`);
    const threads = threadsOf(value, name);
    if (rendered.errors.length === 0 && (!Number.isInteger(threads) || threads < 1)) {
      own.push(
        new ShopsmartError('SSA-PROJECT-005', `target '${name}': threads must be a positive integer`, {
          file,
          line: at('threads'),
          hint: `found ${JSON.stringify(value.threads)}; from an environment variable write "{{ env_var('DBT_THREADS', '4') | int }}"`,
        }),
      );
    }
    const { path: _p, schema, threads: _t, type: _type, ...extra } = value;
    const fileDatabase = duckdbDatabaseName(rawPath);
    if (value.database !== undefined && String(value.database) !== fileDatabase) {
      // dbt-duckdb refuses a `database` that is not the file's (credentials.py, __pre_deserialize__).
      own.push(
        new ShopsmartError(
          'SSA-PROJECT-006',
          `target '${name}': database '${String(value.database)}' does not match the path; it must be '${fileDatabase}'`,
          { file, line: at('database'), hint: 'leave database out (it is the file name) or make it match' },
        ),
      );
    }
    const attach = attachments(value.attach, rootDir, (message) =>
      own.push(
        new ShopsmartError('SSA-PROJECT-006', `target '${name}': ${message}`, { file, line: at('attach') }),
      ),
    );
    targets[name] = {
      name,
      type: 'duckdb',
      path: rawPath === ':memory:' || isAbsolute(rawPath) ? rawPath : join(rootDir, rawPath),
      schema: String(schema ?? 'main'),
      threads,
      extra,
      ...(attach.length > 0 ? { attach } : {}),
    };
  }
  return { targets, problems, errors: [] };
}

const threadsOf = (value: Obj, name: string) => Number(value.threads ?? (name === 'prod' ? 8 : 4));

const sslModes = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/**
 * A `type: postgres` target with dbt-postgres's keys: host, port, user, password (via env_var),
 * dbname (or database), schema (default public), threads, sslmode, connect_timeout.
 *
 * @example
 * postgresTarget('pg', { type: 'postgres', host: '127.0.0.1', user: 'me', password: 's', dbname: 'shop', schema: 'analytics' }, 4, report)
 * // → { name: 'pg', type: 'postgres', path: 'postgres://me@127.0.0.1:5432/shop', schema: 'analytics', threads: 4, postgres: {…} }
 */
function postgresTarget(
  name: string,
  value: Obj,
  threads: number,
  report: (message: string, key: string) => void,
): TargetConfig | undefined {
  const text = (key: string) =>
    value[key] === undefined || value[key] === null ? undefined : String(value[key]);
  const user = text('user');
  const dbname = text('dbname') ?? text('database');
  const port = Number(value.port ?? 5432);
  const sslmode = text('sslmode') ?? 'disable';
  let ok = true;
  const problem = (message: string, key: string) => {
    ok = false;
    report(`target '${name}': ${message}`, key);
  };
  if (!user) problem('a postgres target needs user', 'type');
  if (!dbname) problem('a postgres target needs dbname', 'type');
  if (!Number.isInteger(port) || port < 1 || port > 65535) problem('port must be a port number', 'port');
  if (!sslModes.includes(sslmode)) problem(`sslmode must be one of ${sslModes.join(', ')}`, 'sslmode');
  if (!Number.isInteger(threads) || threads < 1) problem('threads must be a positive integer', 'threads');
  if (!ok) return undefined;
  const host = text('host') ?? 'localhost';
  const known = [
    'type',
    'host',
    'port',
    'user',
    'pass',
    'password',
    'dbname',
    'database',
    'schema',
    'threads',
    'sslmode',
    'connect_timeout',
  ];
  const extra = Object.fromEntries(Object.entries(value).filter(([key]) => !known.includes(key)));
  return {
    name,
    type: 'postgres',
    path: `postgres://${user}@${host}:${port}/${dbname}`,
    schema: text('schema') ?? 'public',
    threads,
    extra: { ...extra, host, port, user, dbname, sslmode },
    postgres: {
      host,
      port,
      user: user as string,
      password: text('password') ?? text('pass') ?? '',
      dbname: dbname as string,
      sslmode,
      connectTimeoutSeconds: Number(value.connect_timeout ?? 10),
    },
  };
}

/**
 * The target as templates see it (`target.name`, `target.schema`, …, and the profile's other
 * keys). Like dbt, which leaves passwords out of `target`, a setting whose value holds a secret
 * (`DBT_ENV_SECRET_*`) is left out, so it cannot reach compiled SQL or artifacts.
 */
export function templateTarget(target: TargetConfig): Record<string, unknown> {
  const secrets = secretValues();
  const extra = Object.fromEntries(
    Object.entries(target.extra).filter(([, value]) => !containsSecret(JSON.stringify(value) ?? '', secrets)),
  );
  return {
    name: target.name,
    schema: target.schema,
    type: target.type,
    threads: target.threads,
    path: containsSecret(target.path, secrets) ? '' : target.path,
    database: targetDatabase(target),
    ...extra,
  };
}

/**
 * The profile's `attach:` list as dbt-duckdb reads it (path, alias, read_only, type): each one is
 * attached when the warehouse opens and addressable as a database (`database:` on a model or
 * source). Relative paths are the project's, as the target's own `path`.
 */
function attachments(raw: unknown, rootDir: string, problem: (message: string) => void): DuckDBAttachment[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problem('attach must be a list of {path, alias, read_only}');
    return [];
  }
  const out: DuckDBAttachment[] = [];
  for (const entry of raw) {
    if (!isObj(entry) || typeof entry.path !== 'string' || entry.path.length === 0) {
      problem('each attach entry needs a path');
      continue;
    }
    const path = entry.path;
    const local = !/^[a-z][a-z0-9+]*:/i.test(path) && path !== ':memory:' && !isAbsolute(path);
    out.push({
      path: local ? join(rootDir, path) : path,
      alias: typeof entry.alias === 'string' && entry.alias ? entry.alias : duckdbDatabaseName(path),
      readOnly: entry.read_only === true || entry.read_only === 'true',
      ...(typeof entry.type === 'string' ? { type: entry.type } : {}),
    });
  }
  return out;
}

/**
 * The database relations land in unless configured otherwise (dbt's `target.database`): the
 * Postgres dbname, or the DuckDB file's name.
 *
 * @example
 * targetDatabase({ type: 'duckdb', path: '/p/warehouse/shopsmart.duckdb', … }); // → 'shopsmart'
 */
export function targetDatabase(target: Pick<TargetConfig, 'path' | 'postgres'>): string {
  return target.postgres?.dbname ?? duckdbDatabaseName(target.path);
}

/** dbt-duckdb's database name: the file's name without its extension (`memory` in memory). */
function duckdbDatabaseName(path: string): string {
  return path === ':memory:' ? 'memory' : basename(path).replace(/\.[^.]*$/, '');
}
