import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

describe('{{ log() }} in templates', () => {
  it('becomes a log event of the node when it runs, whether or not it renders again at run time', async () => {
    const fx = writeFixture({
      'models/plain.sql': "{{ log('building plain', info=True) }}select 1 as id",
      'models/counted.sql': `{% set n = run_query('select 41 + 1 as n').rows[0][0] if execute else 0 %}{{ log('counted ' ~ n, info=True) }}select {{ n }} as n`,
    });
    fixtures.push(fx);
    const { events, results } = await loadAndRun(fx.dir, { command: 'run' });
    expect(results.success).toBe(true);
    const logs = events
      .filter((e) => e.kind === 'log')
      .map((e) => (e.kind === 'log' ? [e.uniqueId, e.message] : []));
    expect(logs).toEqual(
      expect.arrayContaining([
        ['model.fixture.plain', 'building plain'],
        ['model.fixture.counted', 'counted 42'],
      ]),
    );
    expect(logs).toHaveLength(2);
  });
});
