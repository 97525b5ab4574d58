import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFileWrites } from '../src/artifacts/background-file-writer.js';
import type { FileBatch } from '../src/artifacts/file-batch-writer.js';
import { buildManifest, readProject, SqlCompiler, writeManifestArtifacts } from '../src/index.js';
import { type Fixture, writeFixture } from './fixture-project.js';

const dirs: string[] = [];
const fixtures: Fixture[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  for (const f of fixtures) f.remove();
});

function batchIn(name: string, count: number): { dir: string; batch: FileBatch } {
  const dir = mkdtempSync(join(tmpdir(), `ssa-writes-${name}-`));
  dirs.push(dir);
  const files: [string, string][] = [];
  for (let i = 0; i < count; i++) files.push([join(dir, 'compiled', `m_${i}.sql`), `select ${i} as id\n`]);
  return { dir, batch: { files, stampsFile: join(dir, 'written_files.bin'), secrets: [] } };
}

/**
 * Files written after a batch by the batch's writer (the worker thread's for a large batch):
 * manifest.json and the parse cache's files during `compile`. Each must land with the same bytes
 * on either thread, in order, atomic ones by rename; errors of required files reach `done()`,
 * optional ones are skipped.
 */
describe('files written after a batch', () => {
  for (const [where, threshold] of [
    ['on the worker', 1],
    ['in place', Number.POSITIVE_INFINITY],
  ] as const) {
    it(`writes text and bytes, atomically when asked, ${where}`, async () => {
      const { dir, batch } = batchIn(where.replace(' ', '-'), 20);
      const writes = startFileWrites(batch, threshold);
      const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
      writes.also({ path: join(dir, 'text.json'), data: '{"é":1}\n' });
      writes.also({ path: join(dir, 'bytes.bin'), data: Buffer.concat([bytes]), atomic: true });
      writes.also({ path: join(dir, 'text.json'), data: '{"second":2}\n' }); // in order: the last wins
      writes.also({ path: join(dir, 'no-folder', 'cache.bin'), data: 'x', optional: true });
      await writes.done();
      expect(readFileSync(join(dir, 'text.json'), 'utf8')).toBe('{"second":2}\n');
      expect(readFileSync(join(dir, 'bytes.bin')).equals(bytes)).toBe(true);
      expect(readFileSync(join(dir, 'compiled', 'm_7.sql'), 'utf8')).toBe('select 7 as id\n');
      expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
      expect(existsSync(join(dir, 'no-folder'))).toBe(false);
    });

    it(`rejects done() with a required file's error ${where}`, async () => {
      const { dir, batch } = batchIn(`${where.replace(' ', '-')}-error`, 3);
      const writes = startFileWrites(batch, threshold);
      writes.also({ path: join(dir, 'missing-folder', 'manifest.json'), data: '{}' });
      writes.also({ path: join(dir, 'after.json'), data: '{}' });
      await expect(writes.done()).rejects.toMatchObject({ code: 'ENOENT' });
      expect(readFileSync(join(dir, 'after.json'), 'utf8')).toBe('{}');
    });
  }

  it("compile's parse cache, written by the worker with manifest.json, answers the next parse", async () => {
    const files: Record<string, string> = {
      'macros/cents.sql': '{% macro cents(column) -%}\n({{ column }} / 100.0)\n{%- endmacro %}\n',
      'models/m_0.sql': 'select 100 as amount_cents\n',
    };
    for (let i = 1; i < 520; i++)
      files[`models/m_${i}.sql`] =
        `select {{ cents('amount_cents') }} as amount from {{ ref('m_${i - 1}') }}\n`;
    const fx = writeFixture(files);
    fixtures.push(fx);
    const definition = await readProject(fx.dir);
    const target = definition.targets[definition.defaultTarget];
    if (!target) throw new Error('no target');
    const parse = () => buildManifest({ definition, target, partialParse: true, saveCacheLater: true });
    const first = parse();
    expect(first.parseCache?.status).toBe('full');
    await writeManifestArtifacts(first, new SqlCompiler(first), true);
    const manifest = readFileSync(join(definition.targetPath, 'manifest.json'), 'utf8');
    // saved once: the later turn of the event loop does not save again (a save names itself)
    const cacheFile = join(definition.targetPath, 'partial_parse.bin');
    const saved = readFileSync(cacheFile);
    await new Promise((resolve) => setImmediate(resolve));
    expect(readFileSync(cacheFile).equals(saved)).toBe(true);
    const second = parse();
    expect(second.parseCache?.status).toBe('hit');
    expect(new SqlCompiler(second).compile('model.fixture.m_519')).toBe(
      new SqlCompiler(first).compile('model.fixture.m_519'),
    );
    await writeManifestArtifacts(second, new SqlCompiler(second), true);
    const again = readFileSync(join(definition.targetPath, 'manifest.json'), 'utf8');
    const withoutRun = (text: string) => text.replace(/"(generated_at|invocation_id)":"[^"]*"/g, '"$1":""');
    expect(withoutRun(again)).toBe(withoutRun(manifest));
  });
});
