import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { shopsmart, writeDbtProject } from './support/cli-binary.js';

// https://docs.getdbt.com/reference/commands/deps : `dbt deps` installs packages.yml into
// dbt_packages/ and writes package-lock.yml; the project then uses the package's macros and tests.
// No network in tests: the hub is a closed local port.
process.env.DBT_PACKAGE_HUB_URL = 'http://127.0.0.1:9/';
const projects: { remove(): void }[] = [];
afterEach(() => {
  for (const p of projects.splice(0)) p.remove();
});

/** A project whose package sits one folder up, as a package's own integration tests do (`local: ../`). */
function packageWithIntegrationProject(packagesYml: string) {
  const repo = writeDbtProject('shopsmart-deps-', {
    'dbt_project.yml': "name: tidy\nversion: '0.2.0'\n",
    'profiles.yml': '',
    'macros/trimmed.sql': '{% macro trimmed(column) %}trim({{ column }}){% endmacro %}\n',
    'macros/no_blanks.sql':
      "{% test no_blanks(model, column_name) %}\nselect * from {{ model }} where trim({{ column_name }}) = ''\n{% endtest %}\n",
  });
  projects.push(repo);
  const dir = join(repo.dir, 'integration_tests');
  repo.write({
    'integration_tests/dbt_project.yml': 'name: tidy_tests\nprofile: shop\n',
    'integration_tests/profiles.yml': `shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${join(dir, 'wh.duckdb')}\n      threads: 1\n`,
    'integration_tests/packages.yml': packagesYml,
    'integration_tests/models/names.sql': 'select {{ tidy.trimmed("\'  ann \'") }} as name\n',
    'integration_tests/models/_models.yml':
      'version: 2\nmodels:\n  - name: names\n    columns:\n      - name: name\n        data_tests: [tidy.no_blanks]\n',
  });
  return dir;
}

describe('shopsmart deps', () => {
  it('installs a local: ../ package, writes package-lock.yml, and build uses its macros and tests', async () => {
    const dir = packageWithIntegrationProject('packages:\n  - local: ../\n');
    const deps = await shopsmart(['deps', '--project-dir', dir]);
    expect(deps.stderr).toBe('');
    expect(deps.code).toBe(0);
    expect(deps.stdout).toContain('Installing tidy\n  Installed from ../\nFinished deps: 1 package (tidy)');
    expect(readFileSync(join(dir, 'package-lock.yml'), 'utf8')).toMatch(
      /^packages:\n {2}- local: \.\.\/\n {4}name: tidy\nsha1_hash: de2deba3d66ce03d8c02949013650cc9b94f6030\n$/,
    );
    const build = await shopsmart(['build', '--project-dir', dir, '--profiles-dir', dir]);
    expect(build.stdout).toContain('OK=1 PASS=1');
    expect(build.code).toBe(0);
  });

  it('without network, a hub package fails with exit 2 and an error naming it', async () => {
    const dir = packageWithIntegrationProject(
      'packages:\n  - local: ../\n  - package: acme/dbt_missing\n    version: ">=1.0.0"\n',
    );
    const deps = await shopsmart(['deps', '--project-dir', dir]);
    expect(deps.code).toBe(2);
    expect(deps.stderr).toContain("hub package 'acme/dbt_missing' (version >=1.0.0) cannot be fetched");
    expect(deps.stderr).toContain('packages.yml:3');
    expect(existsSync(join(dir, 'dbt_packages', 'tidy'))).toBe(false);
  });
});
