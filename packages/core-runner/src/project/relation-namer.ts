import { ShopsmartError } from '../errors.js';
import { ParseScope } from '../template/parse-scope.js';
import type { TemplateEngine } from '../template/template-engine.js';
import type { VarResolver } from '../template/var-resolver.js';
import type { TargetConfig } from './project-definition.js';
import type { ProjectNode, Relation } from './project-types.js';
import { targetDatabase } from './target-parser.js';

/**
 * Where a node lands, by dbt's rules: `generate_schema_name` (target schema, or
 * `<target>_<custom>` when a custom schema is configured; a project may override the macro),
 * database = configured or the target's, identifier = alias or name. The same for seeds, snapshots (where a legacy `target_schema` /
 * `target_database` wins as written) and tests (their stored failures; custom schema
 * `dbt_test__audit` by default). Ephemeral models and analyses have no relation.
 */
export function relationFor(
  node: ProjectNode,
  target: TargetConfig,
  engine: TemplateEngine,
  vars: VarResolver,
): Relation | undefined {
  const { config } = node;
  if (node.resourceType === 'analysis' || node.resourceType === 'unit_test') return undefined;
  if (node.resourceType !== 'test' && config.materialized === 'ephemeral') return undefined;
  // A model version's relation is `<name>_v<v>` (dbt's generate_alias_name) unless aliased.
  const identifier = String(
    config.alias ?? (node.version !== undefined ? `${node.name}_v${node.version}` : node.name),
  );
  const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : undefined);
  // Stored test failures land in a custom schema `dbt_test__audit` unless configured otherwise.
  const custom = text(config.schema) ?? (node.resourceType === 'test' ? 'dbt_test__audit' : undefined);
  let database = text(config.database);
  let schema = schemaName(node, custom, target, engine, vars);
  if (node.resourceType === 'snapshot') {
    // Legacy snapshot configs name the relation as written, bypassing generate_schema_name (dbt < 1.9).
    schema = text(config.target_schema) ?? schema;
    database = text(config.target_database) ?? database;
  }
  // dbt: a relation's database is the target's unless configured (dbt-duckdb: the file's name).
  return { database: database ?? targetDatabase(target), schema, identifier };
}

function schemaName(
  node: ProjectNode,
  custom: string | undefined,
  target: TargetConfig,
  engine: TemplateEngine,
  vars: VarResolver,
): string {
  const override = engine.macrosVisibleFrom(node.packageName).get('generate_schema_name');
  if (override && override !== 'shopsmart') {
    const scope = new ParseScope(node.packageName, vars, { name: node.name });
    const rendered = engine.render({
      file: node.originalFilePath,
      source: `{{ generate_schema_name(custom_schema_name, node) }}`,
      layer: node.packageName,
      scope,
      context: {
        custom_schema_name: custom ?? null,
        node: {
          name: node.name,
          resource_type: node.resourceType,
          package_name: node.packageName,
          fqn: node.fqn,
          config: node.config,
        },
      },
    });
    return rendered.trim();
  }
  return custom ? `${target.schema}_${custom}` : target.schema;
}

/**
 * Names every node's relation and reports two models, seeds or snapshots that would land in the
 * same one (dbt stops on that too).
 */
export function nameRelations(
  nodes: Iterable<ProjectNode>,
  target: TargetConfig,
  engine: TemplateEngine,
  vars: VarResolver,
  fileOf: (node: ProjectNode) => string,
): ShopsmartError[] {
  const errors: ShopsmartError[] = [];
  const claimed = new Map<string, ProjectNode>();
  for (const node of nodes) {
    node.relation = relationFor(node, target, engine, vars);
    if (!node.relation || !['model', 'seed', 'snapshot'].includes(node.resourceType)) continue;
    const key =
      `${node.relation.database ?? ''}.${node.relation.schema}.${node.relation.identifier}`.toLowerCase();
    const other = claimed.get(key);
    if (other) {
      errors.push(
        new ShopsmartError(
          'SSA-RELATION-409',
          `'${node.uniqueId}' and '${other.uniqueId}' would both be built as ${node.relation.schema}.${node.relation.identifier}`,
          {
            file: fileOf(node),
            hint: `give one of them another alias or schema (the other is ${fileOf(other)})`,
          },
        ),
      );
    }
    claimed.set(key, node);
  }
  return errors;
}
