import { secretEnvPrefix } from '../secret-scrubber.js';

/** A problem an `env_var()` call ran into, recorded (a render callback must never throw). */
export interface EnvVarProblem {
  code: string;
  message: string;
  hint?: string;
}

/**
 * Where an `env_var()` call is rendered. dbt lets only connection settings (profiles.yml, and here
 * the targets of shopsmart.yml) read `DBT_ENV_SECRET_*` variables; everywhere else such a read is
 * an error, so a secret cannot end up in SQL, configs or artifacts.
 */
export type EnvVarPlace = 'connection' | 'project';

let envReads: Map<string, string | undefined> | undefined;

/**
 * Runs `work`, noting every environment variable `env_var()` reads meanwhile (name → value, or
 * undefined when unset): the parse cache is valid only while they keep their values.
 */
export function recordingEnvReads<T>(work: () => T): { result: T; reads: Map<string, string | undefined> } {
  const previous = envReads;
  const reads = new Map<string, string | undefined>();
  envReads = reads;
  try {
    return { result: work(), reads };
  } finally {
    envReads = previous;
    if (previous) for (const [name, value] of reads) previous.set(name, value);
  }
}

/**
 * dbt's `env_var(name, default)`: the variable's value, else the default, else a problem.
 *
 * @example
 * readEnvVar(['DBT_THREADS', '4'], 'connection'); // → { value: process.env.DBT_THREADS ?? '4' }
 * readEnvVar(['DBT_ENV_SECRET_TOKEN'], 'project'); // → { problem: { code: 'SSA-ENV-403', ... } }
 */
export function readEnvVar(
  positional: unknown[],
  place: EnvVarPlace,
  env: NodeJS.ProcessEnv = process.env,
): { value: unknown } | { problem: EnvVarProblem } {
  const name = String(positional[0] ?? '');
  if (name === '')
    return {
      problem: {
        code: 'SSA-ENV-400',
        message: 'env_var() needs the name of an environment variable',
        hint: "write env_var('NAME') or env_var('NAME', 'default')",
      },
    };
  if (name.startsWith(secretEnvPrefix) && place !== 'connection')
    return {
      problem: {
        code: 'SSA-ENV-403',
        message: `env_var('${name}') reads a secret, and secrets may be read only in connection settings`,
        hint: `use it in a target of shopsmart.yml or in profiles.yml; if the value is not a secret, rename the variable without the ${secretEnvPrefix} prefix`,
      },
    };
  const value = env[name];
  if (env === process.env) envReads?.set(name, value);
  if (value !== undefined) return { value };
  if (positional.length > 1) return { value: positional[1] };
  return {
    problem: {
      code: 'SSA-ENV-404',
      message: `env_var('${name}') is not set and has no default`,
      hint: `set ${name} in the environment, or give a default: env_var('${name}', '...')`,
    },
  };
}
