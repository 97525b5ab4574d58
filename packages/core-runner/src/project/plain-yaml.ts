/**
 * A fast reader for the plain YAML that properties files are made of — block mappings and
 * sequences, one-line plain and quoted scalars, one-line flow collections, `|`/`>` block scalars,
 * comments — giving what the `yaml` library gives (`doc.toJS()`, YAML 1.2 core schema) and the
 * line of every node (the table `YamlFile.lines()` gives), without building a document.
 *
 * Anchors and aliases on block values are followed (an alias is the anchored object itself, as
 * the library's). It answers only when it is sure: anything else — tags, anchors in flow
 * collections, tabs, CR line ends,
 * documents markers, multi-line plain or quoted scalars, complex keys, duplicate keys, a number
 * form beyond plain integers and decimals, any irregular indentation or syntax error — returns
 * undefined and the caller parses the text with the library, which also reports errors with their
 * positions. `plain-yaml.test.ts` checks both readers agree on every YAML file of the repository
 * and on a set of edge cases.
 *
 * @example
 * readPlainYaml('models:\n  - name: a\n    data_tests: [unique]\n');
 * // → { value: { models: [{ name: 'a', data_tests: ['unique'] }] },
 * //     lines: { '[]': 1, '["models"]': 2, '["models",0]': 2, '["models",0,"name"]': 2, … } }
 */
export function readPlainYaml(text: string): { value: unknown; lines: Record<string, number> } | undefined {
  if (text.includes('\t') || text.includes('\r') || text.charCodeAt(0) === 0xfeff) return undefined;
  try {
    const reader = new PlainYamlReader(text);
    return reader.read();
  } catch (error) {
    if (error instanceof NotPlain) return undefined;
    throw error;
  }
}

class NotPlain extends Error {}
const notPlain = (): never => {
  throw new NotPlain();
};

/**
 * A node's path as the start of its JSON text (`["models",0` for models[0]; `[` for the root):
 * the line table's key is `path + ']'`, a child's path `path + ',' + key` — no arrays to copy.
 */
type Path = string;
const rootPath: Path = '[';
const child = (path: Path, key: string | number): Path =>
  `${path === rootPath ? path : `${path},`}${typeof key === 'number' ? key : JSON.stringify(key)}`;

interface Line {
  /** 0-based index in the file. */
  index: number;
  /** Column where `text` starts (for a sequence item's content, the column after `- `). */
  indent: number;
  text: string;
}

const nullPattern = /^(?:~|null|Null|NULL)$/;
const boolPattern = /^(?:true|True|TRUE|false|False|FALSE)$/;
const intPattern = /^-?[0-9]+$/;
const decimalPattern = /^-?[0-9]+\.[0-9]+$/;
/** Every form the core schema reads as a number (ints, octal, hex, floats, inf, nan). */
const coreNumber =
  /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

class PlainYamlReader {
  readonly #lines: Line[] = [];
  #at = 0;
  readonly #table: Record<string, number> = {};
  readonly #anchors = new Map<string, unknown>();
  /** Raw lines of the file (block scalars read them as they are). */
  readonly #raw: string[];

  constructor(text: string) {
    this.#raw = text.split('\n');
    for (let index = 0; index < this.#raw.length; index++) {
      const raw = this.#raw[index] as string;
      let indent = 0;
      while (raw.charCodeAt(indent) === 32) indent++;
      if (indent === raw.length || raw.charCodeAt(indent) === 35 /* # */) continue;
      if (indent === 0 && /^(?:---|\.\.\.|%)/.test(raw)) notPlain();
      this.#lines.push({ index, indent, text: raw.slice(indent) });
    }
  }

  read(): { value: unknown; lines: Record<string, number> } {
    if (this.#lines.length === 0) return { value: null, lines: {} };
    const first = this.#lines[0] as Line;
    if (first.indent !== 0 || !(isSeqItem(first.text) || keyOf(first.text))) notPlain();
    const value = this.#block(0, rootPath);
    if (this.#at !== this.#lines.length) notPlain();
    return { value, lines: this.#table };
  }

  #note(path: Path, lineIndex: number): void {
    this.#table[`${path}]`] = lineIndex + 1;
  }

  /** A block node at exactly the indent of the next line (a mapping or a sequence). */
  #block(indent: number, path: Path): unknown {
    const line = this.#lines[this.#at] as Line;
    if (line.indent !== indent) notPlain();
    if (isSeqItem(line.text)) return this.#sequence(indent, path);
    return this.#mapping(indent, path);
  }

  #sequence(indent: number, path: Path): unknown[] {
    const items: unknown[] = [];
    this.#note(path, (this.#lines[this.#at] as Line).index);
    while (this.#at < this.#lines.length) {
      const line = this.#lines[this.#at] as Line;
      if (line.indent < indent) break;
      if (line.indent > indent) notPlain();
      if (!isSeqItem(line.text)) break;
      const itemPath = child(path, items.length);
      let rest = 1;
      while (line.text.charCodeAt(rest) === 32) rest++;
      if (rest === line.text.length || line.text.charCodeAt(rest) === 35 /* # */) {
        // `-` alone: the item is the block below, or null
        this.#at++;
        const next = this.#lines[this.#at];
        if (next && next.indent > indent) items.push(this.#block(next.indent, itemPath));
        else {
          this.#note(itemPath, line.index);
          items.push(null);
        }
        continue;
      }
      // the item's content starts on this line: read it as a line of its own at that column
      const content: Line = { index: line.index, indent: line.indent + rest, text: line.text.slice(rest) };
      this.#lines[this.#at] = content;
      if (isSeqItem(content.text) || keyOf(content.text)) {
        items.push(this.#block(content.indent, itemPath));
      } else {
        this.#at++;
        items.push(this.#inlineValue(content.text, content, itemPath, indent));
      }
    }
    return items;
  }

  #mapping(indent: number, path: Path): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    this.#note(path, (this.#lines[this.#at] as Line).index);
    while (this.#at < this.#lines.length) {
      const line = this.#lines[this.#at] as Line;
      if (line.indent < indent) break;
      if (line.indent > indent) notPlain();
      if (isSeqItem(line.text)) break;
      const entry = keyOf(line.text);
      if (!entry) return notPlain();
      const { key, valueAt } = entry;
      if (Object.hasOwn(map, key) || key === '__proto__' || key === '<<') notPlain();
      const valuePath = child(path, key);
      this.#at++;
      let start = valueAt;
      while (line.text.charCodeAt(start) === 32) start++;
      if (start === line.text.length || line.text.charCodeAt(start) === 35 /* # */) {
        // `key:` alone: the block below (a sequence may sit at the key's own indent), or null
        const next = this.#lines[this.#at];
        if (next && (next.indent > indent || (next.indent === indent && isSeqItem(next.text))))
          map[key] = this.#block(next.indent, valuePath);
        else {
          this.#note(valuePath, line.index);
          map[key] = null;
        }
        continue;
      }
      map[key] = this.#inlineValue(line.text.slice(start), line, valuePath, indent);
    }
    return map;
  }

  /**
   * A value starting on `line` (already consumed) at text `value`: a scalar, a flow collection or
   * a block scalar header. `parentIndent` is the indent of the mapping or sequence holding it.
   */
  #inlineValue(value: string, line: Line, path: Path, parentIndent: number): unknown {
    const c = value.charCodeAt(0);
    if (c === 38 /* & */) return this.#anchored(value, line, path, parentIndent);
    if (c === 42 /* * */) {
      // an alias: the anchored value itself (the library hands back the same object)
      const alias = /^\*([^\s,[\]{}]+)(?:\s+#.*|\s*)$/.exec(value);
      if (!alias || !this.#anchors.has(alias[1] as string)) return notPlain();
      const next = this.#lines[this.#at];
      if (next && next.indent > parentIndent) notPlain();
      this.#note(path, line.index);
      return this.#anchors.get(alias[1] as string);
    }
    this.#note(path, line.index);
    if (c === 124 /* | */ || c === 62 /* > */) return this.#blockScalar(value, line, parentIndent);
    const next = this.#lines[this.#at];
    // a value continued on a more indented line (a multi-line plain or quoted scalar)
    if (next && next.indent > parentIndent && next.index > line.index) notPlain();
    if (c === 91 /* [ */ || c === 123 /* { */) {
      const flow = new FlowReader(value, line.index, this.#table);
      const result = flow.value(path);
      flow.end();
      return result;
    }
    if (c === 39 /* ' */ || c === 34 /* " */) {
      const { text, end } = quoted(value, 0);
      afterScalar(value, end);
      return text;
    }
    return plainScalar(blockPlainText(value));
  }

  /** `&name value` or `&name` over a block: the value, remembered for `*name`. */
  #anchored(value: string, line: Line, path: Path, parentIndent: number): unknown {
    const anchor = /^&([^\s,[\]{}]+)( +|$)/.exec(value);
    if (!anchor) return notPlain();
    const rest = value.slice(anchor[0].length);
    let result: unknown;
    if (rest === '' || rest.startsWith('#')) {
      const next = this.#lines[this.#at];
      if (!next || next.indent <= parentIndent) return notPlain();
      result = this.#block(next.indent, path);
    } else {
      const c = rest.charCodeAt(0);
      if (c === 38 || c === 42 || c === 124 || c === 62) return notPlain();
      result = this.#inlineValue(rest, line, path, parentIndent);
    }
    this.#anchors.set(anchor[1] as string, result);
    return result;
  }

  #blockScalar(header: string, line: Line, parentIndent: number): string {
    const match = /^([|>])([-+]?)(?:\s+#.*|\s*)$/.exec(header);
    if (!match) return notPlain();
    const [, style, chomp] = match as unknown as [string, string, string];
    if (chomp === '+') notPlain();
    // content: raw lines after the header, up to the first non-empty line indented at most parentIndent
    const raw = this.#raw;
    let end = line.index + 1;
    let blockIndent = -1;
    const content: string[] = [];
    for (; end < raw.length; end++) {
      const text = raw[end] as string;
      if (text === '') {
        content.push('');
        continue;
      }
      let spaces = 0;
      while (text.charCodeAt(spaces) === 32) spaces++;
      if (spaces === text.length) notPlain(); // a line of spaces only
      if (blockIndent < 0) {
        if (spaces <= parentIndent) break;
        blockIndent = spaces;
      }
      if (spaces < blockIndent) {
        if (spaces > parentIndent) notPlain();
        break;
      }
      content.push(text.slice(blockIndent));
    }
    if (blockIndent < 0) notPlain();
    // skip the structural lines that were inside the scalar
    while (this.#at < this.#lines.length && (this.#lines[this.#at] as Line).index < end) this.#at++;
    while (content.length > 0 && content[content.length - 1] === '') content.pop();
    let text: string;
    if (style === '|') text = content.join('\n');
    else {
      // Folding: a break between two lines of text becomes a space, or is dropped when empty lines
      // stand in between (each gives a break); next to a more-indented line breaks are kept.
      text = '';
      let blank = 0;
      let previous: string | undefined;
      for (const part of content) {
        if (part === '') {
          blank++;
          continue;
        }
        if (previous === undefined) text += '\n'.repeat(blank);
        else if (previous[0] === ' ' || part[0] === ' ') text += '\n'.repeat(blank + 1);
        else text += blank > 0 ? '\n'.repeat(blank) : ' ';
        blank = 0;
        previous = part;
        text += part;
      }
    }
    return chomp === '-' || text === '' ? text : `${text}\n`;
  }
}

const isSeqItem = (text: string): boolean =>
  text.charCodeAt(0) === 45 /* - */ && (text.length === 1 || text.charCodeAt(1) === 32);

/** `key:` at the start of a line: the key and the offset after the colon, or undefined. */
function keyOf(text: string): { key: string; valueAt: number } | undefined {
  const c = text.charCodeAt(0);
  // a flow collection, an anchored value or an alias
  if (c === 91 /* [ */ || c === 123 /* { */ || c === 38 /* & */ || c === 42 /* * */) return undefined;
  if (c === 39 || c === 34) {
    const { text: key, end } = quoted(text, 0);
    let at = end;
    while (text.charCodeAt(at) === 32) at++;
    if (text.charCodeAt(at) !== 58 /* : */) return undefined;
    if (at + 1 < text.length && text.charCodeAt(at + 1) !== 32) return undefined;
    return { key, valueAt: at + 1 };
  }
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  if (colon + 1 < text.length && text.charCodeAt(colon + 1) !== 32) {
    // `a:b: c` and the like
    return /: |:$/.test(text.slice(colon + 1)) ? notPlain() : undefined;
  }
  const key = text.slice(0, colon).trimEnd();
  if (key.length > 1000) notPlain(); // the library limits implicit keys to 1024 characters
  if (!/^[A-Za-z_+$][\w+\-./$ ]*$/.test(key) || key.includes(' #')) return notPlain();
  if (plainScalar(key) !== key) notPlain(); // a key the core schema reads as null, a bool or a number
  return { key, valueAt: colon + 1 };
}

/** A quoted scalar starting at `from` on one line: its text and the offset after the closing quote. */
function quoted(text: string, from: number): { text: string; end: number } {
  const quote = text[from];
  let out = '';
  for (let i = from + 1; i < text.length; i++) {
    const c = text[i] as string;
    if (quote === "'") {
      if (c === "'") {
        if (text[i + 1] === "'") {
          out += "'";
          i++;
          continue;
        }
        return { text: out, end: i + 1 };
      }
      out += c;
    } else {
      if (c === '"') return { text: out, end: i + 1 };
      if (c === '\\') {
        const e = text[++i];
        const escaped =
          e === '"' || e === '\\' || e === '/' ? e : e === 'n' ? '\n' : e === 't' ? '\t' : undefined;
        if (escaped === undefined) return notPlain();
        out += escaped;
        continue;
      }
      out += c;
    }
  }
  return notPlain(); // continued on the next line
}

/** Only spaces and a comment may follow a scalar on its line. */
function afterScalar(text: string, at: number): void {
  let i = at;
  while (text.charCodeAt(i) === 32) i++;
  if (i < text.length && !(text.charCodeAt(i) === 35 && i > at)) notPlain();
}

/** A plain scalar's text in block context: up to a ` #` comment, trailing spaces dropped. */
function blockPlainText(value: string): string {
  const first = value[0] as string;
  if ('[]{},#&*!|>%@`\'"'.includes(first)) notPlain();
  if ((first === '-' || first === '?' || first === ':') && (value.length === 1 || value[1] === ' '))
    notPlain();
  const comment = value.indexOf(' #');
  const text = (comment >= 0 ? value.slice(0, comment) : value).trimEnd();
  if (text.includes(': ') || text.endsWith(':')) notPlain();
  return text;
}

/** The core schema's reading of a plain scalar (null, booleans, integers, decimals; else text). */
function plainScalar(text: string): unknown {
  if (text === '' || nullPattern.test(text)) return null;
  if (boolPattern.test(text)) return text.charCodeAt(0) === 116 || text.charCodeAt(0) === 84; // t or T
  if (intPattern.test(text)) {
    const value = Number(text);
    return Number.isSafeInteger(value) ? value : notPlain();
  }
  if (decimalPattern.test(text)) return Number(text);
  if (coreNumber.test(text)) return notPlain(); // a number in another form: the library reads it
  return text;
}

/** One-line flow collections: `[a, 'b', {c: 1}]`, `{ to: "ref('x')", field: id }`. */
class FlowReader {
  #at = 0;
  constructor(
    private readonly text: string,
    private readonly lineIndex: number,
    private readonly table: Record<string, number>,
  ) {}

  #space(): void {
    while (this.text.charCodeAt(this.#at) === 32) this.#at++;
  }

  end(): void {
    this.#space();
    if (this.#at < this.text.length && this.text.charCodeAt(this.#at) !== 35) notPlain();
  }

  value(path: Path): unknown {
    this.#space();
    this.table[`${path}]`] = this.lineIndex + 1;
    const c = this.text[this.#at];
    if (c === '[') {
      this.#at++;
      const items: unknown[] = [];
      for (;;) {
        this.#space();
        if (this.text[this.#at] === ']') {
          this.#at++;
          return items;
        }
        items.push(this.value(child(path, items.length)));
        this.#space();
        const next = this.text[this.#at++];
        if (next === ']') return items;
        if (next !== ',') notPlain();
      }
    }
    if (c === '{') {
      this.#at++;
      const map: Record<string, unknown> = {};
      for (;;) {
        this.#space();
        if (this.text[this.#at] === '}') {
          this.#at++;
          return map;
        }
        const key = this.#scalar(true);
        if (typeof key !== 'string' || Object.hasOwn(map, key) || key === '__proto__' || key === '<<')
          return notPlain();
        this.#space();
        if (this.text[this.#at] !== ':') notPlain();
        this.#at++;
        this.#space();
        const after = this.text[this.#at];
        if (after === ',' || after === '}' || after === undefined) notPlain(); // an empty value
        map[key] = this.value(child(path, key));
        this.#space();
        const next = this.text[this.#at++];
        if (next === '}') return map;
        if (next !== ',') notPlain();
      }
    }
    return this.#scalar(false);
  }

  #scalar(isKey: boolean): unknown {
    const c = this.text[this.#at];
    if (c === "'" || c === '"') {
      const { text, end } = quoted(this.text, this.#at);
      this.#at = end;
      return text;
    }
    if (c === undefined || '[]{},#&*!|>%@`:?-'.includes(c)) {
      // `-5` and `-x` are plain; a lone indicator is not
      if (c !== '-' || this.text[this.#at + 1] === ' ' || this.text[this.#at + 1] === undefined) notPlain();
    }
    const start = this.#at;
    while (this.#at < this.text.length) {
      const ch = this.text[this.#at] as string;
      if (ch === ',' || ch === ']' || ch === '}' || ch === '[' || ch === '{') break;
      if (ch === ':' && (this.text[this.#at + 1] === ' ' || isKey)) break;
      if (ch === '#' && this.text[this.#at - 1] === ' ') notPlain();
      this.#at++;
    }
    const text = this.text.slice(start, this.#at).trimEnd();
    if (text === '' || text.includes(': ')) notPlain();
    const value = plainScalar(text);
    if (isKey && value !== text) notPlain();
    return value;
  }
}
