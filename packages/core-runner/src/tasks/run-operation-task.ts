import { openWarehouse } from '../adapter/adapter-registry.js';
import { ShopsmartError } from '../errors.js';
import type { EventBus } from '../events.js';
import { didYouMean, formatSuggestions } from '../graph/did-you-mean.js';
import type { ParsedProject } from '../project/manifest-builder.js';
import type { MacroInfo } from '../project/project-types.js';
import { SqlCompiler } from '../template/sql-compiler.js';
import { inlineNode } from './inline-node.js';

export interface RunOperationOptions {
  /** `macro_name` or `package_name.macro_name`, as dbt takes it. */
  macro: string;
  /** `--args`: keyword arguments of the macro (a mapping). */
  args?: Record<string, unknown>;
  events: EventBus;
}

export interface RunOperationResult {
  macro: string;
  /** What the macro returned (`{{ return(x) }}`) or printed, trimmed; empty when nothing. */
  output: string;
  elapsedMs: number;
}

const identifier = /^[A-Za-z_]\w*$/;

/**
 * dbt's `run-operation`: calls a macro with keyword arguments in the run-time context (target,
 * `run_query`, `log`, refs), against the warehouse. `log()` messages become `log` events; the
 * macro's return value is handed back. Errors name the macro and its file.
 *
 * @example
 * await runOperation(project, { macro: 'grant_select', args: { role: 'reporter' }, events });
 * // { macro: 'grant_select', output: '', elapsedMs: 12 }
 */
export async function runOperation(
  project: ParsedProject,
  options: RunOperationOptions,
): Promise<RunOperationResult> {
  const started = performance.now();
  const macro = findMacro(project, options.macro);
  const args = options.args ?? {};
  for (const key of Object.keys(args))
    if (!identifier.test(key))
      throw new ShopsmartError('SSA-OPERATION-ARGS', `--args key '${key}' is not a valid argument name`, {
        hint: 'macro arguments are names like start_date or dry_run',
      });
  const call = `{{ ${options.macro}(${Object.entries(args)
    .map(([key, value]) => `${key}=${jinjaLiteral(value)}`)
    .join(', ')}) }}`;
  const adapter = await openWarehouse(project.target, {
    threads: 1,
    command: `run-operation ${macro.name}`,
    invocationId: project.invocationId,
  });
  try {
    const compiler = new SqlCompiler(project, (message) =>
      options.events.emit({ kind: 'log', level: 'info', message }),
    );
    const node = inlineNode(project, macro.name, call, 'operation');
    let output: string;
    try {
      output = await compiler.compileInline(node, call, { warehouse: adapter.questionsOn() });
    } catch (error) {
      throw operationError(error, macro);
    }
    return { macro: options.macro, output: output.trim(), elapsedMs: performance.now() - started };
  } finally {
    await adapter.close();
  }
}

/** The macro a run-operation names, or an error with the closest names. */
function findMacro(project: ParsedProject, name: string): MacroInfo {
  const [packageName, macroName] = name.includes('.') ? name.split('.', 2) : [undefined, name];
  const macros = Object.values(project.manifest.macros).filter((m) => !m.isTest);
  const found = macros.find((m) => m.name === macroName && (!packageName || m.packageName === packageName));
  if (found) return found;
  const names = [...new Set(macros.map((m) => m.name))];
  throw new ShopsmartError(
    'SSA-OPERATION-404',
    `run-operation: no macro named '${name}' in any layer or package`,
    {
      hint:
        formatSuggestions(didYouMean(macroName as string, names)) ?? 'macros live in macros/*.sql of a layer',
    },
  );
}

function operationError(error: unknown, macro: MacroInfo): ShopsmartError {
  const message = error instanceof Error ? error.message : String(error);
  const original = error instanceof ShopsmartError ? error : undefined;
  // One code for every failure inside the macro (a raise, a bad statement): like a node that
  // failed, it exits 1.
  return new ShopsmartError('SSA-RUN-OPERATION', `run-operation ${macro.name} failed: ${message}`, {
    file: original?.file && !original.file.startsWith('<') ? original.file : macro.originalFilePath,
    ...(original?.line ? { line: original.line } : {}),
    ...(original?.hint ? { hint: original.hint } : {}),
    cause: error,
  });
}

/**
 * A JSON-like value as a Jinja literal (`null` → `none`), so `--args` reach the macro typed.
 *
 * @example
 * jinjaLiteral({ days: 3, tables: ['a'], dry: true, note: null }); // '{"days": 3, "tables": ["a"], "dry": true, "note": none}'
 */
export function jinjaLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'none';
  if (value instanceof Date) return JSON.stringify(value.toISOString().slice(0, 10));
  if (Array.isArray(value)) return `[${value.map(jinjaLiteral).join(', ')}]`;
  if (typeof value === 'object')
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([key, item]) => `${JSON.stringify(key)}: ${jinjaLiteral(item)}`)
      .join(', ')}}`;
  return JSON.stringify(String(value));
}
