/**
 * Python's `str()` and `repr()` of YAML values, where dbt's names and hashes depend on them
 * (generic test names, test unique ids): booleans are `True`/`False`, null is `None`, strings
 * are quoted as Python quotes them.
 *
 * @example
 * pythonRepr({ b: [true, null, "it's"] }); // → "{'b': [True, None, \"it's\"]}"
 * pythonStr(false); // → 'False'
 */
export function pythonStr(value: unknown): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}

export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pythonFloat(value);
  if (typeof value === 'string') return pythonStringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${pythonStringRepr(k)}: ${pythonRepr(v)}`)
    .join(', ')}}`;
}

function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  return String(value);
}

/** Python's repr of a str: single quotes unless the text has ' and no ", escapes as Python does. */
function pythonStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  // most texts (names, columns, expressions) need no escape: quoted as they are
  if (!needsEscape(text, quote)) return quote + text + quote;
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (char === '\\') out += '\\\\';
    else if (char === quote) out += `\\${quote}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return out + quote;
}

/** Whether `text` holds a character `pythonStringRepr` escapes (a backslash, the quote, a control). */
function needsEscape(text: string, quote: string): boolean {
  return controlCharacter.test(text) || text.includes('\\') || text.includes(quote);
}

/** A character below space or DEL: neither printable ASCII nor beyond ASCII. */
const controlCharacter = /[^ -~\u0080-\uffff]/;
