import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildManifest,
  compileProject,
  manifestArtifact,
  type ParsedProject,
  readProject,
} from '../src/index.js';
import { type Fixture, writeFixture } from './fixture-project.js';

/**
 * manifest.json written from the JSON parts kept for a parse-cache save must be the text a full
 * build of the artifact gives, whatever is compiled, and never the parts of another save.
 */
const files = {
  'dbt_project.yml': 'name: parts\nprofile: parts\n',
  'models/staging/_sources.yml':
    'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: events\n        description: Événements → bruts\n',
  'models/staging/stg_events.sql': "select * from {{ source('raw', 'events') }}\n",
  'models/orders.sql': "select 1 as id, 'ok' as status from {{ ref('stg_events') }}\n",
  'models/_models.yml': `version: 2
models:
  - name: orders
    description: '{{ doc("orders") }}'
    columns:
      - name: id
        data_tests: [unique, not_null]
      - name: status
        data_tests:
          - accepted_values:
              values: ['ok', "it's"]
`,
  'models/_docs.md': '{% docs orders %}\nOrders "quoted", with ünïcode.\n{% enddocs %}\n',
};

const fixtures: Fixture[] = [];
afterAll(() => {
  for (const f of fixtures) f.remove();
});

async function parse(dir: string): Promise<ParsedProject> {
  const definition = await readProject(dir, undefined, { partialParse: true });
  const target = definition.targets[definition.defaultTarget];
  if (!target) throw new Error('no target');
  return buildManifest({ definition, target, cliVars: {}, partialParse: true });
}

/** manifest.json as written, and the text a full build of its artifact gives. */
async function written(project: ParsedProject, select?: string[]) {
  const { compiled } = await compileProject(project, select ? { select } : {});
  const text = readFileSync(join(project.definition.targetPath, 'manifest.json'), 'utf8');
  const { metadata } = JSON.parse(text) as { metadata: unknown };
  const artifact = manifestArtifact(project.manifest, (id) => compiled.get(id));
  return { text, expected: `${JSON.stringify({ ...artifact, metadata })}\n`, compiled };
}

describe('manifest.json from kept JSON parts', () => {
  it('is the text of the full artifact, for a selected compile and a whole one', async () => {
    const fx = writeFixture(files, { name: 'parts' });
    fixtures.push(fx);
    const parts = join(fx.dir, 'target/partial_parse_manifest.bin');
    const full = await parse(fx.dir);
    expect(full.parseCache?.status).toBe('full');
    const first = await written(full, ['model.parts.orders']);
    expect(first.text).toBe(first.expected);
    expect(existsSync(parts)).toBe(true);

    const hit = await parse(fx.dir);
    expect(hit.parseCache).toMatchObject({ status: 'hit', saveId: full.parseCache?.saveId });
    const selected = await written(hit, ['model.parts.stg_events']);
    expect(selected.text).toBe(selected.expected);
    const manifest = JSON.parse(selected.text);
    expect(manifest.nodes['model.parts.stg_events'].compiled_code).toContain('"events"');
    expect(manifest.nodes['model.parts.orders'].compiled_code).toBeUndefined();
    const whole = await written(await parse(fx.dir));
    expect(whole.compiled.size).toBeGreaterThan(4);
    expect(whole.text).toBe(whole.expected);
  });

  it('belongs to one save: an edit makes new parts', async () => {
    const fx = writeFixture(files, { name: 'parts' });
    fixtures.push(fx);
    await written(await parse(fx.dir));
    fx.write({ 'models/_docs.md': '{% docs orders %}\nEdited orders.\n{% enddocs %}\n' });
    const edited = await parse(fx.dir);
    const after = await written(edited, ['model.parts.orders']);
    expect(after.text).toBe(after.expected);
    expect(JSON.parse(after.text).nodes['model.parts.orders'].description).toBe('Edited orders.');
  });

  it('is not used with secrets in the environment (the artifact is scrubbed in full)', async () => {
    const fx = writeFixture(
      { ...files, 'models/secret.sql': '-- the token hush-hush must not be written\nselect 1 as s\n' },
      { name: 'parts' },
    );
    fixtures.push(fx);
    await written(await parse(fx.dir));
    process.env.DBT_ENV_SECRET_PARTS = 'hush-hush';
    try {
      const project = await parse(fx.dir);
      await compileProject(project);
      const text = readFileSync(join(fx.dir, 'target/manifest.json'), 'utf8');
      expect(text).not.toContain('hush-hush');
      expect(text).toContain('*****');
    } finally {
      delete process.env.DBT_ENV_SECRET_PARTS;
    }
  });
});
