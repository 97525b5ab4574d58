import { ShopsmartError } from '../errors.js';
import { didYouMean, formatSuggestions } from '../graph/did-you-mean.js';
import type { ProjectNode } from './project-types.js';

/** Resolves `ref()` and `source()` calls to uniqueIds, with dbt's lookup rules and did-you-mean errors. */
export class RefResolver {
  readonly #byName = new Map<string, ProjectNode[]>();
  readonly #sources = new Map<string, ProjectNode>();

  constructor(
    nodes: Iterable<ProjectNode>,
    sources: Iterable<ProjectNode>,
    private readonly visible: Map<string, string[]>,
  ) {
    for (const node of nodes) {
      if (node.resourceType !== 'model' && node.resourceType !== 'seed' && node.resourceType !== 'snapshot')
        continue;
      const list = this.#byName.get(node.name) ?? [];
      list.push(node);
      this.#byName.set(node.name, list);
    }
    for (const source of sources) this.#sources.set(`${source.sourceName}.${source.name}`, source);
  }

  /**
   * `ref('name')` prefers the caller's own layer, then its dependencies nearest first. A versioned
   * model answers `ref('m', v=2)` with that version and `ref('m')` with its latest version.
   */
  ref(
    from: ProjectNode,
    args: string[],
    file: string,
    version?: string,
  ): { uniqueId: string } | { error: ShopsmartError } {
    const [packageName, name] =
      args.length >= 2 ? [args[0], args[1] as string] : [undefined, args[0] as string];
    // The usual case, without the lists below: one unversioned node of that name, visible from here.
    const only = this.#byName.get(name);
    if (only?.length === 1 && version === undefined) {
      const node = only[0] as ProjectNode;
      if (node.version === undefined && (!packageName || node.packageName === packageName)) {
        const visible = this.visible.get(from.packageName) ?? [from.packageName];
        if (visible.includes(node.packageName)) return { uniqueId: node.uniqueId };
      }
    }
    const named = (this.#byName.get(name) ?? []).filter((n) => !packageName || n.packageName === packageName);
    const candidates = named.filter((n) =>
      n.version === undefined
        ? version === undefined
        : String(n.version) === String(version ?? n.latestVersion ?? n.version),
    );
    if (candidates.length === 0 && named.some((n) => n.version !== undefined)) {
      const versions = named.map((n) => String(n.version)).join(', ');
      return {
        error: new ShopsmartError(
          'SSA-REF-404',
          `'${from.name}' refers to version ${version ?? 'latest'} of '${name}', which has versions ${versions}`,
          { file, hint: `use one of: ${named.map((n) => `ref('${name}', v=${n.version})`).join(', ')}` },
        ),
      };
    }
    const visible = this.visible.get(from.packageName) ?? [from.packageName];
    const reachable = candidates
      .filter((n) => visible.includes(n.packageName))
      .sort((a, b) => visible.indexOf(a.packageName) - visible.indexOf(b.packageName));
    const found = reachable[0];
    if (found) return { uniqueId: found.uniqueId };
    const label = packageName ? `${packageName}.${name}` : name;
    if (candidates.length > 0) {
      const owner = candidates[0]?.packageName;
      return {
        error: new ShopsmartError(
          'SSA-REF-403',
          `'${from.name}' refers to '${label}' in layer '${owner}', which layer '${from.packageName}' does not depend on`,
          {
            file,
            hint: `add the package of layer '${owner}' to the dependencies of '${from.packageName}' (package.json and defineLayer)`,
          },
        ),
      };
    }
    const names = [...this.#byName.values()]
      .flat()
      .filter((n) => visible.includes(n.packageName))
      .map((n) => n.name);
    return {
      error: new ShopsmartError(
        'SSA-REF-404',
        `'${from.name}' refers to '${label}', which is not a model, seed or snapshot of the project`,
        {
          file,
          hint:
            formatSuggestions(didYouMean(name, names)) ?? 'check the spelling, or that the model is enabled',
        },
      ),
    };
  }

  source(from: ProjectNode, args: string[], file: string): { uniqueId: string } | { error: ShopsmartError } {
    const key = `${args[0]}.${args[1]}`;
    const found = this.#sources.get(key);
    if (found) return { uniqueId: found.uniqueId };
    return {
      error: new ShopsmartError(
        'SSA-SOURCE-404',
        `'${from.name}' uses source('${args[0]}', '${args[1]}'), which no sources: YAML declares`,
        {
          file,
          hint:
            formatSuggestions(didYouMean(key, this.#sources.keys())) ??
            'declare it under sources: in a _<folder>__sources.yml file',
        },
      ),
    };
  }
}
