import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, queryWarehouse, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

describe('snapshots declared in YAML (dbt 1.9 form)', () => {
  it('snapshot the relation named in `relation:` with the YAML config', async () => {
    const fx = writeFixture({
      'seeds/plans.csv': 'plan_id,price,updated_at\n1,10,2024-01-01 00:00:00\n2,20,2024-01-01 00:00:00\n',
      'snapshots/_snapshots.yml': `version: 2
snapshots:
  - name: plans_history
    relation: ref('plans')
    description: Every price a plan has had.
    config:
      unique_key: plan_id
      strategy: timestamp
      updated_at: updated_at
`,
    });
    fixtures.push(fx);
    const first = await loadAndRun(fx.dir, { command: 'build' });
    expect(first.status).toMatchObject({ plans: 'success', plans_history: 'success' });
    fx.write({
      'seeds/plans.csv': 'plan_id,price,updated_at\n1,10,2024-01-01 00:00:00\n2,25,2024-03-01 00:00:00\n',
    });
    await loadAndRun(fx.dir, { command: 'build' });
    expect(
      await queryWarehouse(
        fx.warehouse,
        'select plan_id, price, dbt_valid_to is null as is_current from main.plans_history order by plan_id, dbt_valid_from',
      ),
    ).toEqual([
      { plan_id: 1, price: 10, is_current: true },
      { plan_id: 2, price: 20, is_current: false },
      { plan_id: 2, price: 25, is_current: true },
    ]);
  });
});
