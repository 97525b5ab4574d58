import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BadInputCase, buildBase, checkCase, type WarehouseShape } from './bad-input-harness.js';

const profileAt = (path: string) => ({
  'profiles.yml': `shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${path}\n      threads: 2\n`,
});
/** A live process that is not the CLI (the test runner's parent) holding the warehouse's lock file. */
const holdLock = (pid: number) => (dir: string) =>
  writeFileSync(
    join(dir, 'wh.duckdb.lock'),
    JSON.stringify({ pid, startedAt: new Date().toISOString(), command: 'build' }),
  );

const usage: BadInputCase[] = [
  { name: 'unknown command', args: ['bild'], code: 2, says: ["'bild'", "'build'"] },
  { name: 'unknown flag', args: ['build', '--selcet', 'x'], code: 2, says: ['--selcet'] },
  {
    name: '--threads is not a number',
    args: ['build', '--threads', 'abc'],
    code: 2,
    says: ['--threads', 'abc'],
  },
  { name: '--threads 0', args: ['build', '--threads', '0'], code: 2, says: ['--threads'] },
  { name: '--log-format of an unknown kind', args: ['build', '--log-format', 'xml'], code: 2, says: ['xml'] },
  {
    name: '--indirect-selection of an unknown kind',
    args: ['build', '--indirect-selection', 'lazy'],
    code: 2,
    says: ['lazy'],
  },
  {
    name: '--defer without a state manifest',
    args: ['build', '--defer', '--state', '$DIR/no-state'],
    code: 2,
    says: ['manifest.json', '$DIR/no-state'],
  },
  { name: 'source without freshness', args: ['source', 'fresh'], code: 2, says: ["'fresh'"] },
  { name: 'advance without --days or --as-of', args: ['advance'], code: 2, says: ['--days'] },
  { name: 'generate with a negative scale', args: ['generate', '--scale', '-1'], code: 2, says: ['--scale'] },
];

const warehouse: BadInputCase[] = [
  {
    name: 'warehouse path under /proc',
    files: profileAt('/proc/ssa-bad-input/wh.duckdb'),
    args: ['build'],
    code: 2,
    says: ['/proc/ssa-bad-input', 'cannot be created'],
  },
  {
    name: 'warehouse folder is a regular file',
    files: { ...profileAt('afile/wh.duckdb'), afile: 'not a folder\n' },
    args: ['build'],
    code: 2,
    says: ['afile is a file, not a folder'],
  },
  {
    name: 'warehouse path is a folder',
    files: profileAt('adir'),
    prepare: (dir) => mkdirSync(join(dir, 'adir')),
    args: ['build'],
    code: 2,
    says: ['adir'],
  },
  {
    name: 'warehouse with no raw data',
    files: profileAt('fresh.duckdb'),
    args: ['build'],
    code: 2,
    says: ['no raw data', 'raw.customers', 'shopsmart generate'],
    after: (dir) => expect(existsSync(join(dir, 'fresh.duckdb'))).toBe(false),
  },
  {
    name: 'no raw data, with an on-run-start hook',
    files: {
      ...profileAt('fresh.duckdb'),
      'dbt_project.yml': 'name: shop\nprofile: shop\non-run-start:\n  - "select 1"\n',
    },
    args: ['build'],
    code: 2,
    says: ['no raw data', 'raw.customers'],
    after: (dir) => expect(existsSync(join(dir, 'fresh.duckdb'))).toBe(false),
  },
  {
    name: 'run on a warehouse with no raw data',
    files: profileAt('fresh.duckdb'),
    args: ['run', '-s', 'stg_customers'],
    code: 2,
    says: ['raw.customers', 'shopsmart generate'],
    after: (dir) => expect(existsSync(join(dir, 'fresh.duckdb'))).toBe(false),
  },
];

const concurrency: BadInputCase[] = [
  {
    name: 'warehouse locked by a live run',
    prepare: holdLock(process.ppid),
    args: ['build'],
    code: 4,
    says: [`run ${process.ppid}`],
  },
  {
    name: 'seed on a locked warehouse',
    prepare: holdLock(process.ppid),
    args: ['seed'],
    code: 4,
    says: ['in use'],
  },
  {
    name: 'advance on a locked warehouse',
    prepare: holdLock(process.ppid),
    args: ['advance', '--days', '1'],
    code: 4,
    says: ['in use'],
  },
  {
    name: 'lock left by a dead run is taken over',
    prepare: holdLock(2 ** 22 + 7),
    args: ['build'],
    code: 0,
    says: ['Finished build'],
  },
];

let base: { dir: string; shape: WarehouseShape };
beforeAll(async () => {
  base = await buildBase();
});
afterAll(() => rmSync(base.dir, { recursive: true, force: true }));

describe.concurrent('bad command lines: exit 2 naming the flag or value, no stack, warehouse unchanged', () => {
  it.each(usage.map((c) => [c.name, c] as const))('%s', async (_name, c) => checkCase(base, c));
});
describe.concurrent('warehouse paths that cannot work: a clear error at once, no file left behind', () => {
  it.each(warehouse.map((c) => [c.name, c] as const))('%s', async (_name, c) => checkCase(base, c));
});
describe.concurrent('concurrent runs: the lock answers, the warehouse is unchanged', () => {
  it.each(concurrency.map((c) => [c.name, c] as const))('%s', async (_name, c) => checkCase(base, c));
});
