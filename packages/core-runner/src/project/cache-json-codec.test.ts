import { describe, expect, it } from 'vitest';
import { decodeJson, encodeJson } from './cache-json-codec.js';

describe('cache JSON codec', () => {
  it('gives back undefined properties in their place and key order', () => {
    const value = {
      nodes: { 'model.a.x': { name: 'x', dataType: undefined, tags: ['t'], n: 1.5, ok: true } },
      empty: {},
      last: undefined,
      text: 'a\u0000b é → 😀',
    };
    const encoded = encodeJson(value);
    expect(encoded?.undefinedAt).toBe('nodes\u0000model.a.x\u0000dataType\u0001last');
    // ASCII only: read back without UTF-8 decoding
    expect(Buffer.byteLength(encoded?.json ?? '', 'utf8')).toBe(encoded?.json.length);
    const decoded = decodeJson<typeof value>(encoded as NonNullable<typeof encoded>);
    expect(decoded).toStrictEqual(value);
    expect(Object.keys(decoded.nodes['model.a.x'])).toEqual(['name', 'dataType', 'tags', 'n', 'ok']);
    expect(Object.hasOwn(decoded, 'last')).toBe(true);
  });

  it('leaves the value as it was, and encodes read-only undefined properties the same', () => {
    const make = () => ({
      a: { x: undefined, y: 1, z: undefined },
      shared: [] as unknown[],
      b: [{ c: undefined, d: 'd' }],
    });
    const value = make();
    // the same object reached twice: both places listed, both put back
    value.shared.push(value.a);
    const encoded = encodeJson(value);
    expect(value).toStrictEqual({ ...make(), shared: [make().a] });
    expect(Object.keys(value.a)).toEqual(['x', 'y', 'z']);
    expect(value.a.x).toBeUndefined();
    const frozen = make();
    frozen.shared.push(frozen.a);
    Object.freeze(frozen.b[0]);
    expect(encodeJson(frozen)).toEqual(encoded);
    expect(encoded?.undefinedAt.split('\u0001')).toEqual([
      'a\u0000x',
      'a\u0000z',
      'shared\u00000\u0000x',
      'shared\u00000\u0000z',
      'b\u00000\u0000c',
    ]);
    expect(decodeJson(encoded as NonNullable<typeof encoded>)).toStrictEqual(value);
  });

  it('refuses what JSON cannot carry', () => {
    for (const value of [
      { a: new Map() },
      { a: new Date(0) },
      { a: [1, undefined] },
      { a: Number.NaN },
      { a: -0 },
      { a: () => 1 },
      { a: 1n },
      { a: '\u0000undefined\u0000' },
      { 'a\u0001b': 1 },
      // biome-ignore lint/suspicious/noSparseArray: a hole is what is refused
      { a: [1, , 3] },
    ])
      expect(encodeJson(value), JSON.stringify(Object.keys(value))).toBeUndefined();
  });
});
