import { manifestArtifact } from '../artifacts/artifact-writer.js';
import type { ParsedProject } from '../project/manifest-builder.js';

/** `flags` and `graph` for a run, as dbt's Jinja context has them. */
export function runContextOf(
  project: ParsedProject,
  options: {
    command: string;
    fullRefresh?: boolean;
    empty?: boolean;
    failFast?: boolean;
    warnError?: unknown;
  },
): { flags: Record<string, unknown>; graph: () => Record<string, unknown> } {
  return {
    flags: {
      WHICH: options.command,
      FULL_REFRESH: Boolean(options.fullRefresh),
      EMPTY: Boolean(options.empty),
      FAIL_FAST: Boolean(options.failFast),
      WARN_ERROR: options.warnError === true,
    },
    graph: () => {
      const artifact = manifestArtifact(project.manifest);
      return {
        nodes: artifact.nodes ?? {},
        sources: artifact.sources ?? {},
        exposures: artifact.exposures ?? {},
        metrics: artifact.metrics ?? {},
        groups: artifact.groups ?? {},
        semantic_models: {},
        saved_queries: {},
      };
    },
  };
}
