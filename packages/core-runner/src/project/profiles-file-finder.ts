import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ShopsmartError } from '../errors.js';

/**
 * The profiles.yml a dbt project connects with, looked up as dbt looks it up: `--profiles-dir`
 * when given, else `DBT_PROFILES_DIR` when set (either one is the only folder read), else the
 * project folder, then `~/.dbt`. None found is an error naming the profile and every folder
 * searched: a project never builds into a warehouse it did not ask for.
 *
 * @example
 * findProfilesFile('/work/shop', undefined, 'shop'); // → '/work/shop/profiles.yml' when it exists
 */
export function findProfilesFile(rootDir: string, profilesDir: string | undefined, profile: string): string {
  const fromEnv = process.env.DBT_PROFILES_DIR;
  const searched: { dir: string; why: string }[] = profilesDir
    ? [{ dir: resolve(profilesDir), why: '--profiles-dir' }]
    : fromEnv
      ? [{ dir: resolve(fromEnv), why: 'DBT_PROFILES_DIR' }]
      : [
          { dir: rootDir, why: 'the project folder' },
          { dir: join(process.env.HOME || homedir(), '.dbt'), why: '~/.dbt' },
        ];
  for (const { dir } of searched) {
    const file = join(dir, 'profiles.yml');
    if (existsSync(file)) return file;
  }
  throw new ShopsmartError(
    'SSA-PROFILE-404',
    `could not find profile named '${profile}': no profiles.yml in ${searched.map((s) => `${s.dir} (${s.why})`).join(', ')}`,
    {
      file: join(rootDir, 'dbt_project.yml'),
      hint: `create profiles.yml with a '${profile}' profile (target and outputs) in one of those folders, or pass --profiles-dir`,
    },
  );
}
