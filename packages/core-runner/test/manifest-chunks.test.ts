import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  compiledCodeMarker,
  joinManifestParts,
  manifestParts,
  manifestPartsText,
  writeChunks,
} from '../src/artifacts/manifest-json-parts.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * manifest.json joined from the kept parts is written as UTF-8 slices of them: the bytes must be
 * those of the artifact serialised whole, whatever the characters, and however many chunks.
 */
describe('manifest.json from parts, as chunks', () => {
  it('gives the bytes of the whole artifact, with non-ASCII text and nodes without compiled code', () => {
    const node = (id: string, extra: Record<string, unknown> = {}) => ({
      unique_id: id,
      raw_code: 'select 1 -- é → 😀',
      compiled_code: compiledCodeMarker(),
      ...extra,
    });
    const artifact = {
      nodes: { 'model.a.x': node('model.a.x'), 'model.a.ü': node('model.a.ü', { description: '"q"' }) },
      sources: { 'source.a.s.t': node('source.a.s.t') },
      exposures: {},
      macros: { m: { name: 'm' } },
      docs: {},
      parent_map: { 'model.a.x': [] },
      child_map: {},
      disabled: {},
    };
    const parts = manifestParts('save', artifact);
    const compiled = new Map([
      ['model.a.x', 'select "ä" from t'],
      ['model.a.ü', 'select 2'],
    ]);
    const metadata = { generated_at: 'now' };
    const text = manifestPartsText(joinManifestParts(parts, metadata, (id) => compiled.get(id)));
    const whole = {
      metadata,
      nodes: {
        'model.a.x': { ...artifact.nodes['model.a.x'], compiled_code: compiled.get('model.a.x') },
        'model.a.ü': { ...artifact.nodes['model.a.ü'], compiled_code: compiled.get('model.a.ü') },
      },
      sources: { 'source.a.s.t': { ...artifact.sources['source.a.s.t'], compiled_code: undefined } },
      exposures: {},
      macros: artifact.macros,
      docs: {},
      parent_map: artifact.parent_map,
      child_map: {},
      disabled: {},
    };
    expect(text).toBe(JSON.stringify(whole));
  });

  it('writes more chunks than one writev call takes, in order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssa-chunks-'));
    dirs.push(dir);
    const chunks = Array.from({ length: 2500 }, (_, i) => Buffer.from(`${i},`));
    writeChunks(join(dir, 'out.txt'), chunks);
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe(Buffer.concat(chunks).toString('utf8'));
  });
});
