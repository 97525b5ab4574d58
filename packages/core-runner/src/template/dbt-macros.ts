import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findBlocks } from './block-extractor.js';

/** One macro of dbt's own namespace, as its source file has it. */
export interface DbtMacro {
  name: string;
  /** `macros/dbt/<file>.sql`, for error messages. */
  file: string;
  /** Line of the `{% macro %}` tag in that file. */
  line: number;
  text: string;
}

let cached: DbtMacro[] | undefined;

/** Where the macro sources are: beside the sources (`src/macros/dbt`) or the bundle (`dist/macros/dbt`). */
function macroFolder(): string {
  const candidates = [new URL('../macros/dbt/', import.meta.url), new URL('./macros/dbt/', import.meta.url)];
  for (const candidate of candidates) {
    const path = fileURLToPath(candidate);
    if (existsSync(path)) return path;
  }
  throw new Error(
    `dbt's macro sources are missing (looked in ${candidates.map((c) => fileURLToPath(c)).join(', ')})`,
  );
}

/**
 * dbt's `dbt` namespace: the cross-database macros (`dateadd`, `datediff`, `type_string`, …) and
 * their `default__` / `duckdb__` / `postgres__` implementations, read once from `macros/dbt/*.sql`.
 */
export function dbtMacros(): readonly DbtMacro[] {
  if (cached) return cached;
  const folder = macroFolder();
  const macros: DbtMacro[] = [];
  for (const entry of readdirSync(folder)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    const text = readFileSync(`${folder}/${entry}`, 'utf8');
    for (const block of findBlocks(text)) {
      if (block.kind !== 'macro' || block.end < 0) continue;
      macros.push({
        name: block.name,
        file: `macros/dbt/${entry}`,
        line: block.line,
        text: text.slice(block.start, block.end),
      });
    }
  }
  cached = macros;
  return macros;
}
