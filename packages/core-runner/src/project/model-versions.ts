import { ShopsmartError } from '../errors.js';
import { mergeConfig } from './config-resolver.js';
import type { ColumnInfo, ProjectNode } from './project-types.js';
import type { ModelVersionEntry, NodePatch } from './properties-types.js';

/** dbt orders versions numerically when they are numbers, as text otherwise. */
const compareVersions = (a: string | number, b: string | number): number => {
  const [x, y] = [Number(a), Number(b)];
  return Number.isFinite(x) && Number.isFinite(y) ? x - y : String(a).localeCompare(String(b));
};

/** The latest version of a versioned model: `latest_version`, else the highest `v`. */
export function latestVersionOf(patch: NodePatch): string | number | undefined {
  if (patch.latestVersion !== undefined) return patch.latestVersion;
  const versions = patch.versions ?? [];
  return versions
    .map((v) => v.v)
    .sort(compareVersions)
    .at(-1);
}

/**
 * dbt's model versions: each `versions:` entry of a model's YAML is a node of its own, read from
 * `<name>_v<v>.sql` (or the file `defined_in` names; the latest version may also be `<name>.sql`),
 * named like the model, with unique id `model.<package>.<name>.v<v>` and relation `<name>_v<v>`
 * (unless an alias says otherwise). Returns the problems (a version without a file).
 *
 * @example
 * // models/dim_customers_v1.sql, models/dim_customers_v2.sql and
 * // models: [{ name: dim_customers, latest_version: 2, versions: [{ v: 1 }, { v: 2 }] }]
 * // → model.shop.dim_customers.v1 and .v2, both named dim_customers; ref('dim_customers') is v2
 */
export function applyModelVersions(
  layerName: string,
  nodes: ProjectNode[],
  models: ReadonlyMap<string, NodePatch>,
): ShopsmartError[] {
  const errors: ShopsmartError[] = [];
  for (const patch of models.values()) {
    if (!patch.versions || patch.versions.length === 0) continue;
    const latest = latestVersionOf(patch);
    for (const version of patch.versions) {
      const fileName = version.definedIn ?? `${patch.name}_v${version.v}`;
      const isModel = (n: ProjectNode, name: string) =>
        n.resourceType === 'model' && n.version === undefined && n.name === name;
      const node =
        nodes.find((n) => isModel(n, fileName)) ??
        (String(version.v) === String(latest) && !version.definedIn
          ? nodes.find((n) => isModel(n, patch.name))
          : undefined);
      if (!node) {
        errors.push(
          new ShopsmartError(
            'SSA-YAML-405',
            `version ${version.v} of model '${patch.name}' has no file (looked for ${fileName}.sql)`,
            {
              file: patch.file,
              line: version.line,
              hint: `name the file ${patch.name}_v${version.v}.sql, or say which file it is with defined_in:`,
            },
          ),
        );
        continue;
      }
      node.name = patch.name;
      node.uniqueId = `model.${layerName}.${patch.name}.v${version.v}`;
      node.fqn = [...node.fqn.slice(0, -1), patch.name, `v${version.v}`];
      node.version = version.v;
      if (latest !== undefined) node.latestVersion = latest;
    }
  }
  return errors;
}

/** The version entry of a versioned node, from its model's patch. */
export function versionEntryOf(patch: NodePatch, node: ProjectNode): ModelVersionEntry | undefined {
  if (node.version === undefined) return undefined;
  return patch.versions?.find((v) => String(v.v) === String(node.version));
}

/** A version's config on top of the model's (`versions: - v: 2, config: {...}`). */
export function versionConfig(
  config: Record<string, unknown>,
  entry: ModelVersionEntry | undefined,
): Record<string, unknown> {
  return entry ? mergeConfig(config, entry.config) : config;
}

/** A version's columns: the model's, filtered by include/exclude, with the version's own on top. */
export function versionColumns(patch: NodePatch, entry: ModelVersionEntry | undefined): ColumnInfo[] {
  if (!entry) return patch.columns;
  const include = entry.include ?? 'all';
  const kept = patch.columns.filter(
    (c) => (include === 'all' || include.includes(c.name)) && !(entry.exclude ?? []).includes(c.name),
  );
  const own = new Map(entry.columns.map((c) => [c.name, c]));
  return [...kept.filter((c) => !own.has(c.name)), ...entry.columns];
}
