import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');

describe('the CI workflow', () => {
  it('runs the README’s test command (bash .ci/run) with Node 20 and pnpm from packageManager', () => {
    const workflow = parse(read('.github/workflows/ci.yml')) as {
      on: Record<string, unknown>;
      jobs: Record<string, { steps: { uses?: string; run?: string; with?: Record<string, unknown> }[] }>;
    };
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node'))?.with?.['node-version']).toBe(20);
    expect(steps.some((s) => s.uses?.startsWith('pnpm/action-setup'))).toBe(true);
    expect(steps.map((s) => s.run).filter(Boolean)).toEqual(['bash .ci/run']);
    expect(JSON.parse(read('package.json')).packageManager).toBe('pnpm@10.34.9');
    const script = read('.ci/run');
    expect(script).toMatch(/^pnpm test$/m);
    expect(read('README.md')).toContain('CI=true bash .ci/run');
  });
});
