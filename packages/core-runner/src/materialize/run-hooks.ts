import type { ParsedProject } from '../project/manifest-builder.js';
import type { ProjectNode } from '../project/project-types.js';
import { templateTarget } from '../project/target-parser.js';
import type { MaterializationContext } from './materialization-types.js';

/** Renders and runs a node's pre- or post-hooks, in order, on the node's connection. */
export async function runNodeHooks(
  context: MaterializationContext,
  which: 'pre_hook' | 'post_hook',
  incremental = false,
): Promise<void> {
  const { node, compiler, adapter, connection } = context;
  for (const hook of node.config[which]) {
    const sql =
      renderPlainHook(hook, node, context.project) ??
      (await compiler.renderWithWarehouse(node, hook, {
        incremental,
        warehouse: adapter.questionsOn(connection),
        memoAs: which,
      }));
    if (!sql.trim()) continue;
    context.recordSql(sql);
    await adapter.execute(sql, connection);
  }
}

/** `{{ name }}` / `{{ name.attribute }}` of the run-time names a plain hook may print. */
const plainPart = /\{\{\s*(target\.schema|target\.name|this\.identifier|this\.schema|invocation_id)\s*\}\}/g;
const targetSchemas = new WeakMap<ParsedProject, Record<string, unknown>>();

/**
 * A hook whose only Jinja is `{{ target.schema }}`, `{{ target.name }}`, `{{ this.identifier }}`,
 * `{{ this.schema }}` or `{{ invocation_id }}` (an audit-log insert), rendered without the template
 * engine: the same text the engine prints, since each of them is a string printed as it is. Any
 * other Jinja, or a value that is not a string, returns undefined and the engine renders the hook.
 * A build whose only run-time Jinja is such hooks then never builds the engine.
 *
 * @example
 * renderPlainHook("insert into {{ target.schema }}.log select '{{ this.identifier }}'", node, project);
 * // → "insert into main.log select 'stg_orders'"
 */
export function renderPlainHook(hook: string, node: ProjectNode, project: ParsedProject): string | undefined {
  if (hook.includes('{%') || hook.includes('{#')) return undefined;
  let target = targetSchemas.get(project);
  let failed = false;
  const text = hook.replace(plainPart, (_match, name: string) => {
    let value: unknown;
    if (name === 'invocation_id') value = project.invocationId;
    else if (name === 'this.identifier') value = node.relation?.identifier;
    else if (name === 'this.schema') value = node.relation?.schema;
    else {
      if (!target) {
        target = templateTarget(project.target);
        targetSchemas.set(project, target);
      }
      value = target[name.slice('target.'.length)];
    }
    if (typeof value !== 'string') failed = true;
    return String(value);
  });
  if (failed || text.includes('{{') || text.includes('}}')) return undefined;
  return text;
}
