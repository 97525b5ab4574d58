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
// \u0000–\u0002 in a key (built from its code points: a regex literal holding them is flagged by the linter)
const separator = new RegExp(`[${String.fromCharCode(0)}-${String.fromCharCode(2)}]`);

/** The value as JSON with its undefined properties listed, or undefined when JSON cannot carry it. */
export function encodeJson(value: unknown): JsonEncoded | undefined {
  const undefinedAt: string[] = [];
  // the objects holding an undefined property and its key (same order as undefinedAt)
  const holders: Record<string, unknown>[] = [];
  const holderKeys: string[] = [];
  // keys and array indexes down to the value being checked; joined only for an undefined one
  const path: (string | number)[] = [];
  const plain = (v: unknown): boolean => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v !== marker;
    if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
    if (typeof v !== 'object') return false;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const item = v[i];
        if (item === undefined || !(i in v)) return false;
        if (item === null || typeof item === 'string' || typeof item === 'boolean') {
          if (item === marker) return false;
          continue;
        }
        path.push(i);
        const ok = plain(item);
        path.pop();
        if (!ok) return false;
      }
      return true;
    }
    if (Object.getPrototypeOf(v) !== Object.prototype) return false;
    const keys = Object.keys(v);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k] as string;
      if (separator.test(key)) return false;
      const item = (v as Record<string, unknown>)[key];
      if (item === undefined) {
        undefinedAt.push([...path, key].join(keySeparator));
        holders.push(v as Record<string, unknown>);
        holderKeys.push(key);
        continue;
      }
      if (typeof item === 'string') {
        if (item === marker) return false;
        continue;
      }
      path.push(key);
      const ok = plain(item);
      path.pop();
      if (!ok) return false;
    }
    return true;
  };
  if (!plain(value)) return undefined;
  let json = stringifyWithMarkers(value, holders, holderKeys);
  // each UTF-16 unit of a non-ASCII character as a \u escape (a surrogate pair as two)
  if (nonAscii.test(json)) json = json.replace(nonAsciiUnits, escapeUnits);
  return { json, undefinedAt: undefinedAt.join(pathSeparator) };
}

/**
 * JSON text with each undefined property written as the marker. A replacer function makes
 * `JSON.stringify` several times slower (~50 ms for ShopSmart's 2.9 MB manifest and its ~3,000
 * undefined properties), so the marker is put in place, the value stringified without one, and
 * undefined put back before returning (nothing else runs in between); a property that cannot be
 * written so (read-only, an accessor, in a frozen object) takes the replacer.
 */
function stringifyWithMarkers(value: unknown, holders: Record<string, unknown>[], keys: string[]): string {
  if (holders.length === 0) return JSON.stringify(value);
  for (let i = 0; i < holders.length; i++) {
    const descriptor = Object.getOwnPropertyDescriptor(holders[i], keys[i] as string);
    if (!descriptor?.writable) return JSON.stringify(value, (_key, v) => (v === undefined ? marker : v));
  }
  let set = 0;
  try {
    for (; set < holders.length; set++)
      (holders[set] as Record<string, unknown>)[keys[set] as string] = marker;
    return JSON.stringify(value);
  } finally {
    for (let i = 0; i < set; i++) (holders[i] as Record<string, unknown>)[keys[i] as string] = undefined;
  }
}

const nonAscii = /[\u0080-\uffff]/;
/** Each non-ASCII UTF-16 unit (no `u` flag: several times faster on a large manifest, same escapes). */
const nonAsciiUnits = /[\u0080-\uffff]/g;

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
