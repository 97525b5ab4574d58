import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type BadInputCase, buildBase, checkCase, type WarehouseShape } from './bad-input-harness.js';

const seed = (text: string | Uint8Array) => ({ 'seeds/countries.csv': text });
const latin1 = Uint8Array.from([
  ...Buffer.from('code,name\nNL,Netherlands\nCI,C'),
  0xf4,
  ...Buffer.from("te d'Ivoire\n"),
]);
const utf16 = Uint8Array.from([0xff, 0xfe, ...Buffer.from('code,name\n', 'utf16le')]);

const cases: BadInputCase[] = [
  {
    name: 'empty seed file',
    files: seed(''),
    args: ['seed'],
    code: 1,
    says: ['seeds/countries.csv', 'empty', 'previous table was kept'],
  },
  {
    name: 'seed of blank lines',
    files: seed('\n\n  \n'),
    args: ['seed'],
    code: 1,
    says: ['seeds/countries.csv', 'empty'],
  },
  {
    name: 'empty seed under build',
    files: seed(''),
    args: ['build'],
    code: 1,
    says: ['seeds/countries.csv', 'empty'],
  },
  {
    name: 'Latin-1 seed',
    files: seed(latin1),
    args: ['seed'],
    code: 1,
    says: ['seeds/countries.csv:3', 'not UTF-8', '0xF4'],
  },
  {
    name: 'UTF-16 seed',
    files: seed(utf16),
    args: ['seed'],
    code: 1,
    says: ['seeds/countries.csv', 'UTF-16'],
  },
  {
    name: 'duplicate header column',
    files: seed('code,code\nNL,FR\n'),
    args: ['seed'],
    code: 1,
    says: ['seeds/countries.csv:1', "column 'code' appears twice"],
  },
  {
    name: 'duplicate header differing in case',
    files: seed('code,name,CODE\nNL,x,y\n'),
    args: ['seed'],
    code: 1,
    says: ["'CODE' appears twice", 'fields 1 and 3'],
  },
  {
    name: 'duplicate quoted header',
    files: seed('"code","name","name"\nNL,a,b\n'),
    args: ['seed'],
    code: 1,
    says: ["column 'name' appears twice"],
  },
  {
    name: 'ragged row',
    files: seed('code,name\nNL,Netherlands\nFR\n'),
    args: ['seed'],
    code: 1,
    says: ['seeds/countries.csv:3', 'row 3 has 1 field'],
  },
  {
    name: 'extra field in a row',
    files: seed('code,name\nNL,Nether,lands\n'),
    args: ['seed'],
    code: 1,
    says: ['seeds/countries.csv:2', 'row 2 has 3 fields'],
  },
  {
    name: 'value not fitting column_types',
    files: {
      ...seed('code,name\nNL,1\nFR,x\n'),
      'seeds/_seeds.yml':
        'version: 2\nseeds:\n  - name: countries\n    config:\n      column_types:\n        name: integer\n',
    },
    // A changed column type takes effect with --full-refresh; without it dbt reloads the rows into
    // the existing table (docs.getdbt.com/reference/commands/seed).
    args: ['seed', '--full-refresh'],
    code: 1,
    says: ['seeds/countries.csv', "column 'name'", "'x'"],
  },
  {
    name: 'seed YAML entry for a seed that does not exist (a warning, as in dbt)',
    files: { 'seeds/_seeds.yml': 'version: 2\nseeds:\n  - name: countrys\n' },
    args: ['seed'],
    code: 0,
    says: ['seeds/_seeds.yml:3', "'countrys'"],
  },
  {
    name: 'the view on a seed keeps working after an empty seed is refused',
    files: { ...seed(''), 'models/country_names.sql': "select name from {{ ref('countries') }}\n" },
    args: ['build', '-s', 'countries'],
    code: 1,
    says: ['empty'],
  },
];

let base: { dir: string; shape: WarehouseShape };
beforeAll(async () => {
  base = await buildBase();
});
afterAll(() => rmSync(base.dir, { recursive: true, force: true }));

describe.concurrent('bad seeds: exit code, the file and line named, no stack, the warehouse unchanged', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => checkCase(base, c));
});
