import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildManifest, readProject, SqlCompiler } from '../src/index.js';
import { type Fixture, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterAll(() => {
  for (const f of fixtures) f.remove();
});

/**
 * `compile` asks for the parse cache to be written when the event loop next turns, so it is
 * serialised while a worker writes the compiled files: the cache written then must be the one a
 * parse writes at once, and serve the next parse.
 */
describe('parse cache saved later', () => {
  it('is written on the next turn of the event loop and answers the next parse', async () => {
    const fx = writeFixture({
      'macros/cents.sql': '{% macro cents(column) -%}\n({{ column }} / 100.0)\n{%- endmacro %}\n',
      'models/a.sql': 'select 100 as amount_cents\n',
      'models/b.sql': "select {{ cents('amount_cents') }} as amount from {{ ref('a') }}\n",
    });
    fixtures.push(fx);
    const definition = await readProject(fx.dir);
    const target = definition.targets[definition.defaultTarget];
    if (!target) throw new Error('no target');
    const parse = (saveCacheLater: boolean) =>
      buildManifest({ definition, target, partialParse: true, saveCacheLater });
    const cacheFile = join(definition.targetPath, 'partial_parse.bin');

    const first = parse(true);
    expect(first.parseCache?.status).toBe('full');
    expect(existsSync(cacheFile)).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(existsSync(cacheFile)).toBe(true);

    const second = parse(false);
    expect(second.parseCache?.status).toBe('hit');
    const compiled = (project: typeof first) => new SqlCompiler(project).compile('model.fixture.b');
    expect(compiled(second)).toBe(compiled(first));
    expect(compiled(second)).toContain('(amount_cents / 100.0) as amount from');
  });
});
