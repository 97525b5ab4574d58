/** True when the text holds a wildcard that fnmatch would interpret. */
export function hasWildcard(text: string): boolean {
  return /[*?[]/.test(text);
}

const escapeRegex = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/**
 * Translates one fnmatch/pathlib wildcard into a regex body. `anyChar` is what `*` and `?` may cover
 * (any character for fnmatch, anything but `/` inside a path segment).
 */
function translate(pattern: string, anyChar: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*') out += `${anyChar}*`;
    else if (ch === '?') out += anyChar;
    else if (ch === '[') {
      // As in Python, a ']' right after '[' or '[!' is a member, not the end of the set.
      const close = pattern.indexOf(']', pattern[i + 1] === '!' ? i + 3 : i + 2);
      if (close === -1) {
        // Python treats an unclosed bracket as a literal '['.
        out += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      out += `[${negate ? '^' : ''}${body.replace(/[\\^\]]/g, '\\$&')}]`;
      i = close;
    } else out += escapeRegex(ch);
  }
  return out;
}

const fnmatchCache = new Map<string, RegExp>();

/** The compiled regex behind fnmatch, for callers that test one pattern against many names. */
export function fnmatchRegex(pattern: string): RegExp {
  let regex = fnmatchCache.get(pattern);
  if (!regex) {
    regex = new RegExp(`^${translate(pattern, '[\\s\\S]')}$`);
    fnmatchCache.set(pattern, regex);
  }
  return regex;
}

/**
 * Python's fnmatch, as dbt uses it for names, tags and packages: `*` any run of characters
 * (dots and slashes included), `?` one character, `[abc]`, `[!abc]`. Case-sensitive.
 *
 * @example
 * fnmatch('stg_shop__orders', 'stg_*');  // true
 * fnmatch('nightly', 'night?y');         // true
 */
export function fnmatch(text: string, pattern: string): boolean {
  return fnmatchRegex(pattern).test(text);
}

const pathCache = new Map<string, RegExp>();

/**
 * pathlib-style glob for a relative path: `*` and `?` stay inside one segment, a `**` segment
 * covers any number of folders (none included).
 *
 * @example
 * pathGlobMatch('models/core/dim_customers.sql', 'models/*\/dim_*.sql'); // true
 * pathGlobMatch('models/core/dim_customers.sql', 'models/**\/*.sql');    // true
 */
export function pathGlobMatch(path: string, pattern: string): boolean {
  let regex = pathCache.get(pattern);
  if (!regex) {
    const segments = pattern.split('/');
    let body = '';
    segments.forEach((segment, index) => {
      const last = index === segments.length - 1;
      if (segment === '**') body += last ? '.*' : '(?:[^/]+/)*';
      else body += translate(segment, '[^/]') + (last ? '' : '/');
    });
    regex = new RegExp(`^${body}$`);
    pathCache.set(pattern, regex);
  }
  return regex.test(path);
}
