import { ShopsmartError } from '../errors.js';
import { readPlainYaml } from './plain-yaml.js';
import { yamlLibrary } from './yaml-library.js';

/** A parsed YAML file that can tell the line of any path in it. */
export interface YamlFile {
  file: string;
  value: unknown;
  /** 1-based line of the node at `path`, or of the closest existing parent. */
  lineOf(path: (string | number)[]): number;
  /**
   * The line of every node, keyed by its path as JSON: what the parse cache keeps so an unchanged
   * file needs no YAML parser next time (`yamlFromLines`).
   */
  lines?(): Record<string, number>;
}

/**
 * Parses YAML, keeping positions so later stages can report `file:line`.
 * Syntax errors come back as ShopsmartErrors (collected by the caller), never thrown.
 */
export function readYaml(text: string, file: string): YamlResult {
  return readHook ? readHook(text, file, parseYaml) : parseYaml(text, file);
}

export type YamlResult = { yaml?: YamlFile; errors: ShopsmartError[] };
type ReadHook = (text: string, file: string, parse: (text: string, file: string) => YamlResult) => YamlResult;
let readHook: ReadHook | undefined;

/**
 * Runs `work` with every `readYaml` going through `hook` (which may answer from a memo instead of
 * parsing): how the parse cache lets a warm command read the project files without the YAML
 * library. One hook at a time; a hook answers with what parsing the same text would give, so a
 * read it happens to see from other work is still right.
 */
export async function withYamlReads<T>(hook: ReadHook, work: () => Promise<T>): Promise<T> {
  const previous = readHook;
  readHook = hook;
  try {
    return await work();
  } finally {
    readHook = previous;
  }
}

/**
 * A plain file (nearly every properties file) read without the library's document model
 * (plain-yaml.ts); undefined for anything else. Cheap enough that the parse cache's memo does not
 * keep such files: they are read again.
 */
export function readPlainYamlFile(text: string, file: string): YamlResult | undefined {
  const plain = readPlainYaml(text);
  return plain ? { yaml: yamlFromLines(file, plain.value ?? {}, plain.lines), errors: [] } : undefined;
}

function parseYaml(text: string, file: string): YamlResult {
  return readPlainYamlFile(text, file) ?? parseYamlWithLibrary(text, file);
}

/**
 * The `yaml` library's reading of `text`: any YAML, and every error with its position. What the
 * plain reader must agree with wherever it answers (plain-yaml.test.ts compares the two).
 */
export function parseYamlWithLibrary(text: string, file: string): YamlResult {
  const { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } = yamlLibrary();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      errors: doc.errors.map(
        (error) =>
          new ShopsmartError('SSA-YAML-001', `invalid YAML: ${error.message.split('\n')[0]}`, {
            file,
            line: error.linePos?.[0]?.line ?? lineCounter.linePos(error.pos[0]).line,
            hint: 'check indentation and that every `key: value` pair is well formed',
          }),
      ),
    };
  }
  const lineOf = (path: (string | number)[]): number => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
      if (node && (isMap(node) || isSeq(node) || node.range)) {
        const offset = node.range?.[0] ?? 0;
        return lineCounter.linePos(offset).line;
      }
    }
    return 1;
  };
  const lines = (): Record<string, number> => {
    const table: Record<string, number> = {};
    const visit = (node: unknown, path: (string | number)[]) => {
      const range = (node as { range?: [number, number, number] } | null)?.range;
      if (isMap(node) || isSeq(node) || range)
        table[JSON.stringify(path)] = lineCounter.linePos(range?.[0] ?? 0).line;
      if (isMap(node)) {
        for (const item of node.items) {
          if (!isPair(item)) continue;
          const key = isScalar(item.key) ? item.key.value : item.key;
          if (typeof key === 'string' || typeof key === 'number') visit(item.value, [...path, key]);
        }
      } else if (isSeq(node)) {
        for (const [index, item] of node.items.entries()) visit(item, [...path, index]);
      }
    };
    visit(doc.contents, []);
    return table;
  };
  return { yaml: { file, value: doc.toJS() ?? {}, lineOf, lines }, errors: [] };
}

/** A YamlFile rebuilt from a value and the line table `lines()` gave, without parsing. */
export function yamlFromLines(file: string, value: unknown, table: Record<string, number>): YamlFile {
  const lineOf = (path: (string | number)[]): number => {
    for (let depth = path.length; depth >= 0; depth--) {
      const line = table[JSON.stringify(path.slice(0, depth))];
      if (line !== undefined) return line;
    }
    return 1;
  };
  return { file, value, lineOf, lines: () => table };
}
