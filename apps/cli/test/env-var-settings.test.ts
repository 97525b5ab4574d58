import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  delete process.env.SSA_CLI_EV_WAREHOUSE;
  delete process.env.DBT_ENV_SECRET_SSA_CLI_TOKEN;
});

function project(profiles: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'shopsmart-cli-env-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'dbt_project.yml'), 'name: shop\nprofile: shop\n');
  writeFileSync(join(dir, 'profiles.yml'), profiles);
  writeFileSync(join(dir, 'a.sql'), '');
  return dir;
}

function capture() {
  const lines: string[] = [];
  return { lines, output: { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) } };
}

const profile = (path: string) =>
  `shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: "${path}"\n      threads: 1\n`;

describe('env_var() in connection settings, from the command line', () => {
  it('an unset variable without a default exits 2 with the file, line, key and a hint; nothing is created', async () => {
    const dir = project(profile("{{ env_var('SSA_CLI_EV_WAREHOUSE') }}"));
    const { lines, output } = capture();
    expect(await main(['build', '--project-dir', dir], output)).toBe(2);
    const text = lines.join('\n');
    expect(text).toContain('[SSA-ENV-404]');
    expect(text).toContain(`${join(dir, 'profiles.yml')}:6`);
    expect(text).toContain(
      "env_var('SSA_CLI_EV_WAREHOUSE') is not set and has no default (in shop.outputs.dev.path)",
    );
    expect(text).toContain('hint: set SSA_CLI_EV_WAREHOUSE in the environment, or give a default');
    expect(readdirSync(dir).sort()).toEqual(['a.sql', 'dbt_project.yml', 'profiles.yml']);
  });

  it('a set variable is used, and --vars reach the profile', async () => {
    process.env.SSA_CLI_EV_WAREHOUSE = 'from-env';
    const dir = project(profile("{{ env_var('SSA_CLI_EV_WAREHOUSE') }}-{{ var('suffix') }}.duckdb"));
    const { output } = capture();
    expect(await main(['build', '--project-dir', dir, '--vars', '{suffix: cli}'], output)).toBe(0);
    expect(existsSync(join(dir, 'from-env-cli.duckdb'))).toBe(true);
  });

  it('a secret in the profile is masked in what is printed, text and JSON', async () => {
    process.env.DBT_ENV_SECRET_SSA_CLI_TOKEN = 'tok-5f1e-secret';
    const dir = project(profile("{{ env_var('DBT_ENV_SECRET_SSA_CLI_TOKEN') }}.duckdb"));
    // A folder where the warehouse file should be: the error quotes the path, secret included.
    mkdirSync(join(dir, 'tok-5f1e-secret.duckdb'));
    for (const format of ['text', 'json']) {
      const { lines, output } = capture();
      expect(await main(['build', '--project-dir', dir, '--log-format', format], output)).not.toBe(0);
      const text = lines.join('\n');
      expect(text).toContain('*****.duckdb');
      expect(text).not.toContain('tok-5f1e-secret');
    }
  });
});
