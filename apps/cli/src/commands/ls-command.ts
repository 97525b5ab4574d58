import { setFlagsFromString } from 'node:v8';
import { type ListOutput, listLines, projectGraph, selectNodes } from '@shopsmart/core-runner';
import type { CliArgs } from '../cli-options.js';
import type { Output } from '../event-printer.js';
import { ExitCode } from '../exit-codes.js';
import { selectionOf } from '../ops-flags.js';
import { mayUseResults, openProject, readState } from '../project-session.js';

/** Lists the selected nodes as dbt ls does (--output selector | name | json | path, --output-keys). */
export async function lsCommand(args: CliArgs, output: Output): Promise<number> {
  // `ls` is a short command: V8's optimising compilers (TurboFan for JavaScript, and for the
  // template engine's WebAssembly) cost it more CPU, on background threads, than the optimised code
  // saves. Without them a cold `ls` of the ShopSmart project takes about 22% (JavaScript) and
  // another 22% (WebAssembly, which then runs only as Liftoff's baseline code) less CPU in all;
  // the main thread's time barely changes, and a warm `ls` (no engine) is unchanged.
  setFlagsFromString('--no-opt');
  setFlagsFromString('--liftoff-only');
  const project = await openProject(args, output);
  const graph = projectGraph(project);
  const { selected, warnings } = selectNodes(graph, {
    select: args.select,
    exclude: args.exclude,
    indirectSelection: args.indirectSelection,
    ...readState(args, project.definition.targetPath, mayUseResults(args, project.definition.rootDir)),
    ...selectionOf(args, project.definition.rootDir),
  });
  for (const warning of warnings) output.err(`warning: ${warning}`);
  const ids = [...selected]
    .filter((id) => {
      const node = graph.nodes.get(id);
      return node && (args.resourceType.length === 0 || args.resourceType.includes(node.resourceType));
    })
    .sort();
  const outputKeys = (args.options.outputKeys as string[] | undefined)
    ?.flatMap((k) => k.split(/\s+/))
    .filter(Boolean);
  const lines = listLines(project, ids, { output: args.output as ListOutput, outputKeys });
  if (output.outLines) output.outLines(lines);
  else for (const line of lines) output.out(line);
  return ExitCode.ok;
}
