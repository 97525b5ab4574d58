import { type ShowPreview, showPreview } from '@shopsmart/core-runner';
import type { CliArgs } from '../cli-options.js';
import type { Output } from '../event-printer.js';
import { ExitCode } from '../exit-codes.js';
import { openProject } from '../project-session.js';

/**
 * dbt's `show`: previews a node (`-s`) or inline SQL (`--inline`) with `--limit` rows (default 5):
 * a table for people, `--output json` (or `--log-format json`) for programs. Writes nothing.
 */
export async function showCommand(args: CliArgs, output: Output): Promise<number> {
  const options = args.options as { inline?: string; limit?: number; output?: string };
  const project = await openProject(args, output);
  const previews = await showPreview(project, {
    select: args.select,
    ...(options.inline !== undefined ? { inline: options.inline } : {}),
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
  });
  const json = options.output === 'json' || args.logFormat === 'json';
  for (const preview of previews) {
    if (json) {
      // dbt's shape: {"node": name, "show": [rows]} (inline: no node).
      output.out(JSON.stringify({ ...(preview.uniqueId ? { node: preview.name } : {}), show: preview.rows }));
      continue;
    }
    output.out(preview.uniqueId ? `Previewing node '${preview.name}':` : 'Previewing inline node:');
    for (const line of formatTable(preview)) output.out(line);
    output.out('');
  }
  return ExitCode.ok;
}

const text = (value: unknown): string => {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

const numeric = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|U?INT\w*|DECIMAL.*|DOUBLE|FLOAT|REAL|NUMERIC.*)$/i;

/**
 * A preview as a Markdown-style table (as dbt prints agate tables): numbers right-aligned.
 *
 * @example
 * formatTable({ columns: [{ name: 'id', dataType: 'BIGINT' }], rows: [{ id: 1 }] … });
 * // ['| id |', '| -- |', '|  1 |']
 */
export function formatTable(preview: Pick<ShowPreview, 'columns' | 'rows'>): string[] {
  const columns = preview.columns.map((c) => c.name);
  const right = preview.columns.map((c) => numeric.test(c.dataType));
  const cells = preview.rows.map((row) => columns.map((name) => text(row[name])));
  const widths = columns.map((name, i) =>
    Math.max(name.length, 2, ...cells.map((row) => (row[i] ?? '').length)),
  );
  const line = (values: string[], align: boolean) =>
    `| ${values.map((v, i) => (align && right[i] ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  return [
    line(columns, false),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...cells.map((row) => line(row, true)),
  ];
}
