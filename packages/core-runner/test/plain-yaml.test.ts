import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readPlainYaml } from '../src/project/plain-yaml.js';
import { yamlLibrary } from '../src/project/yaml-library.js';
import { parseYamlWithLibrary, readPlainYamlFile, readYaml } from '../src/project/yaml-reader.js';

/**
 * The fast reader of plain YAML (plain-yaml.ts) must give exactly what the `yaml` library gives —
 * the value and the line of every node — or nothing (then the library parses). Checked on every
 * YAML file of the repository and on edge cases of each construct.
 */
const root = dirname(dirname(dirname(dirname(fileURLToPath(import.meta.url)))));

/** Both readers on `text`: true when the fast one answered (and then agreed). */
function agree(text: string, label = text): boolean {
  const fast = readPlainYamlFile(text, label)?.yaml;
  if (fast === undefined) return false;
  const slow = parseYamlWithLibrary(text, label);
  expect(slow.errors, label).toEqual([]);
  expect(fast.value, label).toStrictEqual(slow.yaml?.value);
  expect(fast.lines?.(), label).toStrictEqual(slow.yaml?.lines?.());
  return true;
}

describe('plain YAML reader', () => {
  it("agrees with the library on every YAML file of the repository, and reads the project's own", () => {
    const files = execFileSync('git', ['ls-files', '*.yml', '*.yaml'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    expect(files.length).toBeGreaterThan(30);
    let fast = 0;
    let properties = 0;
    let propertiesFast = 0;
    for (const file of files) {
      const text = readFileSync(join(root, file), 'utf8');
      const read = agree(text, file);
      if (read) fast++;
      if (
        /^packages\/(staging|intermediate|marts|quality)\/(models|seeds|snapshots|macros|tests|analyses)\//.test(
          file,
        )
      ) {
        properties++;
        if (read) propertiesFast++;
        else console.log(`read by the library: ${file}`);
      }
    }
    expect(properties).toBeGreaterThan(20);
    // the layers' properties files are what a cold parse reads: all of them take the fast path
    expect(propertiesFast).toBe(properties);
    expect(fast).toBeGreaterThan(files.length / 2);
  });

  it('agrees on each construct', () => {
    const cases = [
      "a: 1\nb: two words\nc: \"q \\\" \\\\ \\n\"\nd: 'it''s'\ne:\nf: ~\ng: null\nh: True\ni: FALSE\n",
      'n: 007\nm: -12\nf: 1.50\ng: -0.25\ns: 1_000\nt: yes\nu: 2024-01-01\nv: 1.2.3\nw: v1\n',
      'a:   # note\n\nb:\n',
      '# head\nmodels:\n  - name: a   # trailing\n    description: x # c\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n',
      'list:\n- a\n-\n- {k: v, l: [1, 2]}\n- [x, "y", \'z\']\nnext: 1\n',
      'a:\n  - - x\n    - y\n  - -\n    - z\n',
      'a:\n  -\n    b: 1\n    c: 2\n  - d: [ ]\n    e: { }\n',
      'tests:\n  - relationships: { to: "ref(\'x\')", field: id }\n  - accepted_values:\n      values: [\'a\', "b c", 3, -4, true, null]\n',
      'd: |\n  line one\n    indented\n\n  last\nafter: 1\n',
      'd: |-\n  x\n\n\nafter: 1\n',
      'd: >-\n  one\n  two\n\n  three\n\n\n  four\ne: >\n  five\n  six\n\nf: 1\n',
      'd: >\n\n  lead\n  x\n',
      'd: >- # comment\n   text # not a comment\n   # not one either\nz: 0\n',
      '- a\n- b: 1\n  c:\n  - d\n',
      'k: a:b\nl: http://x.y/z\nm: a #b\nn: "a" # c\n',
      '\'quoted key\': 1\n"other key": 2\nplus+: 3\n+materialized: view\n',
      'a: [a:b, c]\nb: {x: [1, {y: z}]}\n',
      'a: -x\nb: [-y, -1]\n',
      '',
      '# only a comment\n',
      'x: 1\n\n\n',
      'a: &x\n  - p\n  - q\nb: *x\nc: &y v\nd: *y # same\ne: &z [1]\nf: &w\n  k: 1\ng: *w\n',
      'a:\n  - &r {x: 1}\n  - *r\n  - &s\n    y: 2\n  - *s\n',
      'a: &x\n\n  b: 1\n',
      'd: >-\n  a\n    b\n    c\n  d\n\n    e\n\n  f\n  g\n',
      'd: >\n  a\n\n    b\n\n\n  c\n',
      'a: >\n  x\n    more\n  y\n',
    ];
    for (const text of cases) expect(agree(text), text).toBe(true);
  });

  it('leaves everything else to the library', () => {
    const cases = [
      'a: *x\n',
      '- &a name: x\n',
      'd: >\n    a\n  b\n',
      'a: &x\nb: 1\n',
      'a: [&x 1, *x]\n',
      'a: &x |\n  t\n',
      'a: !!str 1\n',
      '---\na: 1\n',
      'a: 1\n---\nb: 2\n',
      '%YAML 1.2\n---\na: 1\n',
      'a:\tb\n',
      'a: 1\r\nb: 2\r\n',
      'a: one\n  two\n',
      'a: "one\n  two"\n',
      "a: 'one\n  two'\n",
      'a: [1,\n  2]\n',
      '? a\n: b\n',
      'a: 1\na: 2\n',
      '1: x\n',
      'true: x\n',
      'a: 0x1f\nb: 0o17\nc: 1e3\nd: .5\ne: +5\nf: .inf\ng: .nan\nh: 1.\n',
      'a: 123456789012345678901234567890\n',
      'a: |+\n  x\n\nb: 1\n',
      'a: |2\n   x\n',
      'a: b: c\n',
      'a:\n  b: 1\n   c: 2\n',
      'a:\n    b: 1\n  c: 2\n',
      'a: @x\n',
      'a: `x`\n',
      'a: "\\x41"\n',
      '<<: {a: 1}\n',
      '- a\nb: 1\n',
      'plain scalar\n',
      'a: {b: }\n',
      'a: [b # c\n  ]\n',
    ];
    for (const text of cases) expect(readPlainYaml(text), text).toBeUndefined();
  });

  it('hands back the anchored object for an alias, as the library does', () => {
    const text = 'a: &rows\n  - {id: 1}\nb: *rows\n';
    const fast = readPlainYaml(text)?.value as { a: unknown; b: unknown };
    const slow = yamlLibrary().parse(text) as { a: unknown; b: unknown };
    expect(slow.a).toBe(slow.b);
    expect(fast.a).toBe(fast.b);
  });

  it('is what readYaml answers with, lines included; errors still come from the library', () => {
    const text = 'models:\n  - name: a\n    columns:\n      - name: id\n';
    const { yaml, errors } = readYaml(text, 'models/x.yml');
    expect(errors).toEqual([]);
    expect(yaml?.value).toEqual({ models: [{ name: 'a', columns: [{ name: 'id' }] }] });
    expect(yaml?.lineOf(['models', 0, 'columns', 0, 'name'])).toBe(4);
    expect(yaml?.lineOf(['models', 0, 'missing'])).toBe(2);
    const bad = readYaml('models:\n  - name: a\n   bad: [\n', 'models/y.yml');
    expect(bad.errors[0]?.code).toBe('SSA-YAML-001');
    expect(bad.errors[0]?.line).toBeGreaterThan(1);
  });
});
