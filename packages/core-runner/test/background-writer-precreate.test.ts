import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize } from 'node:v8';
import { afterAll, describe, expect, it } from 'vitest';
import {
  dropFilesCreatedAhead,
  startBackgroundWriter,
  writeFilesInBackground,
} from '../src/artifacts/background-file-writer.js';
import type { FileBatch } from '../src/artifacts/file-batch-writer.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const tempDir = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `ssa-precreate-${name}-`));
  dirs.push(dir);
  return dir;
};

const fileIn = (dir: string, i: number) => join(dir, 'compiled', `group_${i % 4}`, `m_${i}.sql`);

function batchIn(dir: string, indexes: number[]): FileBatch {
  return {
    files: indexes.map((i) => [fileIn(dir, i), `select ${i} as id, 'pw-2' as v\n`] as [string, string]),
    stampsFile: join(dir, 'written_files.bin'),
    secrets: ['pw-2'],
  };
}

const stampsOf = (dir: string) =>
  [...(deserialize(readFileSync(join(dir, 'written_files.bin'))) as Map<string, [number, number, string]>)]
    .map(([file, [size, , checksum]]) => [file.slice(dir.length), size, checksum])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));

/** Waits (up to 20 s: the machine may be busy) until the worker has created `file`. */
async function waitForWorker(file: string): Promise<void> {
  for (let waited = 0; !existsSync(file) && waited < 20_000; waited += 20)
    await new Promise((resolve) => setTimeout(resolve, 20));
}

/**
 * `compile` tells its file-writing worker, before the parse, which files it will probably write:
 * the worker creates the missing ones empty and the batch fills them in place. What ends up on
 * disk must be what writing the batch alone gives; files created for nodes not written are
 * removed, and a file that existed before is never created, emptied or removed by that.
 */
describe('compiled files created ahead by the writing worker', () => {
  it('gives the same files and stamps as a plain write, and removes the ones not written', async () => {
    const plain = tempDir('plain');
    const ahead = tempDir('ahead');
    const everything = Array.from({ length: 40 }, (_, i) => i);
    const writtenNow = everything.filter((i) => i % 5 !== 0); // nodes 0, 5, 10… did not compile
    // one file exists already (a previous compile): left as it was until the batch decides
    for (const dir of [plain, ahead]) {
      mkdirSync(join(dir, 'compiled', 'group_3'), { recursive: true });
      writeFileSync(fileIn(dir, 3), "select 3 as id, '*****' as v\n");
      writeFileSync(fileIn(dir, 7), 'old text\n');
    }
    const past = new Date('2020-01-01T00:00:00Z');
    for (const dir of [plain, ahead]) utimesSync(fileIn(dir, 3), past, past);

    await writeFilesInBackground(batchIn(plain, writtenNow), 1);
    startBackgroundWriter(everything.map((i) => fileIn(ahead, i)));
    await waitForWorker(fileIn(ahead, 39));
    // created ahead: the missing ones, empty; the existing ones untouched
    expect(readFileSync(fileIn(ahead, 7), 'utf8')).toBe('old text\n');
    expect(statSync(fileIn(ahead, 1)).size).toBe(0);
    await writeFilesInBackground(batchIn(ahead, writtenNow), Number.POSITIVE_INFINITY);

    for (const i of everything) {
      expect(existsSync(fileIn(ahead, i))).toBe(existsSync(fileIn(plain, i)));
      if (existsSync(fileIn(plain, i)))
        expect(readFileSync(fileIn(ahead, i), 'utf8')).toBe(readFileSync(fileIn(plain, i), 'utf8'));
    }
    expect(existsSync(fileIn(ahead, 5))).toBe(false);
    expect(readFileSync(fileIn(ahead, 1), 'utf8')).toBe("select 1 as id, '*****' as v\n");
    // the unchanged file kept its time (compared, not rewritten)
    expect(statSync(fileIn(ahead, 3)).mtimeMs).toBe(past.getTime());
    expect(stampsOf(ahead).map(([file, ...rest]) => [String(file).slice(1), ...rest])).toEqual(
      stampsOf(plain).map(([file, ...rest]) => [String(file).slice(1), ...rest]),
    );
  });

  it('fills the files when the batch comes before it has created them all', async () => {
    const dir = tempDir('early');
    const everything = Array.from({ length: 3000 }, (_, i) => i);
    startBackgroundWriter(everything.map((i) => fileIn(dir, i)));
    await writeFilesInBackground(batchIn(dir, everything), 1);
    for (const i of everything)
      expect(readFileSync(fileIn(dir, i), 'utf8')).toBe(`select ${i} as id, '*****' as v\n`);
  });

  it('removes the files it created when no batch comes, and keeps the ones that existed', async () => {
    const dir = tempDir('dropped');
    mkdirSync(join(dir, 'compiled', 'group_2'), { recursive: true });
    writeFileSync(fileIn(dir, 2), 'kept\n');
    startBackgroundWriter(Array.from({ length: 20 }, (_, i) => fileIn(dir, i)));
    await waitForWorker(fileIn(dir, 1));
    expect(existsSync(fileIn(dir, 1))).toBe(true);
    dropFilesCreatedAhead();
    for (let i = 0; i < 20; i++) expect(existsSync(fileIn(dir, i))).toBe(i === 2);
    expect(readFileSync(fileIn(dir, 2), 'utf8')).toBe('kept\n');
    // the next batch gets a worker of its own and writes as usual
    const batch = batchIn(dir, [1, 2]);
    await writeFilesInBackground(batch, 1);
    expect(readFileSync(fileIn(dir, 2), 'utf8')).toBe("select 2 as id, '*****' as v\n");
  });
});
