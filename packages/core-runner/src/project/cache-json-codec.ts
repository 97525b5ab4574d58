/**
 * Plain data as JSON text for the parse cache: `JSON.parse` decodes a large manifest in about
 * two thirds of the CPU time `v8.deserialize` takes, which is most of a warm `ls`. The text is
 * kept ASCII (other characters escaped), so it is read back as a one-byte string without UTF-8
 * decoding. JSON has no `undefined`, so each undefined property is written as a marker and its
 * path kept; decoding puts `undefined` back in the same place (same key order). Data JSON cannot
 * carry (a Map, a Date, a class instance, a non-finite number, undefined in an array) is not
 * encoded: `encode` answers undefined and the caller keeps the value as it is.
 */
export interface JsonEncoded {
  /** ASCII-only JSON. */
  json: string;
  /** Paths of the properties whose value is undefined: keys joined by `\u0000`, paths by `\u0001`. */
  undefinedAt: string;
}

const marker = '\u0000undefined\u0000';
const keySeparator = '\u0000';
const pathSeparator = '\u0001';
// \u0002 is kept free for the cache file, which splits its body there.
const hasSeparator = (key: string) =>
  key.includes('\u0000') || key.includes('\u0001') || key.includes('\u0002');

/** The value as JSON with its undefined properties listed, or undefined when JSON cannot carry it. */
export function encodeJson(value: unknown): JsonEncoded | undefined {
  const undefinedAt: string[] = [];
  const path: string[] = [];
  const plain = (v: unknown): boolean => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v !== marker;
    if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
    if (typeof v !== 'object') return false;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (v[i] === undefined || !(i in v)) return false;
        path.push(String(i));
        const ok = plain(v[i]);
        path.pop();
        if (!ok) return false;
      }
      return true;
    }
    if (Object.getPrototypeOf(v) !== Object.prototype) return false;
    for (const key of Object.keys(v)) {
      if (hasSeparator(key)) return false;
      const item = (v as Record<string, unknown>)[key];
      path.push(key);
      if (item === undefined) undefinedAt.push(path.join(keySeparator));
      const ok = item === undefined || plain(item);
      path.pop();
      if (!ok) return false;
    }
    return true;
  };
  if (!plain(value)) return undefined;
  // each UTF-16 unit of a non-ASCII character as a \u escape (a surrogate pair as two)
  const json = JSON.stringify(value, (_key, v) => (v === undefined ? marker : v)).replace(
    /[^\p{ASCII}]/gu,
    escapeUnits,
  );
  return { json, undefinedAt: undefinedAt.join(pathSeparator) };
}

function escapeUnits(character: string): string {
  let out = '';
  for (let i = 0; i < character.length; i++)
    out += `\\u${character.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/** The value `encodeJson` encoded. */
export function decodeJson<T>(encoded: JsonEncoded): T {
  const value = JSON.parse(encoded.json) as T;
  if (encoded.undefinedAt === '') return value;
  for (const text of encoded.undefinedAt.split(pathSeparator)) {
    const path = text.split(keySeparator);
    let parent = value as Record<string, unknown>;
    for (let i = 0; i < path.length - 1; i++) parent = parent[path[i] as string] as typeof parent;
    parent[path[path.length - 1] as string] = undefined;
  }
  return value;
}
