import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';

/** A dbt project whose raw source is the mock warehouse, with the staging layer's thresholds. */
function writeProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shopsmart-cli-freshness-'));
  const files: Record<string, string> = {
    'dbt_project.yml': 'name: shop\nprofile: shop\nconfig-version: 2\n',
    'profiles.yml': `shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${join(dir, 'wh.duckdb')}\n      threads: 2\n`,
    'models/sources.yml': [
      'version: 2',
      'sources:',
      '  - name: raw',
      '    schema: raw',
      '    loaded_at_field: _loaded_at',
      '    freshness:',
      '      warn_after: {count: 24, period: hour}',
      '      error_after: {count: 48, period: hour}',
      '    tables:',
      '      - name: orders',
      '      - name: web_events',
      '',
    ].join('\n'),
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function capture() {
  const lines: { out: string[]; err: string[] } = { out: [], err: [] };
  return { lines, output: { out: (l: string) => lines.out.push(l), err: (l: string) => lines.err.push(l) } };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Generates the mock warehouse with `generateArgs`, then returns what `source freshness` prints. */
async function freshnessAfter(generateArgs: string[]): Promise<{ code: number; out: string[] }> {
  const dir = writeProject();
  dirs.push(dir);
  expect(
    await main(['generate', '--project-dir', dir, '--scale', '0.1', ...generateArgs], capture().output),
  ).toBe(0);
  const checked = capture();
  const code = await main(['source', 'freshness', '--project-dir', dir], checked.output);
  // one line per source table, between the run's header and summary
  return { code, out: checked.lines.out.filter((line) => line.includes(' freshness of ')) };
}

describe('shopsmart source freshness on the mock warehouse', () => {
  it('finds loads minutes old, never in the future, right after generating up to today', async () => {
    const { code, out } = await freshnessAfter([]);
    expect(code).toBe(0);
    expect(out).toHaveLength(2);
    for (const line of out) {
      // the history stops at the moment it is generated: the last loads are seconds to hours old
      expect(line).toMatch(
        /^\d of 2 PASS freshness of raw\.(orders|web_events) — age (\d+ s|\d+ min|\d+\.\d h), warn after 24 h, error after 48 h in /,
      );
      expect(line).not.toMatch(/future/);
    }
  });

  it('measures a history that ended yesterday from the end of that day', async () => {
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const { code, out } = await freshnessAfter(['--as-of', yesterday]);
    expect(code).toBe(0);
    expect(out).toHaveLength(2);
    for (const line of out) {
      expect(line).toMatch(/PASS freshness of raw\.\w+ — age (\d+ s|\d+ min|\d+\.\d h), warn after 24 h/);
      expect(line).not.toMatch(/future/);
    }
  });
});
