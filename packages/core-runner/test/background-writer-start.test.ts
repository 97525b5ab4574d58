import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize } from 'node:v8';
import { afterAll, describe, expect, it } from 'vitest';
import { startBackgroundWriter, writeFilesInBackground } from '../src/artifacts/background-file-writer.js';
import type { FileBatch } from '../src/artifacts/file-batch-writer.js';
import { buildManifest, readProject } from '../src/index.js';
import { writeFixture } from './fixture-project.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function batchIn(name: string, count: number): FileBatch {
  const dir = mkdtempSync(join(tmpdir(), `ssa-writer-start-${name}-`));
  dirs.push(dir);
  const files: [string, string][] = [];
  for (let i = 0; i < count; i++) files.push([join(dir, 'compiled', `m_${i}.sql`), `select ${i} as id\n`]);
  return { files, stampsFile: join(dir, 'written_files.bin'), secrets: [] };
}

const written = (batch: FileBatch) => batch.files.map(([file]) => readFileSync(file, 'utf8'));

/**
 * `compile` starts the file-writing worker before it parses: the batch it later gets is written as
 * by a worker started for it, and each later batch gets a worker of its own.
 */
describe('file-writing worker started ahead of its batch', () => {
  it('writes the batch it is given once ready, then later batches with new workers', async () => {
    startBackgroundWriter();
    startBackgroundWriter(); // a second call keeps the one already started
    await new Promise((resolve) => setTimeout(resolve, 50));
    const first = batchIn('first', 30);
    await writeFilesInBackground(first, 1);
    expect(written(first)).toEqual(first.files.map(([, text]) => text));
    const stamps = deserialize(readFileSync(first.stampsFile as string)) as Map<string, unknown>;
    expect(stamps.size).toBe(30);
    const [second, third] = [batchIn('second', 5), batchIn('third', 5)];
    await Promise.all([writeFilesInBackground(second, 1), writeFilesInBackground(third, 1)]);
    expect(written(second)).toEqual(second.files.map(([, text]) => text));
    expect(written(third)).toEqual(third.files.map(([, text]) => text));
  });

  it('reports a write error from the worker started ahead', async () => {
    startBackgroundWriter();
    const blocked = batchIn('blocked', 2);
    // a file where the folder should be: the folder cannot be made
    const dir = (blocked.files[0] as [string, string])[0].replace(/\/compiled\/.*$/, '');
    rmSync(join(dir, 'compiled'), { recursive: true, force: true });
    writeFileSync(join(dir, 'compiled'), 'not a folder');
    await expect(writeFilesInBackground(blocked, 1)).rejects.toMatchObject({ code: expect.any(String) });
  });

  it('is told the number of SQL nodes before rendering, and on a cache hit', async () => {
    const fx = writeFixture(
      {
        'models/a.sql': 'select 1 as id\n',
        'models/b.sql': "select * from {{ ref('a') }}\n",
        'analyses/c.sql': "select * from {{ ref('b') }}\n",
      },
      { name: 'counted' },
    );
    dirs.push(fx.dir);
    const counts: number[] = [];
    for (let i = 0; i < 2; i++) {
      const definition = await readProject(fx.dir, undefined, { partialParse: true });
      const target = definition.targets[definition.defaultTarget];
      if (!target) throw new Error('no target');
      const project = buildManifest({
        definition,
        target,
        partialParse: true,
        onSqlNodeCount: (count) => counts.push(count),
      });
      expect(project.parseCache?.status).toBe(i === 0 ? 'full' : 'hit');
    }
    expect(counts).toEqual([3, 3]);
  });
});
