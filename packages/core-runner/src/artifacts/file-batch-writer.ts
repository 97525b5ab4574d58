import type * as Crypto from 'node:crypto';
import type * as Fs from 'node:fs';
import type * as Path from 'node:path';
import type * as V8 from 'node:v8';

/** Many small files to write (compiled or executed SQL), and where their stamps are kept. */
export interface FileBatch {
  /** [absolute path, text] in write order. */
  files: [path: string, text: string][];
  /** target/written_files.bin; no stamps are read or kept when absent. */
  stampsFile?: string;
  /** Secret values masked in every text before it is written (longest first). */
  secrets: string[];
}

/** The Node modules the writer uses, passed in so the same function runs in a worker thread. */
export interface FileBatchIo {
  fs: typeof Fs;
  path: typeof Path;
  v8: typeof V8;
  crypto: typeof Crypto;
}

/**
 * Writes many small files, creating each folder once. A file already holding the same text is left
 * alone (its time too), so unchanged compiled SQL is not written again. How a file is known to
 * hold the text: its stamp from the last write (size, time and sha256 of what was written) when
 * size and time are unchanged; otherwise its contents are read and compared (only for files its
 * folder lists: none after `rm -rf target`). Writes are synchronous: the promise API costs ~50 µs
 * of CPU per file, several times the kernel's own work.
 *
 * Hazard: this function is also run from its source text in a worker thread
 * (background-file-writer.ts), so it may use only its arguments and JavaScript built-ins — no
 * imports, no helpers from this module.
 *
 * @example
 * writeFileBatch({ files: [['/p/target/compiled/shop/models/a.sql', 'select 1\n']], secrets: [] },
 *   { fs, path, v8, crypto });
 */
export function writeFileBatch(batch: FileBatch, io: FileBatchIo, created?: ReadonlySet<string>): void {
  type WriteStamp = [size: number, mtimeMs: number, checksum: string];
  const { fs, path, v8, crypto } = io;
  const checksumOf = (text: string): string =>
    typeof crypto.hash === 'function'
      ? crypto.hash('sha256', text)
      : crypto.createHash('sha256').update(text).digest('hex');
  const scrub = (text: string): string => {
    let scrubbed = text;
    for (const secret of batch.secrets)
      if (scrubbed.includes(secret)) scrubbed = scrubbed.split(secret).join('*****');
    return scrubbed;
  };
  const readStamps = (file: string): Map<string, WriteStamp> => {
    try {
      const value = v8.deserialize(fs.readFileSync(file));
      return value instanceof Map ? (value as Map<string, WriteStamp>) : new Map();
    } catch {
      return new Map();
    }
  };
  // The names in a folder, created (with its parents) when it does not exist yet.
  const listFolder = (folder: string): string[] => {
    try {
      return fs.readdirSync(folder);
    } catch {
      fs.mkdirSync(folder, { recursive: true });
      return [];
    }
  };
  const readText = (file: string): string | undefined => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };

  const { stampsFile } = batch;
  const stamps = stampsFile ? readStamps(stampsFile) : new Map<string, WriteStamp>();
  const next = new Map<string, WriteStamp>();
  const existing = new Map<string, Set<string>>();
  const written = new Set<string>();
  // A file this writer created empty ahead of the batch (precreateFiles): written in place, without
  // truncating (ext4 flushes a truncated file's data on close) or comparing.
  const fill = (file: string, content: string): void => {
    const bytes = Buffer.from(content, 'utf8');
    const fd = fs.openSync(file, 'r+');
    try {
      let at = 0;
      while (at < bytes.length) at += fs.writeSync(fd, bytes, at, bytes.length - at, at);
      let stat = fs.fstatSync(fd);
      if (stat.size !== bytes.length) {
        fs.ftruncateSync(fd, bytes.length);
        stat = fs.fstatSync(fd);
      }
      if (stampsFile) next.set(file, [stat.size, stat.mtimeMs, checksumOf(content)]);
    } finally {
      fs.closeSync(fd);
    }
  };
  try {
    for (const [file, text] of batch.files) {
      written.add(file);
      const content = scrub(text);
      if (created?.has(file)) {
        fill(file, content);
        continue;
      }
      const checksum = checksumOf(content);
      const known = stamps.get(file);
      if (known && known[2] === checksum) {
        const stat = fs.statSync(file, { throwIfNoEntry: false });
        if (stat && stat.size === known[0] && stat.mtimeMs === known[1]) {
          next.set(file, known);
          continue;
        }
      }
      const folder = path.dirname(file);
      let names = existing.get(folder);
      if (!names) {
        names = new Set(listFolder(folder));
        existing.set(folder, names);
      }
      const same = names.has(file.slice(folder.length + 1)) && readText(file) === content;
      if (!same) fs.writeFileSync(file, content);
      if (!stampsFile) continue;
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      if (stat) next.set(file, [stat.size, stat.mtimeMs, checksum]);
    }
  } finally {
    // Files created ahead for nodes that were not compiled (or not reached) are removed again.
    if (created) for (const file of created) if (!written.has(file)) fs.rmSync(file, { force: true });
  }
  if (!stampsFile) return;
  // Files of other commands' writes (target/run vs target/compiled) keep their stamps.
  for (const [file, stamp] of stamps) if (!next.has(file) && !written.has(file)) next.set(file, stamp);
  try {
    fs.writeFileSync(stampsFile, v8.serialize(next));
  } catch {
    // target/ not writable: the next writer compares contents, which is always correct
  }
}

/**
 * Creates, empty, each of `files` that does not exist yet (with its folders), and returns them:
 * what `writeFileBatch` then fills in place. Creating a file is most of the kernel's cost of
 * writing a small one, so a writer started before the files' texts exist (`compile`'s, during the
 * parse) does it while it would otherwise wait. `stop()` is asked between files: true ends the
 * creating early (the batch has come); the rest are created by `writeFileBatch` as usual.
 *
 * Hazard: also run from its source text in a worker thread, as writeFileBatch is (only its
 * arguments and built-ins). Every file it returns must be filled or removed (writeFileBatch with
 * them as `created` does both); `made[i]` is set to 1 when `files[i]` is created, so another
 * thread can remove them if no batch ever comes.
 */
export function precreateFiles(
  files: readonly string[],
  io: Pick<FileBatchIo, 'fs' | 'path'>,
  made: Uint8Array,
  stop: () => boolean,
): Set<string> {
  const { fs, path } = io;
  const created = new Set<string>();
  const folders = new Map<string, Set<string>>();
  for (let i = 0; i < files.length; i++) {
    if ((i & 63) === 0 && stop()) break;
    const file = files[i] as string;
    const folder = path.dirname(file);
    let names = folders.get(folder);
    if (!names) {
      try {
        names = new Set(fs.readdirSync(folder));
      } catch {
        try {
          fs.mkdirSync(folder, { recursive: true });
        } catch {
          // the batch's writing reports it
        }
        names = new Set();
      }
      folders.set(folder, names);
    }
    if (names.has(file.slice(folder.length + 1)) || created.has(file)) continue;
    try {
      fs.closeSync(fs.openSync(file, 'wx'));
    } catch {
      continue;
    }
    created.add(file);
    made[i] = 1;
  }
  return created;
}

/** One file written after a batch (FileWrites.also). */
export interface OneFile {
  path: string;
  /** The text (written as UTF-8) or bytes. */
  data: string | Uint8Array;
  /** Written to a temporary file first and renamed into place. */
  atomic?: boolean;
  /** Skipped when it cannot be written (a cache), instead of failing the writes. */
  optional?: boolean;
}

/**
 * Writes one file (its folder must exist). Hazard: also run from its source text in a worker
 * thread, as writeFileBatch is (only its arguments and built-ins).
 */
export function writeOneFile(file: OneFile, io: Pick<FileBatchIo, 'fs'>): void {
  const { fs } = io;
  if (!file.atomic) {
    fs.writeFileSync(file.path, file.data);
    return;
  }
  const temp = `${file.path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    fs.writeFileSync(temp, file.data);
    fs.renameSync(temp, file.path);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}
