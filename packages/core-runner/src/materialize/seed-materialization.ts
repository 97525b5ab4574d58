import { readFileSync } from 'node:fs';
import { ShopsmartError } from '../errors.js';
import type { MaterializationContext, MaterializationResult } from './materialization-types.js';
import {
  csvHeader,
  plainColumnName,
  refuseChangedSeedColumns,
  seedFullRefresh,
} from './seed-column-change.js';
import { conversionProblem, raggedRow, seedFileProblem } from './seed-csv-check.js';

/**
 * Loads a CSV seed into a table through the adapter (DuckDB: its CSV reader; Postgres: COPY):
 * `column_types` fix declared columns, `delimiter` and `quote_columns` behave as in dbt. As in dbt,
 * an existing table is emptied and reloaded (its definition kept) unless `--full-refresh` replaces
 * it. Either happens in one transaction, so a malformed file leaves the previous seed table untouched.
 */
export async function materializeSeed(context: MaterializationContext): Promise<MaterializationResult> {
  const { node, adapter, connection } = context;
  const relation = node.relation;
  if (!relation || !node.seedPath) throw new Error(`${node.uniqueId} has no relation or file`);
  const columnTypes = (node.config.column_types ?? {}) as Record<string, string>;
  const delimiter = String(node.config.delimiter ?? ',');
  const bytes = readFileSync(node.seedPath);
  const problem = seedFileProblem(bytes, delimiter);
  if (problem) {
    throw new ShopsmartError(problem.code, `seed '${node.name}': ${problem.message}`, {
      file: node.originalFilePath,
      line: problem.line,
      hint: `${problem.hint}; the previous table was kept`,
    });
  }
  const csvText = bytes.toString('utf8');
  const ragged = raggedRow(csvText, delimiter);
  if (ragged) {
    throw new ShopsmartError(
      'SSA-SEED-002',
      `seed '${node.name}': row ${ragged.line} has ${ragged.fields} field${ragged.fields === 1 ? '' : 's'}, the header has ${ragged.expected}`,
      {
        file: node.originalFilePath,
        line: ragged.line,
        hint: `fix that row (a value containing '${delimiter}' must be quoted); the previous table was kept`,
      },
    );
  }
  await adapter.ensureSchema(relation.schema, connection, relation.database);
  const reload = !seedFullRefresh(context);
  if (reload) await refuseChangedSeedColumns(context, csvText);
  let rowsAffected = 0;
  try {
    rowsAffected = await adapter.loadSeed(
      {
        relation,
        path: node.seedPath,
        delimiter,
        columnTypes,
        normalizeNames: node.config.quote_columns === false,
        ...(node.config.quote_columns === false
          ? { columnNames: csvHeader(csvText, delimiter).map(plainColumnName) }
          : {}),
        reload,
        recordSql: (sql) => context.recordSql(sql),
      },
      connection,
    );
  } catch (error) {
    throw seedError(node.name, node.originalFilePath, error);
  }
  return { status: 'success', rowsAffected, message: `seed ${rowsAffected} rows` };
}

function seedError(name: string, file: string, error: unknown): ShopsmartError {
  // The adapter keeps DuckDB's first line as the message and the whole report as the cause.
  const original = error instanceof ShopsmartError && error.cause instanceof Error ? error.cause : error;
  const message = original instanceof Error ? original.message : String(original);
  const problem = conversionProblem(message);
  if (problem.column) {
    return new ShopsmartError(
      'SSA-SEED-003',
      `seed '${name}': row ${problem.line ?? '?'}, column '${problem.column}': '${problem.value ?? ''}' is not a valid ${problem.type ?? 'value'}`,
      {
        file,
        line: problem.line,
        hint: `fix the value or change column_types for '${problem.column}'; the previous table was kept`,
      },
    );
  }
  return new ShopsmartError('SSA-SEED-001', `seed '${name}' could not be loaded: ${message.split('\n')[0]}`, {
    file,
    hint: 'check the file is CSV with a header row and the configured delimiter; the previous table was kept',
  });
}
