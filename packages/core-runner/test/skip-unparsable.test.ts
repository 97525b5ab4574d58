import { afterEach, describe, expect, it } from 'vitest';
import { buildManifest, readProject } from '../src/index.js';
import { caught, type Fixture, runFixture, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

// `--skip-unparsable`: trying a foreign dbt project node by node. dbt stops at the first parse
// error; with this option the nodes that do not parse, and what depends on them, are left out
// (each one a warning naming it) and the rest builds.
describe('skipUnparsableNodes', () => {
  const files = {
    'models/good.sql': 'select 1 as id\n',
    'models/broken.sql': 'select {{ no_such_macro() }} as id\n',
    'models/downstream.sql': "select * from {{ ref('broken') }}\n",
    'models/_models.yml':
      'version: 2\nmodels:\n  - name: broken\n    columns:\n      - name: id\n        data_tests: [not_null]\n  - name: good\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
  };

  it('leaves out what does not parse and its dependents, and builds the rest', async () => {
    const fx = writeFixture(files);
    fixtures.push(fx);
    const definition = await readProject(fx.dir);
    const target = definition.targets.dev;
    if (!target) throw new Error('no target');
    expect((await caught(() => buildManifest({ definition, target }))).message).toContain('no_such_macro');
    const warnings: string[] = [];
    const project = buildManifest({
      definition,
      target,
      skipUnparsableNodes: true,
      onWarning: (w) => warnings.push(w),
    });
    expect(warnings.map((w) => w.split(' left out: ')[0])).toEqual([
      'model.fixture.broken',
      'test.fixture.not_null_broken_id.259308ea2b',
      'model.fixture.downstream',
    ]);
    expect(warnings[1]).toContain('the node it tests (model.fixture.broken) did not parse');
    expect(warnings[0]).toContain('[SSA-JINJA-001] models/broken.sql:1:');
    const { status } = await runFixture(project, { command: 'build', threads: 1 });
    expect(status).toEqual({ good: 'success', not_null_good_id: 'pass' });
  });
});
