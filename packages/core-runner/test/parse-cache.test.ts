import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { buildManifest, type ParsedProject, readProject, SqlCompiler } from '../src/index.js';
import { decodeCacheFile, encodeCacheFile } from '../src/project/parse-cache.js';
import { pythonDatetimeText } from '../src/template/python-values.js';
import { type Fixture, writeFixture } from './fixture-project.js';

/**
 * The parse cache in target/ must never change a result: after every kind of edit, a parse that
 * uses it gives the manifest and compiled SQL a full parse gives.
 */
const files = {
  'dbt_project.yml': `name: cached
profile: cached
vars:
  region: emea
models:
  cached:
    +materialized: view
    marts:
      +materialized: table
`,
  'macros/cents.sql': '{% macro cents(column) -%}\n({{ column }} / 100.0)\n{%- endmacro %}\n',
  'macros/stamp.sql': "{% macro stamp() -%}\ncast('{{ run_started_at }}' as timestamp)\n{%- endmacro %}\n",
  'seeds/raw_orders.csv': 'id,amount_cents\n1,100\n2,250\n',
  'models/staging/stg_orders.sql':
    "select id, {{ cents('amount_cents') }} as amount, '{{ var('region') }}' as region from {{ ref('raw_orders') }}\n",
  'models/staging/stg_plain.sql': "select * from {{ ref('raw_orders') }}\n",
  'models/staging/_staging.yml': `version: 2
models:
  - name: stg_orders
    description: '{{ doc("orders") }}'
    columns:
      - name: id
        data_tests: [unique, not_null]
`,
  'models/staging/_docs.md': '{% docs orders %}\nOrders in dollars.\n{% enddocs %}\n',
  'models/marts/orders.sql':
    "select o.*, {{ stamp() }} as loaded_at, '{{ env_var('CACHE_TEST_LABEL', 'none') }}' as label from {{ ref('stg_orders') }} o\n",
  'tests/no_negative.sql': "select * from {{ ref('orders') }} where amount < 0\n",
};

const fixtures: Fixture[] = [];
afterAll(() => {
  for (const f of fixtures) f.remove();
});

let fx: Fixture;
let clock = Date.parse('2026-03-01T10:00:00.000Z');
beforeEach(() => {
  fx = writeFixture(files, { name: 'cached' });
  fixtures.push(fx);
  delete process.env.CACHE_TEST_LABEL;
});

async function parse(dir: string, options: { cache: boolean; cliVars?: Record<string, unknown> }) {
  // the project files' YAML memo is used (and refreshed) with the cache, as the CLI does
  const definition = await readProject(dir, undefined, { partialParse: options.cache });
  const target = definition.targets[definition.defaultTarget];
  if (!target) throw new Error('no target');
  const warnings: string[] = [];
  clock += 1000;
  const project = buildManifest({
    definition,
    target,
    cliVars: options.cliVars ?? {},
    invocationId: `inv-${clock}`,
    runStartedAt: new Date(clock),
    partialParse: options.cache,
    onWarning: (message) => warnings.push(message),
  });
  return { project, warnings };
}

/** Manifest and every compiled node, as text, with this invocation's id and time. */
function outputOf(project: ParsedProject): string {
  const compiler = new SqlCompiler(project);
  const compiled = [...project.parsed.keys()].map((id) => [id, compiler.compile(id)]);
  return JSON.stringify({
    manifest: { ...project.manifest, metadata: { ...project.manifest.metadata, generatedAt: '' } },
    compiled,
  });
}

/** A cached parse, checked against a full parse made at the same moment. */
async function expectSameAsFull(dir = fx.dir, cliVars?: Record<string, unknown>) {
  const cached = await parse(dir, { cache: true, ...(cliVars ? { cliVars } : {}) });
  clock -= 1000;
  const full = await parse(dir, { cache: false, ...(cliVars ? { cliVars } : {}) });
  const [a, b] = [outputOf(cached.project), outputOf(full.project)];
  if (a !== b) {
    let i = 0;
    while (a[i] === b[i]) i++;
    expect(a.slice(Math.max(0, i - 300), i + 200)).toBe(b.slice(Math.max(0, i - 300), i + 200));
  }
  return cached.project.parseCache;
}

describe('parse cache', () => {
  it('answers an unchanged project from the cache, with this run’s time and id', async () => {
    expect((await expectSameAsFull())?.status).toBe('full');
    const hit = await expectSameAsFull();
    expect(hit).toMatchObject({ status: 'hit', rendered: 0 });
    const { project } = await parse(fx.dir, { cache: true });
    const compiled = new SqlCompiler(project).compile('model.cached.orders');
    expect(compiled).toContain(`cast('${pythonDatetimeText(project.runStartedAt)}' as timestamp)`);
    expect(project.manifest.metadata.invocationId).toBe(project.invocationId);
  });

  it('re-renders only the edited model after a SQL edit', async () => {
    await parse(fx.dir, { cache: true });
    fx.write({ 'models/staging/stg_plain.sql': "select id from {{ ref('raw_orders') }} where id > 1\n" });
    const report = await expectSameAsFull();
    expect(report).toMatchObject({ status: 'partial', rendered: 1 });
    expect(report?.reason).toContain('stg_plain.sql');
  });

  it('follows YAML edits: descriptions, tests added and removed', async () => {
    await parse(fx.dir, { cache: true });
    fx.write({
      'models/staging/_staging.yml': `version: 2
models:
  - name: stg_orders
    description: changed
    columns:
      - name: id
        data_tests: [not_null]
      - name: amount
        data_tests: [not_null]
  - name: stg_plain
    config:
      materialized: table
`,
    });
    const report = await expectSameAsFull();
    expect(report?.status).toBe('partial');
  });

  it('re-renders everything after a macro edit, a doc edit or a project var change', async () => {
    await parse(fx.dir, { cache: true });
    fx.write({
      'macros/cents.sql': '{% macro cents(column) -%}\n({{ column }} / 1000.0)\n{%- endmacro %}\n',
    });
    expect(await expectSameAsFull()).toMatchObject({ status: 'full', reused: 0 });
    fx.write({ 'models/staging/_docs.md': '{% docs orders %}\nOrders, in dollars.\n{% enddocs %}\n' });
    expect((await expectSameAsFull())?.status).toBe('full');
    fx.write({ 'dbt_project.yml': files['dbt_project.yml'].replace('region: emea', 'region: apac') });
    expect((await expectSameAsFull())?.status).toBe('full');
    expect(outputOf((await parse(fx.dir, { cache: true })).project)).toContain("'apac' as region");
  });

  it('follows --vars and the environment variables env_var() read', async () => {
    await parse(fx.dir, { cache: true });
    const withVars = await expectSameAsFull(fx.dir, { region: 'us' });
    expect(withVars?.reason).toContain('--vars');
    expect((await expectSameAsFull(fx.dir, { region: 'us' }))?.status).toBe('hit');
    await parse(fx.dir, { cache: true });
    process.env.CACHE_TEST_LABEL = 'from-env';
    const report = await expectSameAsFull();
    expect(report?.reason).toContain('CACHE_TEST_LABEL');
    expect(outputOf((await parse(fx.dir, { cache: true })).project)).toContain("'from-env' as label");
    // the variable is still watched after a parse that reused the render reading it
    fx.write({ 'models/staging/stg_plain.sql': 'select 4 as id\n' });
    expect(await expectSameAsFull()).toMatchObject({ status: 'partial', rendered: 1 });
    process.env.CACHE_TEST_LABEL = 'changed-again';
    expect((await expectSameAsFull())?.reason).toContain('CACHE_TEST_LABEL');
  });

  it('follows seeds, new files, deleted files and project file edits', async () => {
    await parse(fx.dir, { cache: true });
    fx.write({ 'seeds/raw_refunds.csv': 'id\n1\n' });
    expect((await expectSameAsFull())?.reason).toContain('raw_refunds.csv was added');
    fx.write({ 'models/marts/refunds.sql': "select * from {{ ref('raw_refunds') }}\n" });
    expect((await expectSameAsFull())?.reason).toContain('refunds.sql was added');
    rmSync(join(fx.dir, 'tests/no_negative.sql'));
    expect((await expectSameAsFull())?.reason).toContain('no_negative.sql was deleted');
    fx.write({
      'dbt_project.yml': files['dbt_project.yml'].replace('+materialized: table', '+materialized: view'),
    });
    expect((await expectSameAsFull())?.reason).toContain('dbt_project.yml');
    const { project } = await parse(fx.dir, { cache: true });
    expect(project.manifest.nodes['model.cached.orders']?.config.materialized).toBe('view');
    expect(project.manifest.nodes['test.cached.no_negative']).toBeUndefined();
    expect(project.manifest.nodes['seed.cached.raw_refunds']).toBeDefined();
  });

  it('sees an edit of the same size made right after the cache was written', async () => {
    await parse(fx.dir, { cache: true });
    const path = 'models/staging/stg_plain.sql';
    const text = readFileSync(join(fx.dir, path), 'utf8');
    const edited = text.replace('select *', 'select 1');
    expect(edited.length).toBe(text.length);
    fx.write({ [path]: edited });
    const report = await expectSameAsFull();
    expect(report?.status).toBe('partial');
    expect(outputOf((await parse(fx.dir, { cache: true })).project)).toContain('select 1 from');
  });

  it('falls back to a full parse with a warning when the cache cannot be read', async () => {
    await parse(fx.dir, { cache: true });
    writeFileSync(join(fx.dir, 'target/partial_parse.bin'), 'not a cache');
    const { project, warnings } = await parse(fx.dir, { cache: true });
    expect(warnings).toEqual(['the parse cache could not be read; parsing the whole project']);
    expect(project.parseCache?.status).not.toBe('hit');
    expect(await expectSameAsFull()).toMatchObject({ status: 'hit' });
  });

  it('ignores a cache written by another engine version or for another project', async () => {
    await parse(fx.dir, { cache: true });
    const file = join(fx.dir, 'target/partial_parse.bin');
    const cache = decodeCacheFile(readFileSync(file));
    writeFileSync(file, encodeCacheFile({ ...cache, engine: '0.0.1+other' }));
    expect((await expectSameAsFull())?.reason).toBe('the engine version changed');

    const other = writeFixture(
      { ...files, 'models/staging/stg_plain.sql': 'select 2 as id\n' },
      { name: 'cached' },
    );
    fixtures.push(other);
    mkdirSync(join(other.dir, 'target'), { recursive: true });
    copyFileSync(file, join(other.dir, 'target/partial_parse.bin'));
    const report = await expectSameAsFull(other.dir);
    expect(report?.reason).toBe('the cache belongs to another project');
    expect(outputOf((await parse(other.dir, { cache: true })).project)).toContain('select 2 as id');
  });

  it('is not written when a template does more with run_started_at than print it', async () => {
    fx.write({ 'models/staging/stg_day.sql': "select '{{ run_started_at.strftime('%Y-%m-%d') }}' as day\n" });
    expect((await expectSameAsFull())?.status).toBe('full');
    expect((await expectSameAsFull())?.status).not.toBe('hit');
  });

  it('sees files added to old folders by the folders’ times', async () => {
    // A cache written long before the edits: only the folders' times can show an added file.
    const age = () => {
      const file = join(fx.dir, 'target/partial_parse.bin');
      const cache = decodeCacheFile(readFileSync(file));
      writeFileSync(file, encodeCacheFile({ ...cache, savedAt: cache.savedAt + 1e9 }));
    };
    await parse(fx.dir, { cache: true });
    age();
    expect((await expectSameAsFull())?.status).toBe('hit');
    fx.write({ 'models/marts/more_orders.sql': "select * from {{ ref('orders') }}\n" });
    expect((await expectSameAsFull())?.reason).toContain('more_orders.sql was added');
    age();
    fx.write({ 'models/staging/deeper/stg_deep.sql': 'select 1 as id\n' });
    expect((await expectSameAsFull())?.reason).toContain('stg_deep.sql was added');
    age();
    fx.write({ 'macros/more/extra.sql': '{% macro extra() %}1{% endmacro %}\n' });
    expect((await expectSameAsFull())?.reason).toContain('extra.sql was added');
  });

  it('answers only with the code file of the same save', async () => {
    await parse(fx.dir, { cache: true });
    const codeFile = join(fx.dir, 'target/partial_parse_code.bin');
    const bytes = readFileSync(codeFile);
    writeFileSync(
      codeFile,
      Buffer.concat([Buffer.from('another-save\n'), bytes.subarray(bytes.indexOf(10) + 1)]),
    );
    expect((await expectSameAsFull())?.reason).toBe('the parse cache is being rewritten');
    expect((await expectSameAsFull())?.status).toBe('hit');
    rmSync(codeFile);
    expect((await expectSameAsFull())?.reason).toBe('the parse cache has no code file');
  });

  it('keeps the project files’ YAML by content, for this engine build only', async () => {
    await parse(fx.dir, { cache: true });
    const memoFile = join(fx.dir, 'target/partial_parse_project.bin');
    const memo = deserialize(readFileSync(memoFile)) as {
      engine: string;
      entries: Record<string, { value: Record<string, unknown> }>;
    };
    const [entry] = Object.values(memo.entries).filter((e) => e.value.name === 'cached');
    expect(entry?.value.vars).toEqual({ region: 'emea' });
    // a memo entry is used as it stands: one from another build must not be
    if (entry) entry.value.vars = { region: 'from-another-build' };
    writeFileSync(memoFile, serialize({ ...memo, engine: '0.0.1+other' }));
    expect((await readProject(fx.dir, undefined, { partialParse: true })).layers[0]?.name).toBe('cached');
    expect(outputOf((await parse(fx.dir, { cache: true })).project)).toContain("'emea' as region");
    // an edit is a new text: parsed, never answered from the memo
    fx.write({ 'dbt_project.yml': files['dbt_project.yml'].replace('region: emea', 'region: latam') });
    expect(outputOf((await parse(fx.dir, { cache: true })).project)).toContain("'latam' as region");
  });

  it('is not used with partialParse off (--no-partial-parse)', async () => {
    await parse(fx.dir, { cache: true });
    fx.write({ 'models/staging/stg_plain.sql': 'select 3 as id\n' });
    const { project } = await parse(fx.dir, { cache: false });
    expect(project.parseCache).toBeUndefined();
    expect(outputOf(project)).toContain('select 3 as id');
  });
});
