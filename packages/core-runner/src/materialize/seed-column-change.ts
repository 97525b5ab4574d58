import { ShopsmartError } from '../errors.js';
import type { MaterializationContext } from './materialization-types.js';

/**
 * The header of a CSV text: the first record's fields, quotes honoured (`"a,b"` is one name).
 *
 * @example
 * csvHeader('id,"full name"\n1,x\n', ','); // → ['id', 'full name']
 */
export function csvHeader(text: string, delimiter: string): string[] {
  const fields: string[] = [];
  let current = '';
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (char === '"') {
      if (inQuotes && text[i + 1] === '"') {
        current += '"';
        i++;
      } else inQuotes = !inQuotes;
    } else if (!inQuotes && text.startsWith(delimiter, i)) {
      fields.push(current);
      current = '';
      i += delimiter.length - 1;
    } else if (!inQuotes && (char === '\n' || char === '\r')) {
      break;
    } else current += char;
  }
  fields.push(current);
  const names = fields.map((f) => f.trim());
  return names.length === 1 && names[0] === '' ? [] : names;
}

/** `quote_columns: false`: a header name as a plain identifier (lower case, `_` for other characters). */
export function plainColumnName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

/**
 * dbt keeps an existing seed table and reloads its rows unless `--full-refresh`
 * (docs.getdbt.com/reference/commands/seed): a CSV whose columns changed cannot go into it, and
 * the run says to use --full-refresh. Column names compare without case, as the warehouse does.
 */
export async function refuseChangedSeedColumns(
  context: MaterializationContext,
  csvText: string,
): Promise<void> {
  const { node, adapter, connection } = context;
  const relation = node.relation;
  if (!relation || (await adapter.relationKind(relation, connection)) !== 'table') return;
  const delimiter = String(node.config.delimiter ?? ',');
  const existing = (await adapter.columns(adapter.render(relation), connection)).map((c) =>
    c.name.toLowerCase(),
  );
  const incoming = csvHeader(csvText, delimiter).map((name) =>
    node.config.quote_columns === false ? plainColumnName(name) : name.toLowerCase(),
  );
  if (existing.join('\u0000') === incoming.join('\u0000')) return;
  const added = incoming.filter((c) => !existing.includes(c));
  const removed = existing.filter((c) => !incoming.includes(c));
  const change = [
    added.length > 0 ? `added ${added.join(', ')}` : '',
    removed.length > 0 ? `removed ${removed.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  throw new ShopsmartError(
    'SSA-SEED-005',
    `seed '${node.name}': its columns changed since ${adapter.render(relation)} was built (${change || 'new order'}); run with --full-refresh to recreate the table`,
    {
      file: node.originalFilePath,
      hint: `shopsmart seed --full-refresh --select ${node.name} (dbt keeps a seed table and reloads its rows unless --full-refresh)`,
    },
  );
}

/** dbt's `full_refresh` config wins over the flag when it is set. */
export function seedFullRefresh(context: MaterializationContext): boolean {
  const configured = context.node.config.full_refresh;
  return configured === undefined || configured === null ? context.fullRefresh : configured === true;
}
