import type { Relation } from '../project/project-types.js';

/**
 * How a relation travels through Jinja. minijinja renders a JS object as a map (and prints it
 * differently inside macros), so a relation is a map whose `__relation__` holds a short marker
 * `⟪n⟫` naming its SQL text in a registry; `renderRelations` swaps every printed map for that
 * text after rendering. Attribute access (`this.identifier`) works as in dbt.
 */
export interface RelationValue {
  __relation__: string;
  database: string;
  schema: string;
  identifier: string;
  name: string;
  table: string;
  /** What packages test before using a relation (dbt_utils' `_is_relation`, `_is_ephemeral`). */
  is_cte: boolean;
  metadata: { type: string };
}

export const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** `"schema"."identifier"` (or with the database when given), quoted as DuckDB wants. */
export function renderRelation(relation: Relation): string {
  const parts = relation.database
    ? [relation.database, relation.schema, relation.identifier]
    : [relation.schema, relation.identifier];
  return parts.map(quoteIdentifier).join('.');
}

const markerByText = new Map<string, string>();
const textByMarker = new Map<string, string>();

/** The marker standing for a relation's SQL text (the same text always gets the same marker). */
export function relationMarker(text: string): string {
  let marker = markerByText.get(text);
  if (!marker) {
    marker = `⟪${markerByText.size}⟫`;
    markerByText.set(text, marker);
    textByMarker.set(marker, text);
  }
  return marker;
}

export function relationValue(relation: Relation, rendered = renderRelation(relation)): RelationValue {
  return {
    __relation__: relationMarker(rendered),
    database: relation.database ?? '',
    schema: relation.schema,
    identifier: relation.identifier,
    name: relation.identifier,
    table: relation.identifier,
    is_cte: false,
    metadata: relationMetadata,
  };
}

/** dbt's Relation reports its class here (`DuckDBRelation`); packages check the `Relation` suffix. */
export const relationMetadata = Object.freeze({ type: 'BaseRelation' });

const printedRelation = /\{"__relation__": ?"(⟪\d+⟫|⟦[^⟧]+⟧)"(?:[^{}]|\{[^{}]*\})*\}/g;
const bareMarker = /⟪\d+⟫/g;

/** Replaces every printed relation map (and bare marker) in rendered SQL with its SQL text. */
export function renderRelations(output: string): string {
  if (!output.includes('__relation__') && !output.includes('⟪')) return output;
  return output
    .replace(printedRelation, (_match, marker: string) => textByMarker.get(marker) ?? marker)
    .replace(bareMarker, (marker) => textByMarker.get(marker) ?? marker);
}

/** Accepts what a template may pass where a relation is expected: a relation map or its text. */
export function relationText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Map) return relationText(Object.fromEntries(value));
  if (value && typeof value === 'object' && '__relation__' in value) {
    const marker = String((value as RelationValue).__relation__);
    return textByMarker.get(marker) ?? marker;
  }
  return undefined;
}
