/**
 * Plain data as JSON text for the parse cache: `JSON.parse` decodes a large manifest in about
 * two thirds of the CPU time `v8.deserialize` takes, which is most of a warm `ls`. JSON has no
 * `undefined`, so each undefined property is written as a marker and its path kept; decoding puts
 * `undefined` back in the same place (same key order). Data JSON cannot carry (a Map, a Date, a
 * class instance, a non-finite number, undefined in an array) is not encoded: `encode` answers
 * undefined and the caller keeps the value as it is.
 */
export interface JsonEncoded {
  json: string;
  /** Paths of the properties whose value is undefined. */
  undefinedAt: (string | number)[][];
}

const marker = '\u0000undefined\u0000';

/** The value as JSON with its undefined properties listed, or undefined when JSON cannot carry it. */
export function encodeJson(value: unknown): JsonEncoded | undefined {
  const undefinedAt: (string | number)[][] = [];
  const path: (string | number)[] = [];
  const plain = (v: unknown): boolean => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v !== marker;
    if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
    if (typeof v !== 'object') return false;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (v[i] === undefined || !(i in v)) return false;
        path.push(i);
        const ok = plain(v[i]);
        path.pop();
        if (!ok) return false;
      }
      return true;
    }
    if (Object.getPrototypeOf(v) !== Object.prototype) return false;
    for (const key of Object.keys(v)) {
      const item = (v as Record<string, unknown>)[key];
      path.push(key);
      if (item === undefined) undefinedAt.push([...path]);
      const ok = item === undefined || plain(item);
      path.pop();
      if (!ok) return false;
    }
    return true;
  };
  if (!plain(value)) return undefined;
  const json = JSON.stringify(value, (_key, v) => (v === undefined ? marker : v));
  return { json, undefinedAt };
}

/** The value `encodeJson` encoded. */
export function decodeJson<T>(encoded: JsonEncoded): T {
  const value = JSON.parse(encoded.json) as T;
  for (const path of encoded.undefinedAt) {
    let parent = value as Record<string | number, unknown>;
    for (let i = 0; i < path.length - 1; i++) parent = parent[path[i] as string] as typeof parent;
    parent[path[path.length - 1] as string] = undefined;
  }
  return value;
}
