import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';

/** 600 models (enough for compile's file-writing worker), each reading the one before. */
function writeProject(extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'shopsmart-ahead-'));
  const files: Record<string, string> = {
    'dbt_project.yml': 'name: shop\nprofile: shop\n',
    'profiles.yml': `shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${join(dir, 'wh.duckdb')}\n      threads: 1\n`,
    'models/group_0/m_0.sql': 'select 1 as id\n',
    ...extra,
  };
  for (let i = 1; i < 600; i++)
    files[`models/group_${i % 7}/m_${i}.sql`] ??= `select id from {{ ref('m_${i - 1}') }} -- ${i}\n`;
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function shopsmart(args: string[]): Promise<{ code: number; err: string[] }> {
  const err: string[] = [];
  const code = await main(args, { out: () => {}, err: (l: string) => err.push(l) });
  return { code, err };
}

/** Every file under a folder, as path → text. */
function filesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = join(folder, entry.name);
      if (entry.isDirectory()) visit(full);
      else out.set(full.slice(dir.length), readFileSync(full, 'utf8'));
    }
  };
  if (existsSync(dir)) visit(dir);
  return out;
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * `compile` of every node starts its file-writing worker during the parse and has it create the
 * compiled files (empty) ahead; the batch fills them. The files must be exactly those a compile
 * that creates nothing ahead writes (`-s` of the same nodes), and none may be left empty.
 */
describe('compile: compiled files created ahead during the parse', () => {
  it('writes the same files as a selected compile; a disabled model gets none', async () => {
    const dir = writeProject({
      'models/group_3/m_3.sql': "{{ config(enabled=false) }}select id from {{ ref('m_2') }}\n",
      'models/group_4/m_4.sql': "select id from {{ ref('m_2') }}\n",
    });
    dirs.push(dir);
    const args = ['--project-dir', dir, '--profiles-dir', dir];
    expect((await shopsmart(['compile', ...args])).code).toBe(0);
    const ahead = filesUnder(join(dir, 'target/compiled'));
    expect(ahead.size).toBe(599);
    expect([...ahead.values()].filter((text) => text === '')).toEqual([]);
    expect(ahead.has('/shop/models/group_3/m_3.sql')).toBe(false);
    expect(ahead.get('/shop/models/group_5/m_5.sql')).toMatch(/"main"\."m_4" -- 5\n$/);

    rmSync(join(dir, 'target'), { recursive: true });
    expect((await shopsmart(['compile', '-s', 'path:models', ...args])).code).toBe(0);
    expect(filesUnder(join(dir, 'target/compiled'))).toEqual(ahead);
    // unchanged files are not written again by a later compile
    const file = join(dir, 'target/compiled/shop/models/group_1/m_1.sql');
    const before = statSync(file).mtimeMs;
    rmSync(join(dir, 'target/partial_parse.bin'));
    expect((await shopsmart(['compile', ...args])).code).toBe(0);
    expect(statSync(file).mtimeMs).toBe(before);
    expect(filesUnder(join(dir, 'target/compiled'))).toEqual(ahead);
  });

  it('leaves no file behind when the parse fails', async () => {
    const dir = writeProject({ 'models/group_2/m_2.sql': "select id from {{ ref('missing') }}\n" });
    dirs.push(dir);
    const result = await shopsmart(['compile', '--project-dir', dir, '--profiles-dir', dir]);
    expect(result.code).not.toBe(0);
    expect(result.err.join('\n')).toMatch(/missing/);
    expect(filesUnder(join(dir, 'target/compiled'))).toEqual(new Map());
  });
});
