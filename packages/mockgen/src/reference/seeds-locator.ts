import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MockgenSeedError } from '../errors.js';

/** The staging package ships the seeds; mockgen reads the same files so ids always agree. */
function stagingSeedsDir(): string {
  let packageJson: string;
  try {
    packageJson = fileURLToPath(import.meta.resolve('@shopsmart/staging/package.json'));
  } catch {
    // Some test runners rewrite import.meta; plain CommonJS resolution finds the same file.
    packageJson = createRequire(import.meta.url).resolve('@shopsmart/staging/package.json');
  }
  return join(dirname(packageJson), 'seeds');
}

/** Returns the seeds folder to read: the one given, or staging's. Throws when it is missing. */
export function locateSeeds(seedsDir: string | undefined): string {
  const dir = seedsDir === undefined ? stagingSeedsDir() : resolve(seedsDir);
  if (!existsSync(dir)) throw new MockgenSeedError('the seeds folder does not exist', dir);
  return dir;
}
