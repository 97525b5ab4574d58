/**
 * Python's Jinja accepts a backslash at the end of a line inside a string literal (the string goes
 * on without the line break, as in Python source); minijinja refuses it ("bad string escape").
 * Inside `{% %}` and `{{ }}` tags such a backslash and its line break are taken out of the string
 * and the line break is put back just after the string, where Jinja ignores it, so the string is
 * Python's and every line keeps its number.
 *
 * @example
 * stripLineContinuations("{% set m = 'a \\\nb' %}") // → "{% set m = 'a b'\n %}"
 */
export function stripLineContinuations(text: string): string {
  if (!/\\\r?\n/.test(text)) return text;
  return text.replace(/\{[{%][\s\S]*?[}%]\}/g, (tag) => (/\\\r?\n/.test(tag) ? fixTag(tag) : tag));
}

function fixTag(tag: string): string {
  let out = '';
  let i = 0;
  while (i < tag.length) {
    const c = tag[i] as string;
    if (c !== "'" && c !== '"') {
      out += c;
      i++;
      continue;
    }
    let literal = c;
    let breaks = '';
    i++;
    while (i < tag.length && tag[i] !== c) {
      if (tag[i] === '\\' && tag[i + 1] === '\n') {
        breaks += '\n';
        i += 2;
      } else if (tag[i] === '\\' && tag[i + 1] === '\r' && tag[i + 2] === '\n') {
        breaks += '\r\n';
        i += 3;
      } else if (tag[i] === '\\') {
        literal += tag.slice(i, i + 2);
        i += 2;
      } else {
        literal += tag[i];
        i++;
      }
    }
    out += `${literal}${tag[i] ?? ''}${breaks}`;
    i++;
  }
  return out;
}
