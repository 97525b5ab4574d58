import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildManifest,
  EventBus,
  executeRun,
  generateDocs,
  type ParsedProject,
  readProject,
} from '@shopsmart/core-runner';
import { type Browser, chromium } from 'playwright-core';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
/** The site the CLI ships (dist/docs-site, copied there by the CLI build). */
export const siteAssets = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'docs-site');

/** Debian's chromium, headless, never a downloaded browser; the flags TOOLCHAIN.md lists. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Builds a parsed project into `dir` (warehouse and target) and writes its docs site; returns the site folder. */
export async function buildAndDocument(project: ParsedProject): Promise<string> {
  const results = await executeRun(project, { command: 'build', events: new EventBus() });
  if (results.results.length === 0) throw new Error('nothing was built');
  const docs = await generateDocs(project, { siteAssets });
  return docs.siteDir as string;
}

/** The ShopSmart project (shopsmart.yml at the repository root) on a scratch warehouse and target. */
export async function openShopsmartIn(dir: string, warehouse: string): Promise<ParsedProject> {
  const definition = await readProject(repoRoot);
  const dev = definition.targets[definition.defaultTarget];
  if (!dev) throw new Error('no default target in shopsmart.yml');
  return buildManifest({
    definition: { ...definition, targetPath: join(dir, 'target') },
    target: { ...dev, path: warehouse, threads: 2 },
    cliVars: {},
  });
}

/** A dbt project written from `{ path: contents }` into a new temp dir; returns the dir. */
export function writeDbtProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'shopsmart-docs-fixture-'));
  const all: Record<string, string> = {
    'dbt_project.yml': 'name: hostile\nprofile: hostile\nconfig-version: 2\n',
    'profiles.yml': `hostile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${join(dir, 'wh.duckdb')}\n      threads: 1\n`,
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
