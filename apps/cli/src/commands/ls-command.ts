import { projectGraph, selectNodes } from '@shopsmart/core-runner';
import type { CliArgs } from '../cli-options.js';
import type { Output } from '../event-printer.js';
import { ExitCode } from '../exit-codes.js';
import { selectionOf } from '../ops-options.js';
import { openProject, readState } from '../project-session.js';

/** Lists the selected nodes, like dbt ls. */
export async function lsCommand(args: CliArgs, output: Output): Promise<number> {
  const project = await openProject(args);
  const graph = projectGraph(project);
  const { selected, warnings } = selectNodes(graph, {
    select: args.select,
    exclude: args.exclude,
    indirectSelection: args.indirectSelection,
    ...readState(args, project.definition.targetPath),
    ...selectionOf(args, project.definition.rootDir),
  });
  for (const warning of warnings) output.err(`warning: ${warning}`);
  const nodes = [...selected]
    .map((id) => graph.nodes.get(id))
    .filter((n) => n && (args.resourceType.length === 0 || args.resourceType.includes(n.resourceType)))
    .sort((a, b) => (a?.uniqueId ?? '').localeCompare(b?.uniqueId ?? ''));
  for (const node of nodes) {
    if (!node) continue;
    if (args.output === 'json')
      output.out(
        JSON.stringify({
          unique_id: node.uniqueId,
          resource_type: node.resourceType,
          name: node.name,
          package_name: node.packageName,
          tags: node.tags,
          original_file_path: node.originalFilePath,
          config: { materialized: node.config.materialized },
        }),
      );
    else if (args.output === 'path') output.out(node.originalFilePath);
    else if (args.output === 'selector') output.out(node.fqn.join('.'));
    else output.out(node.resourceType === 'source' ? `source:${node.fqn.join('.')}` : node.fqn.join('.'));
  }
  return ExitCode.ok;
}
