import { ShopsmartError } from '../errors.js';
import { formatSuggestions } from './did-you-mean.js';
import type { GraphNode } from './graph-types.js';

/** Where a node was defined, as `<layer>/<path>`, for the error's `file`. */
function fileOf(node: GraphNode | undefined): string | undefined {
  return node ? `${node.packageName}/${node.originalFilePath}` : undefined;
}

/**
 * A dependency cycle. `cycle` runs downstream (each id is a parent of the next) and repeats its
 * first id at the end; the message prints it as `a > b > c > a`.
 *
 * @example
 * new GraphCycleError(['model.a.x', 'model.a.y', 'model.a.x']).message;
 * // "dependency cycle: model.a.x > model.a.y > model.a.x"
 */
export class GraphCycleError extends ShopsmartError {
  override readonly code = 'SSA-GRAPH-CYCLE' as const;
  readonly cycle: readonly string[];

  constructor(cycle: readonly string[], firstNode?: GraphNode) {
    super('SSA-GRAPH-CYCLE', `dependency cycle: ${cycle.join(' > ')}`, {
      file: fileOf(firstNode),
      hint: 'remove one ref() or source() along this chain so the dependencies flow one way',
    });
    this.name = 'GraphCycleError';
    this.cycle = cycle;
  }
}

/**
 * A node depends on an id that is not in the graph, or that is disabled.
 *
 * @example
 * new GraphMissingNodeError(node, 'model.marts.dim_custmers', ['model.marts.dim_customers']).message;
 * // "'model.marts.fct_orders' depends on 'model.marts.dim_custmers' which is not in the graph"
 */
export class GraphMissingNodeError extends ShopsmartError {
  override readonly code = 'SSA-GRAPH-MISSING' as const;
  readonly nodeId: string;
  readonly missingId: string;
  readonly suggestions: readonly string[];

  constructor(node: GraphNode, missingId: string, suggestions: readonly string[], disabled = false) {
    const why = disabled ? 'which is disabled' : 'which is not in the graph';
    super('SSA-GRAPH-MISSING', `'${node.uniqueId}' depends on '${missingId}' ${why}`, {
      file: fileOf(node),
      hint: disabled
        ? `enable '${missingId}' or remove the reference to it`
        : (formatSuggestions(suggestions) ??
          'check the name in ref() or source(), and that its layer is a dependency'),
    });
    this.name = 'GraphMissingNodeError';
    this.nodeId = node.uniqueId;
    this.missingId = missingId;
    this.suggestions = suggestions;
  }
}

/**
 * Two nodes share a uniqueId; the later one is dropped.
 *
 * @example
 * new GraphDuplicateNodeError(first, second).message;
 * // "two nodes are named 'model.marts.dim_customers'"
 */
export class GraphDuplicateNodeError extends ShopsmartError {
  override readonly code = 'SSA-GRAPH-DUPLICATE' as const;
  readonly nodeId: string;

  constructor(kept: GraphNode, dropped: GraphNode) {
    super('SSA-GRAPH-DUPLICATE', `two nodes are named '${kept.uniqueId}'`, {
      file: fileOf(dropped),
      hint: `rename one of ${fileOf(kept)} and ${fileOf(dropped)}, or disable one`,
    });
    this.name = 'GraphDuplicateNodeError';
    this.nodeId = kept.uniqueId;
  }
}

export type GraphBuildError = GraphCycleError | GraphMissingNodeError | GraphDuplicateNodeError;
