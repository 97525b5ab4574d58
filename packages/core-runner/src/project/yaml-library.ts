import { createRequire } from 'node:module';

type YamlModule = typeof import('yaml');
let yaml: YamlModule | undefined;

/**
 * The YAML library, loaded on first use: a command answered from the parse cache (a warm `ls`,
 * `compile -s`) never parses YAML, and loading the library costs as much as the rest of such a
 * command.
 *
 * @example
 * yamlLibrary().parse('a: 1'); // → { a: 1 }
 */
export function yamlLibrary(): YamlModule {
  yaml ??= createRequire(import.meta.url)('yaml') as YamlModule;
  return yaml;
}
