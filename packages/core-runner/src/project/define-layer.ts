import { fileURLToPath } from 'node:url';

/** A layer: a dbt-style project folder shipped in a package, plus the layers it builds on. */
export interface Layer {
  /** The dbt package name: what `ref('<name>', 'model')` and `<name>.macro()` use. */
  readonly name: string;
  /** Absolute path of the folder holding models/, macros/, seeds/, … */
  readonly root: string;
  /** Layers this one refs and calls macros from (its package.json dependencies). */
  readonly dependencies: readonly Layer[];
  /**
   * Other dbt package names this layer answers to, so that YAML and SQL written for those packages
   * work unchanged: with `['dbt_utils']`, `dbt_utils.accepted_range` in a `data_tests:` list and
   * `{{ dbt_utils.star(...) }}` resolve to this layer's `accepted_range` test and `star` macro in
   * every layer that depends on it. A layer (or installed package) really named `dbt_utils` wins.
   */
  readonly packageAliases: readonly string[];
}

export interface DefineLayerOptions {
  name: string;
  /** Folder of the layer; a `file:` URL is accepted so `new URL('..', import.meta.url)` works. */
  root: string | URL;
  dependencies?: readonly Layer[];
  /** dbt package names this layer also answers to (see `Layer.packageAliases`). */
  packageAliases?: readonly string[];
}

/**
 * Declares a layer package's export.
 *
 * @example
 * // packages/marts/src/index.ts
 * import { defineLayer } from '@shopsmart/core-runner';
 * import { layer as intermediate } from '@shopsmart/intermediate';
 * export const layer = defineLayer({ name: 'marts', root: new URL('..', import.meta.url), dependencies: [intermediate] });
 *
 * // packages/quality/src/index.ts: the generic tests and macros also answer to dbt_utils.* and dbt_expectations.*
 * export const layer = defineLayer({ name: 'quality', root, packageAliases: ['dbt_utils', 'dbt_expectations'] });
 */
export function defineLayer(options: DefineLayerOptions): Layer {
  const root = options.root instanceof URL ? fileURLToPath(options.root) : options.root;
  return Object.freeze({
    name: options.name,
    root: root.replace(/\/+$/, ''),
    dependencies: Object.freeze([...(options.dependencies ?? [])]),
    packageAliases: Object.freeze([...(options.packageAliases ?? [])]),
  });
}

/**
 * All layers reachable from `roots`, each once, dependencies before dependents.
 * Two different folders claiming the same layer name is a user error the loader reports.
 */
export function orderLayers(roots: readonly Layer[]): Layer[] {
  const ordered: Layer[] = [];
  const seen = new Set<string>();
  const visit = (layer: Layer): void => {
    const key = `${layer.name}\0${layer.root}`;
    if (seen.has(key)) return;
    seen.add(key);
    for (const dependency of layer.dependencies) visit(dependency);
    ordered.push(layer);
  };
  for (const root of roots) visit(root);
  return ordered;
}

/** The names a layer may reference: itself and everything it depends on, nearest first. */
export function visibleLayerNames(layer: Layer): string[] {
  const names: string[] = [layer.name];
  const queue = [...layer.dependencies];
  while (queue.length > 0) {
    const next = queue.shift() as Layer;
    if (names.includes(next.name)) continue;
    names.push(next.name);
    queue.push(...next.dependencies);
  }
  return names;
}
