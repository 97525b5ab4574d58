import { isAbsolute, join } from 'node:path';
import { ShopsmartError } from '../errors.js';
import { containsSecret, secretValues } from '../secret-scrubber.js';
import { defaultTargets, type TargetConfig } from './project-definition.js';
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
    if (type !== 'duckdb') {
      own.push(
        new ShopsmartError(
          'SSA-PROJECT-004',
          `target '${name}' has type '${type}'; this engine runs on duckdb`,
          {
            file,
            line: at('type'),
          },
        ),
      );
    }
    const rawPath = String(value.path ?? `warehouse/${name}.duckdb`);
    const threads = Number(value.threads ?? (name === 'prod' ? 8 : 4));
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
    targets[name] = {
      name,
      type: 'duckdb',
      path: rawPath === ':memory:' || isAbsolute(rawPath) ? rawPath : join(rootDir, rawPath),
      schema: String(schema ?? 'main'),
      threads,
      extra,
    };
  }
  return { targets, problems, errors: [] };
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
    database: '',
    ...extra,
  };
}
