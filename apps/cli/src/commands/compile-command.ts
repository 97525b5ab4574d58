import {
  backgroundWriteThreshold,
  compiledFilePaths,
  compileProject,
  dropFilesCreatedAhead,
  projectGraph,
  selectNodes,
  startBackgroundWriter,
} from '@shopsmart/core-runner';
import type { CliArgs } from '../cli-options.js';
import type { Output } from '../event-printer.js';
import { ExitCode } from '../exit-codes.js';
import { selectionOf } from '../ops-flags.js';
import { mayUseResults, openProject, readState } from '../project-session.js';

/**
 * Renders the selected nodes' SQL into target/compiled as dbt compile does: nodes that ask the
 * warehouse render with `execute` true against it. One node selected: prints its SQL.
 */
export async function compileCommand(args: CliArgs, output: Output): Promise<number> {
  // Compiling every node of a large project writes many files: the worker that writes them starts
  // as soon as the parse knows how many there are, and creates the files (empty) while the parse
  // runs; it fills them when the compiled SQL comes (a failed command removes them again).
  const compilingAll =
    args.select.length === 0 && (args.options as { selector?: string }).selector === undefined;
  try {
    return await compileAll(args, output, compilingAll);
  } finally {
    dropFilesCreatedAhead();
  }
}

async function compileAll(args: CliArgs, output: Output, compilingAll: boolean): Promise<number> {
  // The parse cache is written while the compiled files are (compile changes nothing parsed).
  const project = await openProject(args, output, {
    saveCacheLater: true,
    onSqlNodeCount: (count, listed) => {
      if (compilingAll && count >= backgroundWriteThreshold)
        startBackgroundWriter(listed && compiledFilePaths(listed.targetPath, listed.nodes));
    },
  });
  const graph = projectGraph(project);
  const { selected } = selectNodes(graph, {
    select: args.select,
    exclude: args.exclude,
    ...readState(args, project.definition.targetPath, mayUseResults(args, project.definition.rootDir)),
    ...selectionOf(args, project.definition.rootDir),
  });
  const compilable = [...selected].filter((id) => project.parsed.has(id));
  const { compiled, errors } = await compileProject(project, {
    select: compilable,
    fullRefresh: args.fullRefresh,
  });
  for (const error of errors.values()) throw error;
  if (compilable.length === 1) output.out(compiled.get(compilable[0] as string) ?? '');
  else output.out(`Compiled ${compilable.length} nodes to ${project.definition.targetPath}/compiled`);
  return ExitCode.ok;
}
