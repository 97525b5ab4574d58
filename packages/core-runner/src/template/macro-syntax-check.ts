import { ShopsmartError } from '../errors.js';
import { testBlocksToMacros } from './block-extractor.js';
import { newEnvironment } from './minijinja-loader.js';

const errorLocation = /\(in .+?:(\d+)\)/;

/**
 * When a layer's combined macro module does not parse, the macro file at fault, checked one file
 * at a time (only on this failure path: parsing each file costs nothing when all is well), with
 * its own line: an unclosed `{% macro %}` would otherwise be blamed on the module as a whole.
 *
 * @example
 * macroSyntaxError([{ layer: 'shop', files: [{ path: 'macros/m.sql', text: '{% macro m() %}1' }] }], error);
 * // → [SSA-JINJA-004] shop:macros/m.sql:1: macro file does not parse: unexpected end of input, …
 */
export function macroSyntaxError(
  layers: { layer: string; files: { path: string; text: string }[] }[],
  original: unknown,
  prepare: (text: string) => string = testBlocksToMacros,
): ShopsmartError | undefined {
  const env = newEnvironment();
  env.enablePyCompat();
  for (const layer of layers) {
    for (const file of layer.files) {
      try {
        env.addTemplate(`${layer.layer}:${file.path}`, prepare(file.text));
      } catch (error) {
        const text = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
        const line = Number(errorLocation.exec(text)?.[1]) || undefined;
        const message = text.replace(errorLocation, '').trim();
        return new ShopsmartError('SSA-JINJA-004', `macro file does not parse: ${message}`, {
          file: `${layer.layer}:${file.path}`,
          line,
          cause: original,
          hint: /end of input/.test(message)
            ? 'a block opened at this line is never closed: add its {% endmacro %} (or {% endif %}, {% endfor %}, …)'
            : 'check the Jinja syntax at this line',
        });
      }
    }
  }
  return undefined;
}
