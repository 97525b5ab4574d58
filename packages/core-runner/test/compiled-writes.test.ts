import { readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqlCompiler, writeManifestArtifacts } from '../src/index.js';
import { type Fixture, loadFixture, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterAll(() => {
  for (const f of fixtures) f.remove();
});

describe('compiled SQL files', () => {
  it('are written only when their text changed', async () => {
    const fx = writeFixture({
      'models/a.sql': 'select 1 as id\n',
      'models/b.sql': "select * from {{ ref('a') }}\n",
    });
    fixtures.push(fx);
    const compile = async () => {
      const project = await loadFixture(fx.dir);
      await writeManifestArtifacts(project, new SqlCompiler(project), true);
    };
    const file = (name: string) => join(fx.dir, 'target/compiled/fixture/models', name);
    await compile();
    const past = new Date('2020-01-01T00:00:00Z');
    for (const name of ['a.sql', 'b.sql']) utimesSync(file(name), past, past);
    fx.write({ 'models/a.sql': 'select 2 as id\n' });
    await compile();
    expect(readFileSync(file('a.sql'), 'utf8')).toBe('select 2 as id\n');
    expect(statSync(file('a.sql')).mtimeMs).toBeGreaterThan(past.getTime());
    expect(statSync(file('b.sql')).mtimeMs).toBe(past.getTime());
  });
});
