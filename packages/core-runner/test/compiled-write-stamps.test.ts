import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqlCompiler, writeManifestArtifacts } from '../src/index.js';
import { type Fixture, loadFixture, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterAll(() => {
  for (const f of fixtures) f.remove();
});

/**
 * Compiled files are known unchanged from the stamps of the last write (target/written_files.bin)
 * without reading them; anything that touched a file since, or a lost or broken stamps file,
 * falls back to comparing contents, so the files always end up holding the compiled SQL.
 */
describe('compiled file stamps', () => {
  it('skip unchanged files, and rewrite files edited, deleted or behind a broken stamps file', async () => {
    const fx = writeFixture({
      'models/a.sql': 'select 1 as id\n',
      'models/b.sql': "select * from {{ ref('a') }}\n",
      'models/c.sql': "select id + 1 as id from {{ ref('b') }}\n",
    });
    fixtures.push(fx);
    const compile = async () => {
      const project = await loadFixture(fx.dir);
      await writeManifestArtifacts(project, new SqlCompiler(project), true);
    };
    const file = (name: string) => join(fx.dir, 'target/compiled/fixture/models', name);
    const stamps = join(fx.dir, 'target/written_files.bin');
    const expected = {
      'a.sql': 'select 1 as id\n',
      'b.sql': 'select * from "wh"."main"."a"\n',
      'c.sql': 'select id + 1 as id from "wh"."main"."b"\n',
    };
    const expectCompiled = () => {
      for (const [name, text] of Object.entries(expected))
        expect(readFileSync(file(name), 'utf8'), name).toBe(text);
    };
    await compile();
    expectCompiled();
    const times = () => Object.keys(expected).map((name) => statSync(file(name)).mtimeMs);
    const before = times();
    await compile();
    expect(times()).toEqual(before);

    writeFileSync(file('a.sql'), 'select 9 as id\n'); // same size, other text
    rmSync(file('b.sql'));
    await compile();
    expectCompiled();
    expect(statSync(file('c.sql')).mtimeMs).toBe(before[2]);

    writeFileSync(file('c.sql'), 'edited by hand\n');
    writeFileSync(stamps, 'not a stamps file');
    await compile();
    expectCompiled();
    rmSync(stamps);
    writeFileSync(file('a.sql'), 'select 8 as id\n');
    await compile();
    expectCompiled();
  });
});
