import type { ShopsmartError } from '../errors.js';
import type { ParseScope } from '../template/parse-scope.js';
import type { ParsedCode } from './manifest-types.js';
import type { ProjectNode } from './project-types.js';
import type { RefResolver } from './ref-resolver.js';

/**
 * Turns each node's recorded `ref()` / `source()` calls into edges (`dependsOn`) and into the token
 * map compilation substitutes; exposures get edges from their `depends_on`. Unresolvable calls
 * come back as errors, all of them.
 */
export function linkRefs(
  nodes: Iterable<ProjectNode>,
  exposures: Iterable<ProjectNode>,
  parseScopes: ReadonlyMap<string, { scope: ParseScope; code: string }>,
  resolver: RefResolver,
  fileOf: (node: ProjectNode) => string,
): { parsed: Map<string, ParsedCode>; errors: ShopsmartError[]; failed: Map<string, ShopsmartError> } {
  const errors: ShopsmartError[] = [];
  /** Each node (not exposure) with a call that did not resolve, and its first problem. */
  const failed = new Map<string, ShopsmartError>();
  const parsed = new Map<string, ParsedCode>();
  const resolve = (
    node: ProjectNode,
    kind: 'ref' | 'source',
    args: string[],
    version?: string,
  ): string | undefined => {
    const result =
      kind === 'ref'
        ? resolver.ref(node, args, fileOf(node), version)
        : resolver.source(node, args, fileOf(node));
    if ('error' in result) {
      errors.push(result.error);
      return undefined;
    }
    return result.uniqueId;
  };
  for (const node of nodes) {
    const rendered = parseScopes.get(node.uniqueId);
    if (!rendered) continue;
    const tokens = new Map<number, string>();
    const dependsOn = new Set<string>();
    const calls = [
      ...rendered.scope.refs.map((call) => ({ ...call, kind: 'ref' as const })),
      ...rendered.scope.sourceCalls.map((call) => ({ ...call, kind: 'source' as const })),
    ];
    for (const call of calls) {
      const uniqueId = resolve(node, call.kind, call.args, 'version' in call ? call.version : undefined);
      if (!uniqueId) {
        const problem = errors.at(-1);
        if (problem && !failed.has(node.uniqueId)) failed.set(node.uniqueId, problem);
        continue;
      }
      tokens.set(call.key, uniqueId);
      dependsOn.add(uniqueId);
    }
    if (node.attachedNode) dependsOn.add(node.attachedNode);
    node.dependsOn = [...dependsOn];
    parsed.set(node.uniqueId, {
      code: rendered.code,
      tokens,
      renderAtExecution: rendered.scope.needsExecutionRender,
      logs: rendered.scope.logs,
    });
  }
  for (const exposure of exposures) {
    const dependsOn = new Set<string>();
    for (const args of exposure.refs) dependsOn.add(resolve(exposure, 'ref', args) ?? '');
    for (const args of exposure.sources) dependsOn.add(resolve(exposure, 'source', args) ?? '');
    dependsOn.delete('');
    exposure.dependsOn = [...dependsOn];
  }
  return { parsed, errors, failed };
}
