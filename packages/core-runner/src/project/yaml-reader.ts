import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { ShopsmartError } from '../errors.js';

/** A parsed YAML file that can tell the line of any path in it. */
export interface YamlFile {
  file: string;
  value: unknown;
  /** 1-based line of the node at `path`, or of the closest existing parent. */
  lineOf(path: (string | number)[]): number;
}

/**
 * Parses YAML, keeping positions so later stages can report `file:line`.
 * Syntax errors come back as ShopsmartErrors (collected by the caller), never thrown.
 */
export function readYaml(text: string, file: string): { yaml?: YamlFile; errors: ShopsmartError[] } {
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
  return { yaml: { file, value: doc.toJS() ?? {}, lineOf }, errors: [] };
}
