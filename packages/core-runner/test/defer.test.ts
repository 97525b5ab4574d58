import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildManifest,
  type DeferState,
  EventBus,
  executeRun,
  type ParsedProject,
  readProject,
  SqlCompiler,
} from '../src/index.js';
import { type Fixture, queryWarehouse, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

/** dev and prod outputs in two warehouse files, as shopsmart.yml's targets are. */
const profiles = (dir: string) => `fixture:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: ${join(dir, 'dev.duckdb')}
      threads: 2
    prod:
      type: duckdb
      path: ${join(dir, 'prod.duckdb')}
      threads: 2
`;

const models = {
  'models/orders.sql':
    "{{ config(materialized='table') }}\nselect 1 as order_id, 10 as amount union all select 2, 30\n",
  'models/order_totals.sql':
    "{{ config(materialized='table') }}\nselect sum(amount) as total from {{ ref('orders') }}\n",
  'models/report.sql': "select total * 2 as doubled from {{ ref('order_totals') }}\n",
};

async function open(dir: string, target: 'dev' | 'prod'): Promise<ParsedProject> {
  const definition = await readProject(dir);
  return buildManifest({
    definition,
    target: definition.targets[target] as NonNullable<(typeof definition.targets)['dev']>,
  });
}

/** What the CLI reads from a state manifest for --defer: every node's relation and the warehouse. */
function deferStateOf(project: ParsedProject): DeferState {
  const relations: DeferState['relations'] = {};
  for (const node of Object.values(project.manifest.nodes))
    if (node.relation) relations[node.uniqueId] = node.relation;
  return { relations, warehousePath: project.target.path };
}

describe('defer: unselected parents missing from the target are read from the state environment', () => {
  it('builds only the selection on dev, reading the unbuilt parent from the prod warehouse', async () => {
    const fx = writeFixture(models);
    fixtures.push(fx);
    fx.write({ 'profiles.yml': profiles(fx.dir) });
    const prod = await open(fx.dir, 'prod');
    expect(
      (await executeRun(prod, { command: 'build', events: new EventBus(), writeArtifacts: false })).success,
    ).toBe(true);

    fx.write({
      'models/order_totals.sql':
        "{{ config(materialized='table') }}\nselect sum(amount) + 1 as total from {{ ref('orders') }}\n",
    });
    const dev = await open(fx.dir, 'dev');
    const without = await executeRun(dev, {
      command: 'build',
      select: ['order_totals+'],
      events: new EventBus(),
      writeArtifacts: false,
    });
    expect(without.results.find((r) => r.uniqueId === 'model.fixture.order_totals')?.message).toBe(
      "model 'orders' has not been built in this warehouse yet: run `shopsmart run -s +orders` (or `shopsmart build`) first",
    );

    const logs: string[] = [];
    const deferred = await executeRun(dev, {
      command: 'build',
      select: ['order_totals+'],
      defer: deferStateOf(prod),
      events: new EventBus((e) => e.kind === 'log' && logs.push(e.message)),
      writeArtifacts: false,
    });
    expect(deferred.results.map((r) => [r.uniqueId, r.status]).sort()).toEqual([
      ['model.fixture.order_totals', 'success'],
      ['model.fixture.report', 'success'],
    ]);
    expect(logs).toContain('deferred: orders is read from "prod"."main"."orders"');
    expect(await queryWarehouse(join(fx.dir, 'dev.duckdb'), 'select * from main.report')).toEqual([
      { doubled: 82 },
    ]);
    expect(
      await queryWarehouse(
        join(fx.dir, 'dev.duckdb'),
        "select count(*) as n from information_schema.tables where table_name = 'orders'",
      ),
    ).toEqual([{ n: 0 }]);
    // prod is untouched
    expect(await queryWarehouse(join(fx.dir, 'prod.duckdb'), 'select * from main.report')).toEqual([
      { doubled: 80 },
    ]);
  });

  it('a parent that exists in the target is read there, not deferred', async () => {
    const fx = writeFixture(models);
    fixtures.push(fx);
    fx.write({ 'profiles.yml': profiles(fx.dir) });
    const prod = await open(fx.dir, 'prod');
    await executeRun(prod, { command: 'build', events: new EventBus(), writeArtifacts: false });
    const dev = await open(fx.dir, 'dev');
    await executeRun(dev, {
      command: 'run',
      select: ['orders'],
      events: new EventBus(),
      writeArtifacts: false,
    });
    const outcome = await executeRun(dev, {
      command: 'run',
      select: ['order_totals'],
      defer: deferStateOf(prod),
      events: new EventBus(),
    });
    expect(outcome.success).toBe(true);
    expect(new SqlCompiler(dev).compile('model.fixture.order_totals')).toContain(
      'from "dev"."main"."orders"',
    );
  });
});
