import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MockgenPathError } from '../errors.js';

/** The closest existing ancestor of a path (the path itself when it exists). */
function nearestExisting(path: string): string {
  let current = resolve(path);
  for (;;) {
    try {
      statSync(current);
      return current;
    } catch {
      const parent = dirname(current);
      if (parent === current) return current;
      current = parent;
    }
  }
}

function assertWritableDirectory(target: string, dir: string): void {
  const existing = nearestExisting(dir);
  if (!statSync(existing).isDirectory()) {
    throw new MockgenPathError(target, `${existing} is a file, not a folder`);
  }
  try {
    accessSync(existing, constants.W_OK);
  } catch {
    throw new MockgenPathError(target, `${existing} is not writable`);
  }
}

/** Throws MockgenPathError unless the file exists and is writable, or can be created. */
export function assertWritableFile(path: string): void {
  const absolute = resolve(path);
  let stats: ReturnType<typeof statSync> | undefined;
  try {
    stats = statSync(absolute);
  } catch {
    stats = undefined;
  }
  if (stats === undefined) {
    assertWritableDirectory(path, dirname(absolute));
    return;
  }
  if (stats.isDirectory()) throw new MockgenPathError(path, 'it is a folder, not a DuckDB file');
  try {
    accessSync(absolute, constants.W_OK);
  } catch {
    throw new MockgenPathError(path, 'the file is read-only');
  }
}

/** Throws MockgenPathError unless the folder exists and is writable, or can be created. */
export function assertWritableFolder(path: string): void {
  assertWritableDirectory(path, resolve(path));
}
