export { linkBuildOrder } from './build-order-linker.js';
export { findCycles } from './cycle-finder.js';
export { buildGraph, type GraphBuildResult } from './dag-builder.js';
export { type DidYouMeanOptions, didYouMean, editDistance, formatSuggestions } from './did-you-mean.js';
export { fnmatch, pathGlobMatch } from './glob-matcher.js';
export {
  type GraphBuildError,
  GraphCycleError,
  GraphDuplicateNodeError,
  GraphMissingNodeError,
} from './graph-errors.js';
export { ancestorsOf, childrensParentsOf, descendantsOf } from './graph-traversal.js';
export {
  type Graph,
  type GraphNode,
  type IndirectSelection,
  type PreviousResults,
  type PreviousState,
  RESOURCE_TYPES,
  type ResourceType,
  type ResultStatus,
  type SelectionResult,
  type SelectOptions,
} from './graph-types.js';
export { type ReadyNodes, type RunProgress, readyNodes } from './ready-nodes.js';
export { RunScheduler, type SkippedNode } from './run-scheduler.js';
export type { SelectorAst, SelectorAtom, SelectorIntersection } from './selector-ast.js';
export {
  parseSelectorDefinitions,
  type SelectorDefinition,
  type SelectorDefinitions,
  type SelectorExpression,
} from './selector-definitions.js';
export {
  SelectorContextError,
  type SelectorError,
  SelectorMethodError,
  SelectorSyntaxError,
  SelectorValueError,
  UnknownSelectorError,
} from './selector-errors.js';
export { selectNodes, validateSelection } from './selector-evaluator.js';
export { SELECTOR_METHOD_NAMES, type SelectorMethodName } from './selector-methods.js';
export { parseSelector } from './selector-parser.js';
export { executionBatches, topologicalOrder } from './topo-sorter.js';
