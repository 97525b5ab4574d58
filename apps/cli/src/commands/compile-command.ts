import { projectGraph, SqlCompiler, selectNodes, writeManifestArtifacts } from '@shopsmart/core-runner';
import type { CliArgs } from '../cli-options.js';
import type { Output } from '../event-printer.js';
import { ExitCode } from '../exit-codes.js';
import { selectionOf } from '../ops-options.js';
import { openProject, readState } from '../project-session.js';

/** Renders every selected node's SQL into target/compiled; prints the SQL when one node is selected. */
export async function compileCommand(args: CliArgs, output: Output): Promise<number> {
  const project = await openProject(args);
  const compiler = new SqlCompiler(project);
  await writeManifestArtifacts(project, compiler, true);
  const graph = projectGraph(project);
  const { selected } = selectNodes(graph, {
    select: args.select,
    exclude: args.exclude,
    ...readState(args, project.definition.targetPath),
    ...selectionOf(args, project.definition.rootDir),
  });
  const compilable = [...selected].filter((id) => project.parsed.has(id));
  if (compilable.length === 1) output.out(compiler.compile(compilable[0] as string));
  else output.out(`Compiled ${compilable.length} nodes to ${project.definition.targetPath}/compiled`);
  return ExitCode.ok;
}
