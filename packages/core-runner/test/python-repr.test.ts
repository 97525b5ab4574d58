import { describe, expect, it } from 'vitest';
import { pythonRepr, pythonStr } from '../src/project/python-repr.js';

/** Python's repr() of YAML values (test names and unique ids hash it): plain and escaped strings alike. */
describe('pythonRepr', () => {
  it("quotes and escapes strings as Python's repr does", () => {
    const cases: [unknown, string][] = [
      ['amount >= 0', "'amount >= 0'"],
      ["it's", '"it\'s"'],
      ['say "hi"', '\'say "hi"\''],
      ['both \' and "', "'both \\' and \"'"],
      ['back\\slash', "'back\\\\slash'"],
      ['tab\there\nnew\rret', "'tab\\there\\nnew\\rret'"],
      ['bell\u0007del\u007f', "'bell\\x07del\\x7f'"],
      ['café …', "'café …'"],
      [{ b: [true, null, "it's", 1.5, 2] }, "{'b': [True, None, \"it's\", 1.5, 2]}"],
    ];
    for (const [value, repr] of cases) expect(pythonRepr(value), String(value)).toBe(repr);
    expect(pythonStr('plain')).toBe('plain');
    expect(pythonStr(false)).toBe('False');
  });
});
