/**
 * `adapter.dispatch(macro_name, macro_namespace=None)` as dbt resolves it: for each package of the
 * namespace's search order, `<adapter>__<name>` then `default__<name>`; the first macro found wins.
 *
 * The search order of a namespace is the root project's `dispatch:` config for it
 * (`[{macro_namespace, search_order}]` in dbt_project.yml) or, by default, the root project then
 * the namespace itself. Without a namespace the name is looked up as an unqualified call would be
 * (the caller's own macros, then dbt's).
 */

/** One entry of the root project's `dispatch:` block. */
export interface DispatchSearchOrder {
  macro_namespace: string;
  search_order: string[];
}

/** The macros one namespace (a layer, a package, `dbt`) defines in its own files. */
export interface DispatchNamespace {
  /** The macro module that holds them (the layer name; `dbt` for dbt's own macros). */
  module: string;
  macros: ReadonlySet<string>;
}

export interface DispatchSettings {
  /** `target.type`: the first prefix tried (`duckdb__`, `postgres__`). */
  adapterType: string;
  /** The root project's namespace, when the project has one (a plain dbt project does). */
  rootProject?: string;
  /** The root project's `dispatch:` config. */
  searchOrders?: readonly DispatchSearchOrder[];
}

/** Where a dispatched call lands: a macro of a namespace, or (namespace null) an unqualified name. */
export type DispatchTarget =
  | { found: true; namespace: string | null; module: string; macro: string }
  | { found: false; message: string };

/** Name of dbt's own namespace (`dbt.dateadd`). */
export const dbtNamespace = 'dbt';

/**
 * Resolves `adapter.dispatch` calls. `namespaces` maps every namespace name (layers, package
 * aliases, installed packages, `dbt`) to the macros its own files define: to make a package's
 * macros dispatchable, add it to the map.
 *
 * @example
 * const dispatcher = createMacroDispatcher(
 *   { adapterType: 'postgres', rootProject: 'shop' },
 *   new Map([['dbt', { module: 'dbt', macros: new Set(['default__dateadd', 'postgres__dateadd']) }]]),
 * );
 * dispatcher.resolve('dateadd', 'dbt', () => undefined); // → dbt.postgres__dateadd
 */
export function createMacroDispatcher(
  settings: DispatchSettings,
  namespaces: ReadonlyMap<string, DispatchNamespace>,
): MacroDispatcher {
  return new MacroDispatcher(settings, namespaces);
}

export class MacroDispatcher {
  readonly #orders: Map<string, string[]>;

  constructor(
    readonly settings: DispatchSettings,
    readonly namespaces: ReadonlyMap<string, DispatchNamespace>,
  ) {
    this.#orders = new Map(
      (settings.searchOrders ?? []).map((o) => [o.macro_namespace, [...o.search_order]]),
    );
  }

  /** dbt's `_get_adapter_macro_prefixes`: the adapter's type, then `default`. */
  prefixes(): string[] {
    return [this.settings.adapterType, 'default'];
  }

  /** The packages searched for `namespace`, in order (null: an unqualified lookup). */
  searchPackages(namespace: string | null): (string | null)[] {
    if (namespace === null) return [null];
    const configured = this.#orders.get(namespace);
    if (configured && configured.length > 0) return configured;
    if (this.namespaces.has(namespace)) {
      const root = this.settings.rootProject;
      return root && root !== namespace ? [root, namespace] : [namespace];
    }
    return [null];
  }

  /**
   * The macro `adapter.dispatch(name, namespace)` returns. `unqualified(name)` answers where an
   * unqualified call to `name` goes from the calling code (its layer's module), or undefined.
   */
  resolve(
    name: string,
    namespace: string | null,
    unqualified: (name: string) => { module: string } | undefined,
  ): DispatchTarget {
    if (name.includes('.')) {
      const [suggestedNamespace, suggestedName] = [
        name.slice(0, name.indexOf('.')),
        name.slice(name.indexOf('.') + 1),
      ];
      return {
        found: false,
        message: `In adapter.dispatch, got a macro name of "${name}", but "." is not a valid macro name component. Did you mean \`adapter.dispatch("${suggestedName}", macro_namespace="${suggestedNamespace}")\`?`,
      };
    }
    const attempts: string[] = [];
    for (const pkg of this.searchPackages(namespace)) {
      for (const prefix of this.prefixes()) {
        const macro = `${prefix}__${name}`;
        if (pkg === null) {
          attempts.push(macro);
          const local = unqualified(macro);
          if (local) return { found: true, namespace: null, module: local.module, macro };
          const dbt = this.namespaces.get(dbtNamespace);
          if (dbt?.macros.has(macro))
            return { found: true, namespace: dbtNamespace, module: dbt.module, macro };
        } else {
          attempts.push(`${pkg}.${macro}`);
          const space = this.namespaces.get(pkg);
          if (space?.macros.has(macro)) return { found: true, namespace: pkg, module: space.module, macro };
        }
      }
    }
    const searched = attempts.map((a) => `'${a}'`).join(', ');
    return {
      found: false,
      message: `In dispatch: No macro named '${name}' found within namespace: '${namespace ?? 'None'}'\n    Searched for: ${searched}`,
    };
  }
}
