// Whole-process figures for the benches: wall time, CPU time (user + system) and peak memory of a
// child process, read from GNU time (/usr/bin/time); medians over several runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const gnuTime = '/usr/bin/time';
export const canMeasureCpu = existsSync(gnuTime);

/**
 * Runs `command args` once: { wall, cpu, user, sys, rssMb, status } (seconds, MB; cpu = user + sys,
 * the kernel's share in sys); cpu, user, sys and rssMb need GNU time.
 */
export function timeProcess(command, args, options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'shopsmart-time-'));
  const out = join(dir, 'time.txt');
  const t0 = performance.now();
  const run = canMeasureCpu
    ? spawnSync(gnuTime, ['-f', '%e %U %S %M', '-o', out, command, ...args], { ...options, encoding: 'utf8' })
    : spawnSync(command, args, { ...options, encoding: 'utf8' });
  const wall = (performance.now() - t0) / 1000;
  let cpu;
  let user;
  let sys;
  let rssMb;
  if (canMeasureCpu && existsSync(out)) {
    let rss;
    [, user, sys, rss] = readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    cpu = user + sys;
    rssMb = rss / 1024;
  }
  rmSync(dir, { recursive: true, force: true });
  return { wall, cpu, user, sys, rssMb, status: run.status, stdout: run.stdout, stderr: run.stderr };
}

export const median = (values) => {
  const sorted = values.filter((v) => v !== undefined).sort((a, b) => a - b);
  return sorted.length === 0 ? undefined : sorted[Math.floor(sorted.length / 2)];
};

/** `runs` timings of one command, with `before()` run ahead of each (e.g. to clear a cache). */
export function timeRuns(runs, command, args, options = {}, before = () => {}) {
  const all = [];
  for (let i = 0; i < runs; i++) {
    before();
    const result = timeProcess(command, args, options);
    if (result.status !== 0)
      throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr.slice(0, 500)}`);
    all.push(result);
  }
  return {
    wall: median(all.map((r) => r.wall)),
    cpu: median(all.map((r) => r.cpu)),
    user: median(all.map((r) => r.user)),
    sys: median(all.map((r) => r.sys)),
    rssMb: Math.max(...all.map((r) => r.rssMb ?? 0)),
    runs,
  };
}

export const seconds = (value) => (value === undefined ? '—' : `${value.toFixed(2)} s`);
export const loadLine = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (2-core machine: figures above ~1 are slowed by other work)`;
