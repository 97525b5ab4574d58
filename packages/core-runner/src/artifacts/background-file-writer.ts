import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import {
  type FileBatch,
  type OneFile,
  precreateFiles,
  writeFileBatch,
  writeOneFile,
} from './file-batch-writer.js';

/**
 * Batches at least this large are written on a worker thread: creating thousands of files is
 * mostly kernel time, which then runs on the other core beside the manifest's serialisation.
 * Smaller batches are written in place (a worker costs ~30 ms to start).
 */
export const backgroundWriteThreshold = 500;

/**
 * A batch as the worker receives it: all paths in one string and all texts in another, with their
 * lengths. Cloning two strings into the worker is a copy; cloning 20,000 small ones costs ~10 µs each.
 */
interface PackedBatch {
  paths: string;
  pathLengths: Int32Array;
  texts: string;
  textLengths: Int32Array;
  stampsFile?: string;
  secrets: string[];
}

function packBatch(batch: FileBatch): PackedBatch {
  const count = batch.files.length;
  const pathLengths = new Int32Array(count);
  const textLengths = new Int32Array(count);
  const paths: string[] = new Array(count);
  const texts: string[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const [path, text] = batch.files[i] as [string, string];
    paths[i] = path;
    texts[i] = text;
    pathLengths[i] = path.length;
    textLengths[i] = text.length;
  }
  return {
    paths: paths.join(''),
    pathLengths,
    texts: texts.join(''),
    textLengths,
    ...(batch.stampsFile === undefined ? {} : { stampsFile: batch.stampsFile }),
    secrets: batch.secrets,
  };
}

/**
 * The worker: may first be given files to create ahead (`precreate`, with a shared `made` flag per
 * file and a `control` pair: [stop asked, creating over]), then waits for one batch, unpacks it,
 * and runs writeFileBatch from its source text (it uses only its arguments), filling the files it
 * created. It may be started before the batch exists (`startBackgroundWriter`).
 */
const workerSource = `
const { parentPort, receiveMessageOnPort } = require('node:worker_threads');
const io = { fs: require('node:fs'), path: require('node:path'), v8: require('node:v8'), crypto: require('node:crypto') };
const writeFileBatch = (${writeFileBatch.toString()});
const precreateFiles = (${precreateFiles.toString()});
const writeOneFile = (${writeOneFile.toString()});
let created;
let failure;
const reply = () => {
  parentPort.off('message', listener);
  parentPort.postMessage(failure
    ? { ok: false, message: String(failure && failure.message), code: failure && failure.code, stack: String(failure && failure.stack) }
    : { ok: true });
};
const handle = (message) => {
  if (message.also) {
    try {
      writeOneFile(message.also, io);
    } catch (error) {
      if (!message.also.optional) failure = failure || error;
    }
    return;
  }
  if (message.end) return reply();
  const { paths, pathLengths, texts, textLengths, stampsFile, secrets, open } = message;
  try {
    const files = new Array(pathLengths.length);
    let p = 0;
    let t = 0;
    for (let i = 0; i < files.length; i++) {
      files[i] = [paths.slice(p, p + pathLengths[i]), texts.slice(t, t + textLengths[i])];
      p += pathLengths[i];
      t += textLengths[i];
    }
    writeFileBatch({ files, stampsFile, secrets }, io, created);
  } catch (error) {
    failure = failure || error;
  }
  if (!open) reply();
};
const listener = (message) => {
  if (!message.precreate) return handle(message);
  const { files, made, control } = message.precreate;
  // messages that come while the files are created: the first ends the creating
  const early = [];
  const stop = () => {
    if (Atomics.load(control, 0) === 1) return true;
    const next = receiveMessageOnPort(parentPort);
    if (next) early.push(next.message);
    return early.length > 0;
  };
  try {
    created = precreateFiles(files, io, made, stop);
  } finally {
    Atomics.store(control, 1, 1);
    Atomics.notify(control, 1);
  }
  for (const next of early) handle(next);
};
parentPort.on('message', listener);
`;

/** A worker started ahead of its batch, idle (unref'd: it keeps no process alive) until one comes. */
let ready: Worker | undefined;
/** The files `ready` was asked to create ahead, and the flags it shares about them. */
let ahead: { files: readonly string[]; made: Uint8Array; control: Int32Array; worker: Worker } | undefined;

/**
 * Removes the files created ahead by a worker that never got its batch (the command failed
 * before writing): the worker is told to stop creating, waited for (briefly), and each file it
 * made is deleted. Runs at process exit too.
 */
export function dropFilesCreatedAhead(): void {
  const files = ahead;
  if (!files) return;
  ahead = undefined;
  process.off('exit', dropFilesCreatedAhead);
  Atomics.store(files.control, 0, 1);
  Atomics.wait(files.control, 1, 0, 2000);
  for (let i = 0; i < files.files.length; i++)
    if (files.made[i] === 1) fs.rmSync(files.files[i] as string, { force: true });
  // that worker is not used again: a later batch starts another
  if (ready === files.worker) ready = undefined;
  void files.worker.terminate();
}

/**
 * Starts a file-writing worker now, so that its start (~30 ms, on the other core) overlaps what the
 * caller does before it has a large batch (`compile` starts one before it parses). Unused, it
 * holds nothing open and ends with the process.
 *
 * `precreate`: paths of files the batch will (probably) write. The worker creates the ones that
 * do not exist yet, empty, while it waits, and the batch then fills them in place (creating a file is
 * most of the kernel's cost of writing a small one). One the batch does not write is removed by it;
 * if no batch comes (the command fails first), `dropFilesCreatedAhead` removes them, at process
 * exit at the latest.
 *
 * @example
 * startBackgroundWriter(pathsOfTheFilesToCompile);
 * const project = parse();           // meanwhile the worker starts and creates the files
 * await writeFilesInBackground(batch); // uses it
 */
export function startBackgroundWriter(precreate?: readonly string[]): void {
  if (ready) return;
  const worker = new Worker(workerSource, { eval: true });
  ready = worker;
  // One that fails before it gets a batch is not used: the batch starts another.
  worker.on('error', () => {});
  worker.once('exit', () => {
    if (ready === worker) ready = undefined;
  });
  worker.unref();
  if (precreate && precreate.length > 0) {
    const made = new Uint8Array(new SharedArrayBuffer(precreate.length));
    const control = new Int32Array(new SharedArrayBuffer(8));
    ahead = { files: precreate, made, control, worker };
    process.on('exit', dropFilesCreatedAhead);
    worker.postMessage({ precreate: { files: precreate, made, control } });
  }
}

interface WorkerReply {
  ok: boolean;
  message?: string;
  code?: string;
  stack?: string;
}

/** Writes that go on after a batch: more files, then `done`. */
export interface FileWrites {
  /**
   * Writes one more file after the batch (in this order; on the worker when the batch went there):
   * `data` is a string (UTF-8) or bytes; `atomic` writes a temporary file and renames it; an
   * `optional` file that cannot be written is skipped instead of failing `done`.
   */
  also(file: OneFile): void;
  /** Resolves when everything is written; rejects with the first write error (its `code` kept). */
  done(): Promise<void>;
}

/**
 * Starts writing `batch` (on a worker thread when it is large, or when the worker started ahead
 * created its files) and returns what writes more files after it: the caller serialises them while
 * the batch is written, and the worker writes them too, so the calling thread never waits on the
 * kernel for them. Nothing may read or write those files before `done()` resolves.
 *
 * @example
 * const writes = startFileWrites({ files, stampsFile, secrets: secretValues() });
 * writes.also({ path: manifestPath, data: JSON.stringify(manifest) });
 * await writes.done();
 */
export function startFileWrites(batch: FileBatch, threshold = backgroundWriteThreshold): FileWrites {
  // Files created ahead by a worker that is gone (it failed) are removed before anything is written.
  if (ahead && ahead.worker !== ready) dropFilesCreatedAhead();
  // A worker that created files ahead always gets the batch: it fills or removes them.
  if (batch.files.length < threshold && !ahead) {
    let failure: unknown;
    try {
      writeFileBatch(batch, { fs, path, v8, crypto });
    } catch (error) {
      failure = error;
    }
    return {
      also: (file) => {
        try {
          writeOneFile(file, { fs });
        } catch (error) {
          if (!file.optional) failure ??= error;
        }
      },
      done: () => (failure === undefined ? Promise.resolve() : Promise.reject(failure)),
    };
  }
  const worker = ready ?? new Worker(workerSource, { eval: true });
  // The worker started ahead fills or removes the files it created (the batch is its to finish).
  if (ahead) process.off('exit', dropFilesCreatedAhead);
  ready = undefined;
  ahead = undefined;
  const finished = new Promise<void>((resolve, reject) => {
    let replied = false;
    worker.once('message', (reply: WorkerReply) => {
      replied = true;
      if (reply.ok) resolve();
      else reject(Object.assign(new Error(reply.message), { code: reply.code, stack: reply.stack }));
    });
    worker.once('error', (error) => {
      replied = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!replied) reject(new Error(`the file-writing worker exited with code ${code} before it finished`));
    });
  });
  // a rejection is the caller's to see when it awaits `done()`, not an unhandled one meanwhile
  finished.catch(() => {});
  worker.ref();
  worker.postMessage({ ...packBatch(batch), open: true });
  let ended = false;
  return {
    also: (file) => {
      if (ended) throw new Error('file writes already done');
      // bytes are moved to the worker, not copied (the caller must not use them again)
      const transfer =
        typeof file.data !== 'string' &&
        file.data.byteOffset === 0 &&
        file.data.byteLength === file.data.buffer.byteLength &&
        !(file.data.buffer instanceof SharedArrayBuffer)
          ? [file.data.buffer as ArrayBuffer]
          : [];
      worker.postMessage({ also: file }, transfer);
    },
    done: () => {
      if (!ended) {
        ended = true;
        worker.postMessage({ end: true });
      }
      return finished;
    },
  };
}

/**
 * Writes `batch` and resolves when every file (and the stamps file) is written; rejects with the
 * write's error (its `code` kept, e.g. EACCES). Large batches go to a worker thread: the caller
 * may do other work meanwhile, but must await this before anything else reads or writes the same
 * files or stamps.
 *
 * @example
 * const writing = writeFilesInBackground({ files, stampsFile, secrets: secretValues() });
 * writeManifestJson();  // on this thread, while the worker writes
 * await writing;
 */
export function writeFilesInBackground(
  batch: FileBatch,
  threshold = backgroundWriteThreshold,
): Promise<void> {
  return startFileWrites(batch, threshold).done();
}
