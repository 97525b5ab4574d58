import type { SelectorMethodName } from './selector-methods.js';

/**
 * One selector atom, `[@][N+]method[.arg…]:value[+N]`, e.g. `2+config.materialized:table+1`.
 * `position` is the 0-based offset of the atom in the text it was parsed from.
 */
export interface SelectorAtom {
  readonly kind: 'atom';
  readonly raw: string;
  readonly position: number;
  readonly method: SelectorMethodName;
  /** The dotted keys after the method name: `config.materialized` → ['materialized']. */
  readonly methodArgs: readonly string[];
  /** True when no method was written and it was inferred from the value (fqn, path or file). */
  readonly methodInferred: boolean;
  readonly value: string;
  /** `@`: descendants and all their ancestors. */
  readonly childrensParents: boolean;
  /** `+` prefix: ancestors, within `parentsDepth` generations when a number precedes it. */
  readonly parents: boolean;
  readonly parentsDepth?: number;
  /** `+` suffix: descendants, within `childrenDepth` generations when a number follows it. */
  readonly children: boolean;
  readonly childrenDepth?: number;
}

/** Comma-separated atoms: a node must match every one. */
export interface SelectorIntersection {
  readonly kind: 'intersection';
  readonly raw: string;
  readonly position: number;
  readonly atoms: readonly SelectorAtom[];
}

/** Space-separated intersections: a node may match any one. */
export interface SelectorAst {
  readonly kind: 'union';
  readonly raw: string;
  readonly members: readonly SelectorIntersection[];
}
