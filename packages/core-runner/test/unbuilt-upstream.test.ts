import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, queryWarehouse, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

/**
 * A seed, a snapshot of it, two models reading the snapshot (one through an ephemeral model),
 * one reading the seed, and a child: the shape of ShopSmart's facts reading snapshots.
 */
const shop = {
  'seeds/products.csv': 'product_id,price\n1,10\n2,20\n',
  'snapshots/snap_products.sql': `{% snapshot snap_products %}
{{ config(unique_key='product_id', strategy='check', check_cols='all') }}
select * from {{ ref('products') }}
{% endsnapshot %}
`,
  'models/current_products.sql': `select product_id, price from {{ ref('snap_products') }} where dbt_valid_to is null\n`,
  'models/product_history.sql': `{{ config(materialized='ephemeral') }}\nselect * from {{ ref('snap_products') }}\n`,
  'models/price_changes.sql':
    "select product_id, count(*) - 1 as changes from {{ ref('product_history') }} group by 1\n",
  'models/price_list.sql': "select * from {{ ref('products') }}\n",
  'models/expensive_products.sql': "select * from {{ ref('current_products') }} where price > 15\n",
  'models/schema.yml': `version: 2
models:
  - name: current_products
    columns:
      - name: product_id
        data_tests: [unique]
`,
};

const snapshotLine =
  "snapshot 'snap_products' has not been built in this warehouse yet: run `shopsmart snapshot` (or `shopsmart build`) first";

describe('a command reading relations it does not build, on a fresh warehouse', () => {
  it('fails the first reader of each missing relation with one line, before any SQL, and skips the rest', async () => {
    const fx = writeFixture(shop);
    fixtures.push(fx);
    const { results, status, events } = await loadAndRun(fx.dir, { command: 'run', threads: 1 });
    expect(results.success).toBe(false);
    const errors = results.results.filter((r) => r.status === 'error');
    expect(errors.map((r) => [r.uniqueId, r.message]).sort()).toEqual([
      [expect.stringMatching(/^model\.fixture\.(current_products|price_changes)$/), snapshotLine],
      [
        'model.fixture.price_list',
        "seed 'products' has not been loaded into this warehouse yet: run `shopsmart seed` (or `shopsmart build`) first",
      ],
    ]);
    const snapshotReader = errors.find((r) => r.message === snapshotLine);
    expect(snapshotReader?.error).toMatchObject({ code: 'SSA-RUN-UNBUILT' });
    // The other reader of the same snapshot is skipped, pointing at the line above; the child too.
    const otherReader = snapshotReader?.uniqueId.endsWith('current_products')
      ? 'price_changes'
      : 'current_products';
    expect(status[otherReader]).toBe('skipped');
    expect(results.results.find((r) => r.uniqueId.endsWith(otherReader))?.message).toBe(
      "skipped: snapshot 'snap_products' has not been built yet (reported above)",
    );
    expect(status.expensive_products).toBe('skipped');
    // The missing-relation line appears once in everything the run said.
    const said = JSON.stringify(events);
    expect(said.split("snapshot 'snap_products' has not been built in this warehouse").length - 1).toBe(1);
    // Nothing ran: no SQL was recorded for the readers, and no relation was created.
    expect(existsSync(join(fx.dir, 'target', 'run', 'fixture', 'models', 'current_products.sql'))).toBe(
      false,
    );
    expect(await queryWarehouse(fx.warehouse, 'select count(*) as n from information_schema.tables')).toEqual(
      [{ n: 0 }],
    );
  });

  it('the working order seed → snapshot → run → test succeeds', async () => {
    const fx = writeFixture(shop);
    fixtures.push(fx);
    for (const command of ['seed', 'snapshot', 'run', 'test'] as const) {
      const { results } = await loadAndRun(fx.dir, { command });
      expect(
        results.results.filter((r) => r.status !== 'success' && r.status !== 'pass'),
        command,
      ).toEqual([]);
    }
    expect(await queryWarehouse(fx.warehouse, 'select * from main.expensive_products')).toEqual([
      { product_id: 2, price: 20 },
    ]);
  });

  it('`test` before `run` names each unbuilt model once', async () => {
    const fx = writeFixture(shop);
    fixtures.push(fx);
    await loadAndRun(fx.dir, { command: 'seed' });
    const { results } = await loadAndRun(fx.dir, { command: 'test' });
    expect(results.results.map((r) => [r.status, r.message])).toEqual([
      [
        'error',
        "model 'current_products' has not been built in this warehouse yet: run `shopsmart run -s +current_products` (or `shopsmart build`) first",
      ],
    ]);
  });

  it('`build` builds what it reads, so nothing is reported', async () => {
    const fx = writeFixture(shop);
    fixtures.push(fx);
    const { results } = await loadAndRun(fx.dir, { command: 'build' });
    expect(results.success).toBe(true);
  });
});
