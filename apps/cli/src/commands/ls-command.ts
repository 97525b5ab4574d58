import { setFlagsFromString } from 'node:v8';
import { type ListOutput, listLines, projectGraph, selectNodes } from '@shopsmart/core-runner';
import type { CliArgs } from '../cli-options.js';
import type { Output } from '../event-printer.js';
import { ExitCode } from '../exit-codes.js';
import { selectionOf } from '../ops-flags.js';
import { mayUseResults, openProject, readState } from '../project-session.js';

/** Lists the selected nodes as dbt ls does (--output selector | name | json | path, --output-keys). */
export async function lsCommand(args: CliArgs, output: Output): Promise<number> {
  // `ls` is a short command: compiling the template engine's WebAssembly with V8's optimising
  // tier costs it more CPU, on background threads, than the faster code saves, so the engine runs
  // as Liftoff's baseline code (cold `ls` of ShopSmart: ~1.7 → ~1.3 s CPU, 1.1 → 0.9 s wall).
  // For JavaScript, Maglev (V8's mid-tier optimiser, which compiles several times faster than
  // TurboFan) is the top tier: TurboFan's compiles cost a cold `ls` of ShopSmart more CPU than
  // they save (~1.3 → ~0.9 s CPU), while Maglev still optimises the hot loops of a long parse
  // (a cold `ls` of the 10,000-model synthetic project takes the same CPU with either). Turning
  // optimisation off altogether (`--no-opt`) saved as much on ShopSmart but made that 10,000-model
  // `ls` ~30% slower in wall time.
  setFlagsFromString('--liftoff-only');
  setFlagsFromString('--maglev');
  setFlagsFromString('--max-opt=2');
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
