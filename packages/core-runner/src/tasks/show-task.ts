import { openWarehouse } from '../adapter/adapter-registry.js';
import { ShopsmartError, throwIfAny } from '../errors.js';
import { selectNodes } from '../graph/selector-evaluator.js';
import type { ParsedProject } from '../project/manifest-builder.js';
import type { ProjectNode } from '../project/project-types.js';
import { SqlCompiler, stripTrailingSemicolon } from '../template/sql-compiler.js';
import { inlineNode } from './inline-node.js';
import { projectGraph } from './run-task.js';
import { readSelectorsFile } from './selectors-file.js';

/** dbt's default `--limit` for `show`. */
export const SHOW_DEFAULT_LIMIT = 5;

export interface ShowOptions {
  /** `--select`: preview each selected model, seed, snapshot, analysis or source. */
  select?: string[];
  /** `--inline`: SQL with refs, sources and macros, previewed as if it were a model. */
  inline?: string;
  /** Rows to fetch (default 5); a negative number means no limit, as in dbt. */
  limit?: number;
}

/** One previewed node: its columns (with types), the rows, and the SQL that ran. */
export interface ShowPreview {
  /** The node's name, or `inline_query`. */
  name: string;
  uniqueId?: string;
  columns: { name: string; dataType: string }[];
  rows: Record<string, unknown>[];
  sql: string;
}

const previewable = new Set(['model', 'seed', 'snapshot', 'analysis', 'source', 'test']);

/**
 * dbt's `show`: compiles a node (or inline SQL) and runs it wrapped in a `limit`, returning the
 * rows. Nothing is written to the warehouse: the query runs as it stands, even for a table or
 * incremental model; its parents must already be built (ephemerals are inlined as CTEs).
 *
 * @example
 * await showPreview(project, { inline: "select * from {{ ref('dim_customers') }}", limit: 3 });
 * // [{ name: 'inline_query', columns: [{ name: 'customer_id', dataType: 'VARCHAR' }, …], rows: [3 rows], sql: '…' }]
 */
export async function showPreview(project: ParsedProject, options: ShowOptions): Promise<ShowPreview[]> {
  const limit = options.limit ?? SHOW_DEFAULT_LIMIT;
  const hasSelect = (options.select ?? []).some((s) => s.trim() !== '');
  if (options.inline !== undefined && hasSelect)
    throw new ShopsmartError('SSA-SHOW-ARGS', 'show takes either --select or --inline, not both');
  if (options.inline === undefined && !hasSelect)
    throw new ShopsmartError('SSA-SHOW-ARGS', 'show needs a node to preview (--select) or SQL (--inline)', {
      hint: 'e.g. shopsmart show -s dim_customers, or shopsmart show --inline "select * from {{ ref(\'dim_customers\') }}"',
    });
  if (options.inline !== undefined && options.inline.trim() === '')
    throw new ShopsmartError('SSA-SHOW-ARGS', '--inline is empty: give the SQL to preview');
  const nodes = options.inline === undefined ? selectedNodes(project, options.select ?? []) : [];
  const adapter = await openWarehouse(project.target, {
    threads: 1,
    command: 'show',
    invocationId: project.invocationId,
  });
  try {
    const compiler = new SqlCompiler(project);
    const warehouse = adapter.questionsOn();
    const previews: ShowPreview[] = [];
    const targets: { name: string; uniqueId?: string; sql: () => Promise<string> }[] =
      options.inline !== undefined
        ? [
            {
              name: 'inline_query',
              sql: () =>
                compiler.compileInline(
                  inlineNode(project, 'inline_query', options.inline as string, 'model'),
                  options.inline as string,
                  { warehouse },
                ),
            },
          ]
        : nodes.map((node) => ({
            name: node.name,
            uniqueId: node.uniqueId,
            sql: async () =>
              project.parsed.has(node.uniqueId) &&
              node.resourceType !== 'seed' &&
              node.resourceType !== 'snapshot'
                ? compiler.compileForExecution(node.uniqueId, {
                    // As dbt compiles it: is_incremental() is true once the table exists.
                    incremental:
                      node.config.materialized === 'incremental' &&
                      node.relation !== undefined &&
                      (await adapter.relationKind(node.relation)) === 'table',
                    warehouse,
                  })
                : `select * from ${compiler.referenceText(node.uniqueId)} as ${adapter.quote(node.name)}`,
          }));
    for (const target of targets) {
      const compiled = stripTrailingSemicolon((await target.sql()).trim());
      const subquery = `(\n${compiled}\n) as model_limit_subq`;
      const sql = `select * from ${subquery}${limit >= 0 ? ` limit ${Math.floor(limit)}` : ''}`;
      const rows = await adapter.query(sql);
      const columns = await adapter.columns(subquery);
      previews.push({
        name: target.name,
        ...(target.uniqueId ? { uniqueId: target.uniqueId } : {}),
        columns,
        rows,
        sql,
      });
    }
    return previews;
  } finally {
    await adapter.close();
  }
}

function selectedNodes(project: ParsedProject, select: string[]): ProjectNode[] {
  const graph = projectGraph(project);
  const { selected, warnings } = selectNodes(graph, {
    select,
    indirectSelection: 'empty',
    selectors: readSelectorsFile(project.definition.rootDir),
  });
  const nodes = [...selected]
    .map((id) => project.manifest.nodes[id] ?? project.manifest.sources[id])
    .filter((node): node is ProjectNode => node !== undefined && previewable.has(node.resourceType));
  if (nodes.length === 0)
    throwIfAny([
      new ShopsmartError('SSA-SHOW-NOTHING', `--select ${select.join(' ')} matches no node to preview`, {
        hint: warnings[0] ?? 'show previews models, seeds, snapshots, analyses, sources and tests',
      }),
    ]);
  return nodes;
}
