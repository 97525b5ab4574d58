#!/usr/bin/env node
// `pnpm turbo …` runs this script (pnpm prefers a root script over a binary of the same name).
// It lets a package be named by its folder: `--filter marts` means `--filter @shopsmart/marts`,
// as people type it; everything else goes to turbo unchanged.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

function workspaceNames() {
  const names = new Set();
  for (const group of ['packages', 'apps', 'tests']) {
    for (const dir of readdirSync(join(root, group), { withFileTypes: true })) {
      if (!dir.isDirectory()) continue;
      try {
        names.add(JSON.parse(readFileSync(join(root, group, dir.name, 'package.json'), 'utf8')).name);
      } catch {
        // Not a package folder.
      }
    }
  }
  return names;
}

/** `marts`, `marts...`, `...marts`, `^marts...` → the same with `@shopsmart/marts` when only that exists. */
export function expandFilter(value, names) {
  const match = /^(\.\.\.)?(\^)?([A-Za-z0-9_.-]+)(\.\.\.)?$/.exec(value);
  if (!match || names.has(match[3]) || !names.has(`@shopsmart/${match[3]}`)) return value;
  return `${match[1] ?? ''}${match[2] ?? ''}@shopsmart/${match[3]}${match[4] ?? ''}`;
}

const names = workspaceNames();
const args = process.argv.slice(2).map((arg, index, all) => {
  const previous = all[index - 1];
  if (previous === '--filter' || previous === '-F') return expandFilter(arg, names);
  const inline = /^(--filter=|-F=)(.*)$/.exec(arg);
  return inline ? `${inline[1]}${expandFilter(inline[2], names)}` : arg;
});
const turbo = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'turbo.cmd' : 'turbo');
const { status, error } = spawnSync(turbo, args, {
  stdio: 'inherit',
  env: { TURBO_TELEMETRY_DISABLED: '1', ...process.env },
});
if (error) throw error;
process.exit(status ?? 1);
