import { fileURLToPath } from 'node:url';

/** A layer: a dbt-style project folder shipped in a package, plus the layers it builds on. */
export interface Layer {
  /** The dbt package name: what `ref('<name>', 'model')` and `<name>.macro()` use. */
  readonly name: string;
  /** Absolute path of the folder holding models/, macros/, seeds/, … */
  readonly root: string;
  /** Layers this one refs and calls macros from (its package.json dependencies). */
  readonly dependencies: readonly Layer[];
}

export interface DefineLayerOptions {
  name: string;
  /** Folder of the layer; a `file:` URL is accepted so `new URL('..', import.meta.url)` works. */
  root: string | URL;
  dependencies?: readonly Layer[];
}

/**
 * Declares a layer package's export.
 *
 * @example
 * // packages/marts/src/index.ts
 * import { defineLayer } from '@shopsmart/core-runner';
 * import { layer as intermediate } from '@shopsmart/intermediate';
 * export const layer = defineLayer({ name: 'marts', root: new URL('..', import.meta.url), dependencies: [intermediate] });
 */
export function defineLayer(options: DefineLayerOptions): Layer {
  const root = options.root instanceof URL ? fileURLToPath(options.root) : options.root;
  return Object.freeze({
    name: options.name,
    root: root.replace(/\/+$/, ''),
    dependencies: Object.freeze([...(options.dependencies ?? [])]),
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
