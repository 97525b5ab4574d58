import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const cliDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const repoRoot = resolve(cliDir, '..', '..');

/**
 * A copy of the repository's shopsmart.yml in a fresh scratch folder (its own warehouse/ and
 * target/) that resolves the layer packages the CLI depends on; `extraLayers` are appended to its
 * layer list. `remove` deletes the folder.
 */
export function scratchProject(prefix: string, extraLayers = ''): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `shopsmart-${prefix}-`));
  symlinkSync(join(cliDir, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), `{ "name": "${prefix}", "private": true, "type": "module" }\n`);
  const yml = readFileSync(join(repoRoot, 'shopsmart.yml'), 'utf8')
    .replace(/path: (packages\/\S+)/g, (_m, path: string) => `path: ${join(repoRoot, path)}`)
    .replace(/\ntarget: /, `\n${extraLayers}\ntarget: `);
  writeFileSync(join(dir, 'shopsmart.yml'), yml);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
