import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize } from 'node:v8';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFilesInBackground } from '../src/artifacts/background-file-writer.js';
import type { FileBatch } from '../src/artifacts/file-batch-writer.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function batchIn(dir: string, count: number): FileBatch {
  const files: [string, string][] = [];
  for (let i = 0; i < count; i++)
    files.push([join(dir, 'compiled', `group_${i % 3}`, `m_${i}.sql`), `select ${i} as id, 'pw-1' as v\n`]);
  return { files, stampsFile: join(dir, 'written_files.bin'), secrets: ['pw-1'] };
}

const stampsOf = (dir: string) =>
  deserialize(readFileSync(join(dir, 'written_files.bin'))) as Map<string, [number, number, string]>;
const mtimes = (batch: FileBatch) => batch.files.map(([file]) => statSync(file).mtimeMs);

/**
 * Large batches of compiled SQL are written by a worker thread running the same function as small
 * batches: the files, their masking and the stamps must not depend on which thread wrote them.
 */
describe('compiled files written on a worker thread', () => {
  it('gives the same files and stamps as writing in place, and skips unchanged files', async () => {
    const [inPlace, worker] = ['in-place', 'worker'].map((name) => {
      const dir = mkdtempSync(join(tmpdir(), `ssa-writer-${name}-`));
      dirs.push(dir);
      return dir;
    }) as [string, string];
    const inPlaceBatch = batchIn(inPlace, 40);
    const workerBatch = batchIn(worker, 40);
    await writeFilesInBackground(inPlaceBatch, Number.POSITIVE_INFINITY);
    await writeFilesInBackground(workerBatch, 1);
    for (let i = 0; i < 40; i++) {
      const [workerFile, text] = workerBatch.files[i] as [string, string];
      const written = readFileSync(workerFile, 'utf8');
      expect(written).toBe(text.replace('pw-1', '*****'));
      expect(written).toBe(readFileSync((inPlaceBatch.files[i] as [string, string])[0], 'utf8'));
    }
    const relative = (dir: string) =>
      [...stampsOf(dir)].map(([file, [size, , checksum]]) => [file.slice(dir.length), size, checksum]);
    expect(relative(worker)).toEqual(relative(inPlace));
    expect(stampsOf(worker).size).toBe(40);

    // Unchanged files keep their times; an edited file and a changed text are rewritten.
    const past = new Date('2020-01-01T00:00:00Z');
    for (const [file] of workerBatch.files) utimesSync(file, past, past);
    await writeFilesInBackground(workerBatch, 1); // times differ from the stamps: contents compared
    expect(new Set(mtimes(workerBatch))).toEqual(new Set([past.getTime()]));
    const first = (workerBatch.files[0] as [string, string])[0];
    writeFileSync(first, 'edited by hand\n');
    const lastFile = (workerBatch.files[39] as [string, string])[0];
    const changed: FileBatch = {
      ...workerBatch,
      files: [...workerBatch.files.slice(0, 39), [lastFile, 'select 39 as id, 2 as v\n']],
    };
    await writeFilesInBackground(changed, 1);
    expect(readFileSync(first, 'utf8')).toBe("select 0 as id, '*****' as v\n");
    expect(readFileSync(lastFile, 'utf8')).toBe('select 39 as id, 2 as v\n');
    expect(mtimes(changed).filter((t) => t === past.getTime())).toHaveLength(38);
  });

  it("rejects with the write's error and code", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssa-writer-error-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'compiled'), 'a file where a folder must go');
    await expect(writeFilesInBackground(batchIn(dir, 5), 1)).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(writeFilesInBackground(batchIn(dir, 5), 100)).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});
