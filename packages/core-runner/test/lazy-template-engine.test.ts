import { afterAll, describe, expect, it } from 'vitest';
import { buildManifest, type ProjectDefinition, readProject, SqlCompiler } from '../src/index.js';
import { ParseScope } from '../src/template/parse-scope.js';
import { macroFileParsesStatically } from '../src/template/static-renderer.js';
import { TemplateEngine } from '../src/template/template-engine.js';
import { VarResolver } from '../src/template/var-resolver.js';
import { type Fixture, writeFixture } from './fixture-project.js';

/**
 * The template engine's environment (minijinja, WASM) is built on first use: a project whose every
 * node takes the static path never builds it, yet a macro file that may not parse is still
 * compiled while parsing so its error is raised as before.
 */
const staticProject = {
  'dbt_project.yml': 'name: lazy\nprofile: lazy\n',
  'macros/money.sql':
    '{% macro cents_to_dollars(column, scale=2) -%}\nround({{ column }} / 100.0, {{ scale }})\n{%- endmacro %}\n\n{% test positive(model, column_name) %}select * from {{ model }} where {{ column_name }} < 0{% endtest %}\n',
  'seeds/seed_numbers.csv': 'n\n1\n2\n',
  'models/m_0.sql':
    "select n as id, {{ cents_to_dollars('n * 3') }} as amount from {{ ref('seed_numbers') }}\n",
  'models/m_1.sql':
    "{{ config(materialized='view') }}\nselect id, {{ cents_to_dollars('amount * 100', 4) }} as amount from {{ ref('m_0') }}\n",
};

const fixtures: Fixture[] = [];
afterAll(() => {
  for (const f of fixtures) f.remove();
});

const runStartedAt = new Date('2026-01-02T03:04:05.000Z');

async function parse(files: Record<string, string>, staticParse = true) {
  const fx = writeFixture(files, { name: 'lazy' });
  fixtures.push(fx);
  const definition: ProjectDefinition = await readProject(fx.dir);
  const target = definition.targets[definition.defaultTarget];
  if (!target) throw new Error('no target');
  return buildManifest({ definition, target, invocationId: 'same', runStartedAt, staticParse });
}

describe('lazy template engine', () => {
  it('never builds the environment when every node takes the static path', async () => {
    const project = await parse(staticProject);
    const compiler = new SqlCompiler(project);
    const fast = [...project.parsed.keys()].map((id) => compiler.compile(id));
    expect(fast).toHaveLength(2);
    expect(project.engine.environmentBuilt).toBe(false);
    // the same compiled SQL as the engine path, which builds it
    const slow = await parse(staticProject, false);
    const slowCompiler = new SqlCompiler(slow);
    expect([...slow.parsed.keys()].map((id) => slowCompiler.compile(id))).toEqual(fast);
    expect(slow.engine.environmentBuilt).toBe(true);
    expect(fast[1]).toContain('round(amount * 100 / 100.0, 4)');
  });

  it('builds it on the first render that needs it, with the macros and flags set before', async () => {
    const project = await parse(staticProject);
    const engine = project.engine;
    engine.setRunContext({ flags: { WHICH: 'compile' } });
    expect(engine.environmentBuilt).toBe(false);
    const vars = new VarResolver({}, {}, new Map());
    const out = engine.render({
      file: 'models/adhoc.sql',
      source: "{% if true %}{{ cents_to_dollars('x') }} {{ flags.WHICH }}{% endif %}",
      layer: 'lazy',
      scope: new ParseScope('lazy', vars, {}),
    });
    expect(out).toBe('round(x / 100.0, 2) compile');
    expect(engine.environmentBuilt).toBe(true);
  });

  it('still raises a macro file syntax error while parsing an all-static project', async () => {
    const broken = {
      ...staticProject,
      'macros/broken.sql': '{% macro broken(x) %}{% if x %}{{ x }}{% endmacro %}\n',
    };
    await expect(parse(broken)).rejects.toThrow(/macros\/broken\.sql.*does not parse|does not parse/);
  });

  it('compiles a macro file it cannot vouch for while parsing, even when unused', async () => {
    const project = await parse({
      ...staticProject,
      'macros/other.sql': '{% macro pick(x) %}{% if x %}a{% else %}b{% endif %}{% endmacro %}\n',
    });
    expect(project.engine.environmentBuilt).toBe(true);
  });

  it('vouches only for files of macros that print their parameters', () => {
    expect(macroFileParsesStatically('{% macro m(x, y=2) -%}\n{{ x }}+{{ y }}\n{%- endmacro %}\n')).toBe(
      true,
    );
    expect(
      macroFileParsesStatically('-- notes\n{% test t(model) %}select 1 from {{ model }}{% endtest %}'),
    ).toBe(true);
    expect(macroFileParsesStatically('')).toBe(true);
    for (const text of [
      '{% macro m(x) %}{% if x %}1{% endif %}{% endmacro %}',
      '{% macro m(x) %}{{ x }}{% endmacro %}{{ stray }}',
      '{% macro m(x) %}{{ x }}',
      '{% macro m(none) %}{{ none }}{% endmacro %}',
      '{% macro if(x) %}{{ x }}{% endmacro %}',
      '{% docs d %}text{% enddocs %}',
      '{# comment #}{% macro m(x) %}{{ x }}{% endmacro %}',
      '{% macro m(x) %}{{ x | upper }}{% endmacro %}',
    ])
      expect(macroFileParsesStatically(text), text).toBe(false);
  });

  it('builds nothing for engines made of trusted files only, until asked', () => {
    const engine = new TemplateEngine([
      {
        layer: 'a',
        visible: ['a'],
        files: [
          { path: 'm.sql', text: '{% macro m() %}{{ range(2) | length }}{% endmacro %}', names: ['m'] },
        ],
        trusted: true,
      },
    ]);
    expect(engine.environmentBuilt).toBe(false);
    expect(engine.staticMacro('a', 'm')).toBeUndefined();
    expect(engine.macrosVisibleFrom('a').has('m')).toBe(true);
    expect(engine.environmentBuilt).toBe(false);
  });
});
