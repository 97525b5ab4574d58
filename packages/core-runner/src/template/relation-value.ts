import type { Relation } from '../project/project-types.js';

/**
 * How a relation travels through Jinja. minijinja renders a JS object as a map, so a relation is a
 * map that carries its own rendered text under `__relation__`; `renderRelations` swaps the printed
 * map for that text after rendering. Attribute access (`this.identifier`) works as in dbt.
 */
export interface RelationValue {
  __relation__: string;
  database: string;
  schema: string;
  identifier: string;
  name: string;
  table: string;
}

export const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** `"schema"."identifier"` (or with the database when given), quoted as DuckDB wants. */
export function renderRelation(relation: Relation): string {
  const parts = relation.database ? [relation.database, relation.schema, relation.identifier] : [relation.schema, relation.identifier];
  return parts.map(quoteIdentifier).join('.');
}

export function relationValue(relation: Relation, rendered = renderRelation(relation)): RelationValue {
  return {
    __relation__: rendered,
    database: relation.database ?? '',
    schema: relation.schema,
    identifier: relation.identifier,
    name: relation.identifier,
    table: relation.identifier,
  };
}

const printedRelation = /\{"__relation__": "((?:[^"\\]|\\.)*)"(?:, "[a-z_]+": "(?:[^"\\]|\\.)*")*\}/g;

/** Replaces every printed relation map in rendered SQL with its SQL text. */
export function renderRelations(output: string): string {
  if (!output.includes('__relation__')) return output;
  return output.replace(printedRelation, (_match, inner: string) => JSON.parse(`"${inner}"`) as string);
}

/** Accepts what a template may pass where a relation is expected: a relation map or its text. */
export function relationText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Map) return relationText(Object.fromEntries(value));
  if (value && typeof value === 'object' && '__relation__' in value) return String((value as RelationValue).__relation__);
  return undefined;
}
