/** A macro's name, parameters and where it is defined, read from its opening tag. */
export interface MacroSignature {
  name: string;
  /** `file` as the engine names it (`layer:path`) and the 1-based line of the opening tag. */
  file: string;
  line: number;
  params: { name: string; required: boolean }[];
}

const openTag = /\{%-?\s*(macro|test)\s+([A-Za-z_]\w*)\s*\(([^)]*)\)\s*-?%\}/g;

/**
 * The signatures of the macros (and generic tests, as `test_<name>`) in one macro file, so an
 * argument error can name the macro, what it takes and where it lives.
 *
 * @example
 * macroSignatures('{% macro cents(col, scale=2) %}…{% endmacro %}', 'shop:macros/cents.sql');
 * // → [{ name: 'cents', file: 'shop:macros/cents.sql', line: 1, params: [{ name: 'col', required: true }, { name: 'scale', required: false }] }]
 */
export function macroSignatures(text: string, file: string): MacroSignature[] {
  const found: MacroSignature[] = [];
  openTag.lastIndex = 0;
  for (let m = openTag.exec(text); m; m = openTag.exec(text)) {
    const name = m[1] === 'test' ? `test_${m[2]}` : (m[2] as string);
    const params = (m[3] as string)
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '')
      .map((p) => ({ name: p.split('=')[0]?.trim() ?? p, required: !p.includes('=') }));
    const line = text.slice(0, m.index).split('\n').length;
    found.push({ name, file, line, params });
  }
  return found;
}

/** `name(a, b=…)` for messages. */
export function signatureText(signature: MacroSignature): string {
  return `${signature.name}(${signature.params.map((p) => (p.required ? p.name : `${p.name}=…`)).join(', ')})`;
}
