import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneHead, type RepoClone } from '../src/repo-clone.js';
import { changedTasks, type DryTask, dryRun, turboRun } from '../src/turbo-tasks.js';

// Turborepo caches each layer's build and test: on a temporary clone of HEAD, a change re-runs
// the tasks of the layer it touches and of what is built on that layer, and nothing upstream.

const all = ['run', 'build', 'test', 'check-package'];
const tasksOf = (pkg: string, tasks = ['build', 'test', 'check-package']) =>
  tasks.map((t) => `@shopsmart/${pkg}#${t}`);

/** The first model file of a layer, relative to the clone. */
function aModel(clone: RepoClone, layer: string): string {
  const walk = (dir: string): string | undefined => {
    for (const entry of readdirSync(join(clone.dir, dir), { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = `${dir}/${entry.name}`;
      if (entry.isFile() && entry.name.endsWith('.sql')) return path;
      if (entry.isDirectory()) {
        const found = walk(path);
        if (found) return found;
      }
    }
    return undefined;
  };
  const found = walk(`packages/${layer}/models`);
  if (!found) throw new Error(`no model in packages/${layer}/models`);
  return found;
}

let clone: RepoClone;
let baseline: Map<string, DryTask>;
/** Every workspace package with a build script: what a build runs. */
let buildTasks: string[];

beforeAll(async () => {
  // The workspace's cache: what `pnpm test` already built at HEAD is a hit here too.
  clone = await cloneHead('turbo-cache', { turboCache: 'workspace' });
}, 300_000);

afterAll(() => clone?.remove());

describe('Turborepo caching per layer (temporary clone of HEAD)', () => {
  it('a second `pnpm turbo build` is all cache hits', async () => {
    buildTasks = [...(await dryRun(clone, ['build'])).keys()].sort();
    expect(buildTasks).toContain('@shopsmart/marts#build');
    const first = await turboRun(clone, ['build']);
    expect([...first.hits, ...first.misses].sort()).toEqual(buildTasks);
    const second = await turboRun(clone, ['build']);
    expect(second.misses).toEqual([]);
    expect(second.hits).toEqual([...first.hits, ...first.misses].sort());
    console.info(
      `turbo build: first ${(first.durationMs / 1000).toFixed(1)} s (${first.misses.length} ran), second ${(second.durationMs / 1000).toFixed(1)} s`,
    );
    baseline = await dryRun(clone, all);
    for (const task of baseline.values()) {
      if (task.taskId.endsWith('#build')) expect(task.cache.status, task.taskId).toBe('HIT');
    }
  });

  it("editing one marts model re-runs marts' build and test (and the suites that build the whole project), nothing upstream", async () => {
    const model = aModel(clone, 'marts');
    appendFileSync(join(clone.dir, model), '\n-- edited by the caching test\n');
    try {
      expect(changedTasks(baseline, await dryRun(clone, all))).toEqual(
        [
          ...tasksOf('marts'),
          // The two suites that compose every layer into one project, and the release test.
          '@shopsmart/cli#test',
          '@shopsmart/quality#test',
          '@shopsmart/release-tests#test',
        ].sort(),
      );
      const rebuilt = await turboRun(clone, ['build']);
      expect(rebuilt.misses).toEqual(['@shopsmart/marts#build']);
      expect(rebuilt.hits).toEqual(buildTasks.filter((task) => task !== '@shopsmart/marts#build'));
    } finally {
      await clone.run('git', ['checkout', '--', model]);
    }
  });

  it('editing one staging model re-runs staging and everything downstream of it', async () => {
    const model = aModel(clone, 'staging');
    appendFileSync(join(clone.dir, model), '\n-- edited by the caching test\n');
    try {
      const changed = changedTasks(baseline, await dryRun(clone, all));
      expect(changed).toEqual(
        [
          ...tasksOf('staging'),
          ...tasksOf('intermediate'),
          ...tasksOf('marts'),
          ...tasksOf('mockgen'),
          ...tasksOf('cli'),
          '@shopsmart/quality#test',
          '@shopsmart/release-tests#test',
        ].sort(),
      );
      // Upstream of staging: core-runner and the quality macros it uses are untouched.
      for (const task of [...tasksOf('core-runner'), '@shopsmart/quality#build'])
        expect(changed).not.toContain(task);
    } finally {
      await clone.run('git', ['checkout', '--', model]);
    }
    // Reverted: the same hashes as before the edit.
    expect(changedTasks(baseline, await dryRun(clone, all))).toEqual([]);
  });

  it('`pnpm turbo test --filter marts` runs only what marts needs', async () => {
    const plan = await dryRun(clone, ['test', '--filter', 'marts']);
    expect([...plan.keys()].sort()).toEqual(
      [
        '@shopsmart/marts#test',
        '@shopsmart/marts#build',
        // marts' dependencies (and mockgen, its test data), built, not tested.
        '@shopsmart/core-runner#build',
        '@shopsmart/quality#build',
        '@shopsmart/staging#build',
        '@shopsmart/intermediate#build',
        '@shopsmart/mockgen#build',
      ].sort(),
    );
    for (const [id, task] of plan) if (id.endsWith('#build')) expect(task.cache.status, id).toBe('HIT');
  });
});
