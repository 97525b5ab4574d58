import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { throwIfAny } from '../errors.js';
import { parseSelectorDefinitions, type SelectorDefinitions } from '../graph/selector-definitions.js';

export const SELECTORS_FILE = 'selectors.yml';

/**
 * The project's YAML selectors (`selectors.yml` beside dbt_project.yml / shopsmart.yml), or
 * undefined when there is none. Every problem in the file is thrown at once, each with its line.
 *
 * @example
 * const selectors = readSelectorsFile(project.definition.rootDir);
 * selectNodes(graph, { selectors, selector: 'nightly' });
 */
export function readSelectorsFile(rootDir: string): SelectorDefinitions | undefined {
  const path = join(rootDir, SELECTORS_FILE);
  if (!existsSync(path)) return undefined;
  const { definitions, errors } = parseSelectorDefinitions(readFileSync(path, 'utf8'), SELECTORS_FILE);
  throwIfAny(errors);
  return definitions;
}
