import { ShopsmartError } from '../errors.js';
import { type Environment, newEnvironment } from '../template/minijinja-loader.js';
import { splitArgs, toPlain } from '../template/render-scope.js';
import { VarResolver } from '../template/var-resolver.js';
import { type EnvVarPlace, type EnvVarProblem, readEnvVar } from './env-var-reader.js';

type KeyPath = (string | number)[];

/**
 * What a YAML file's Jinja may use, as dbt renders profiles.yml and dbt_project.yml: `env_var`,
 * `var` (only `--vars`: project vars are not known yet), and in dbt_project.yml the `target`.
 */
export interface YamlRenderContext {
  /** The file, as errors name it. */
  file: string;
  /** Line of a key path in the file, for errors. */
  lineOf: (path: KeyPath) => number;
  /** `connection` (profiles.yml, shopsmart.yml targets) may read DBT_ENV_SECRET_* variables. */
  place: EnvVarPlace;
  cliVars: Record<string, unknown>;
  /** `target.*` in dbt_project.yml configs; absent where no target is chosen yet (profiles). */
  target?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
}

/** State of the render in progress: minijinja callbacks must record problems, never throw. */
interface RenderState {
  context: YamlRenderContext;
  problems: EnvVarProblem[];
}

const hasJinja = /\{\{|\{%/;
const singleExpression = /^\s*\{\{-?((?:(?!\}\}|\{\{|\{%)[\s\S])*?)-?\}\}\s*$/;
const pythonInt = /^[-+]?(0|[1-9]\d*)$/;
const pythonFloat = /^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/;

/**
 * dbt renders YAML values natively: a rendered value that reads as a Python literal becomes one
 * (`'4'` → 4, `'True'` → true, `'None'` → null); anything else stays text.
 */
export function nativeValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (pythonInt.test(text)) return Number(text);
  if (pythonFloat.test(text) && /\d/.test(text)) return Number(text);
  if (text === 'True') return true;
  if (text === 'False') return false;
  if (text === 'None') return null;
  return value;
}

let state: RenderState | undefined;
let environment: Environment | undefined;

/** One small Jinja environment for every YAML value: dbt's YAML context is not the SQL one. */
function yamlEnvironment(): Environment {
  if (environment) return environment;
  const env = newEnvironment();
  env.enablePyCompat();
  env.undefinedBehavior = 'strict';
  env.addGlobal('env_var', (...args: unknown[]) => {
    if (!state) return '';
    const found = readEnvVar(splitArgs(args).positional, state.context.place, state.context.env);
    if ('problem' in found) {
      state.problems.push(found.problem);
      return '';
    }
    return found.value;
  });
  env.addGlobal('var', (...args: unknown[]) => {
    if (!state) return null;
    const problems: EnvVarProblem[] = [];
    const value = new VarResolver(state.context.cliVars, {}, new Map()).call('', args, problems);
    for (const problem of problems)
      state.problems.push({
        ...problem,
        hint: `${state.context.file} sees only --vars (vars: in dbt_project.yml are not known yet); pass --vars, or give a default: var('${String(splitArgs(args).positional[0])}', ...)`,
      });
    return value;
  });
  env.addFilter('as_number', (value: unknown) => Number(value));
  env.addFilter('as_bool', (value: unknown) => value === true || /^true$/i.test(String(value)));
  env.addFilter('as_text', (value: unknown) => String(value));
  env.addFilter('as_native', (value: unknown) => nativeValue(value));
  environment = env;
  return env;
}

/** `{{ env_var('NAME') }}` / `{{ env_var('NAME', 'default') }}`, optionally `| int`, alone in a value. */
const envVarCall =
  /^\s*\{\{\s*env_var\(\s*(?:'([^'\\]*)'|"([^"\\]*)")\s*(?:,\s*(?:'([^'\\]*)'|"([^"\\]*)")\s*)?\)\s*(\|\s*int\s*)?\}\}\s*$/;

/**
 * The common case of connection settings, answered without the template engine (so reading a
 * project does not load it): the same value as the engine's, or undefined to let it render (a
 * problem to report, a value `int` would have to interpret).
 */
function renderEnvVarCall(
  text: string,
  context: YamlRenderContext,
): { value: unknown; problems: EnvVarProblem[] } | undefined {
  const match = envVarCall.exec(text);
  if (!match) return undefined;
  const name = match[1] ?? match[2];
  const fallback = match[3] ?? match[4];
  const found = readEnvVar(fallback === undefined ? [name] : [name, fallback], context.place, context.env);
  if ('problem' in found) return undefined;
  const value = found.value;
  if (!match[5]) return { value: nativeValue(value), problems: [] };
  // minijinja's `int` hands its value over as a BigInt; so does this.
  if (typeof value !== 'string' || !/^-?\d{1,18}$/.test(value)) return undefined;
  return { value: BigInt(value), problems: [] };
}

/**
 * Renders one string the way dbt renders a YAML value: `{{ expr }}` alone yields the expression's
 * own value (so `{{ env_var('THREADS') | int }}` is a number); anything else is rendered as text.
 * Either way a result that reads as a Python literal becomes one.
 */
function renderString(
  text: string,
  context: YamlRenderContext,
): { value: unknown; problems: EnvVarProblem[] } {
  const simple = renderEnvVarCall(text, context);
  if (simple) return simple;
  const env = yamlEnvironment();
  const ctx = context.target ? { target: context.target } : {};
  state = { context, problems: [] };
  try {
    const single = singleExpression.exec(text);
    const value = single ? toPlain(env.evalExpr(single[1] as string, ctx)) : env.renderStr(text, ctx);
    return { value: nativeValue(value), problems: state.problems };
  } catch (error) {
    // An unset variable makes filters after it fail too (`'' | int`): report the cause alone.
    if (state.problems.length > 0) return { value: text, problems: state.problems };
    const detail = String((error as Error).message ?? error).split('\n')[0];
    return {
      value: text,
      problems: [
        ...state.problems,
        {
          code: 'SSA-YAML-JINJA',
          message: `could not render ${JSON.stringify(text)}: ${detail}`,
          hint: context.target
            ? 'this file may use env_var(), var() (only --vars) and target'
            : 'this file may use env_var() and var() (only --vars)',
        },
      ],
    };
  } finally {
    state = undefined;
  }
}

/**
 * Renders every string holding Jinja under `value` (the value at `keyPath` in the file), skipping
 * key paths `skip` names (hooks and vars are rendered later, as dbt does). Problems come back as
 * errors naming the file, the line and the key.
 *
 * @example
 * renderYamlValue({ path: "{{ env_var('WAREHOUSE', 'wh.duckdb') }}", threads: "{{ env_var('THREADS', '4') | int }}" },
 *   ['outputs', 'dev'], { file: 'profiles.yml', lineOf: () => 1, place: 'connection', cliVars: {} });
 * // → { value: { path: 'wh.duckdb', threads: 4 }, errors: [] }
 */
export function renderYamlValue(
  value: unknown,
  keyPath: KeyPath,
  context: YamlRenderContext,
  skip: (keyPath: KeyPath) => boolean = () => false,
): { value: unknown; errors: ShopsmartError[] } {
  const errors: ShopsmartError[] = [];
  const visit = (item: unknown, path: KeyPath): unknown => {
    if (skip(path)) return item;
    if (typeof item === 'string') {
      if (!hasJinja.test(item)) return item;
      const { value: rendered, problems } = renderString(item, context);
      const key = path.map(String).join('.');
      for (const problem of problems)
        errors.push(
          new ShopsmartError(problem.code, `${problem.message} (in ${key})`, {
            file: context.file,
            line: context.lineOf(path),
            hint: problem.hint,
          }),
        );
      return rendered;
    }
    if (Array.isArray(item)) return item.map((inner, index) => visit(inner, [...path, index]));
    if (item && typeof item === 'object')
      return Object.fromEntries(
        Object.entries(item as Record<string, unknown>).map(([key, inner]) => [
          key,
          visit(inner, [...path, key]),
        ]),
      );
    return item;
  };
  return { value: visit(value, keyPath), errors };
}

const lateRenderedHooks = new Set(['pre-hook', 'post-hook', 'pre_hook', 'post_hook']);
const configSections = new Set([
  'models',
  'seeds',
  'snapshots',
  'tests',
  'data_tests',
  'sources',
  'unit_tests',
]);

/**
 * The keys of dbt_project.yml that dbt does not render when it loads the project: vars (rendered
 * where they are used), run hooks and model hooks (rendered when they run), the query comment.
 */
export function isLateRenderedProjectKey(keyPath: KeyPath): boolean {
  const first = keyPath[0];
  if (first === undefined) return false;
  if (first === 'vars' || first === 'on-run-start' || first === 'on-run-end' || first === 'query-comment')
    return true;
  if (typeof first === 'string' && configSections.has(first))
    return keyPath.some(
      (part) => typeof part === 'string' && lateRenderedHooks.has(part.replace(/^\+\s*/, '')),
    );
  return false;
}
