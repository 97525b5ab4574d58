import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { openWarehouse, readProject } from '@shopsmart/core-runner';
import type { CliArgs } from '../cli-options.js';
import type { Output } from '../event-printer.js';
import { ExitCode } from '../exit-codes.js';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

const versionOf = (pkg: string): string => {
  try {
    const require = createRequire(import.meta.url);
    return (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
};

/** Who holds `<warehouse>.lock`, if anyone (a lock of a dead process is stale: the next run takes it). */
function lockState(path: string): Check {
  const file = `${path}.lock`;
  if (!existsSync(file)) return { name: 'lock', ok: true, detail: 'free' };
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as {
      pid: number;
      command: string;
      startedAt: string;
    };
    let alive = true;
    try {
      process.kill(holder.pid, 0);
    } catch (error) {
      alive = (error as NodeJS.ErrnoException).code === 'EPERM';
    }
    return alive
      ? {
          name: 'lock',
          ok: false,
          detail: `held by run ${holder.pid} (${holder.command}) since ${holder.startedAt}`,
        }
      : { name: 'lock', ok: true, detail: `stale lock of run ${holder.pid} (ended); the next run takes it` };
  } catch {
    return { name: 'lock', ok: true, detail: `unreadable lock file ${file}; the next run replaces it` };
  }
}

/**
 * `shopsmart debug`: what the CLI would work with and whether it works — project, targets,
 * versions, the warehouse opening and answering, its lock. Exit 1 when a check fails.
 *
 * @example
 * // $ shopsmart debug
 * // shopsmart 0.1.0, engine @shopsmart/core-runner 0.1.0, node v20.20.2
 * // project   OK  shopsmart (5 layers) in /work/shop
 * // ...
 * // All checks passed!
 */
export async function debugCommand(args: CliArgs, output: Output): Promise<number> {
  const checks: Check[] = [];
  const print = (check: Check) => {
    checks.push(check);
    if (args.logFormat === 'json') output.out(JSON.stringify({ kind: 'debug_check', ...check }));
    else output.out(`${check.name.padEnd(10)} ${check.ok ? 'OK   ' : 'ERROR'} ${check.detail}`);
  };
  const versions = {
    cli: versionOf('@shopsmart/cli'),
    engine: versionOf('@shopsmart/core-runner'),
    node: process.version,
  };
  if (args.logFormat === 'json') output.out(JSON.stringify({ kind: 'debug_versions', ...versions }));
  else
    output.out(
      `shopsmart ${versions.cli}, engine @shopsmart/core-runner ${versions.engine}, node ${versions.node}`,
    );
  let definition: Awaited<ReturnType<typeof readProject>>;
  try {
    definition = await readProject(args.projectDir, args.profilesDir, {
      cliVars: args.vars,
      target: args.target,
    });
    print({
      name: 'project',
      ok: true,
      detail: `${definition.name} (${definition.isDbtProject ? 'dbt project' : `${definition.layers.length} layers`}) in ${definition.rootDir}`,
    });
  } catch (error) {
    print({ name: 'project', ok: false, detail: error instanceof Error ? error.message : String(error) });
    return finish(checks, args, output);
  }
  const name = args.target ?? definition.defaultTarget;
  const names = Object.keys(definition.targets);
  print({
    name: 'targets',
    ok: names.includes(name),
    detail: `${names.map((n) => (n === name ? `${n} (used)` : n)).join(', ')}${names.includes(name) ? '' : ` — '${name}' is not defined`}`,
  });
  const target = definition.targets[name];
  const problems = definition.targetProblems?.[name] ?? [];
  if (problems.length > 0)
    print({ name: 'profile', ok: false, detail: problems.map((p) => p.message).join('; ') });
  if (!target || problems.length > 0) return finish(checks, args, output);
  print({
    name: 'target',
    ok: true,
    detail: `${target.type} ${target.path} schema ${target.schema}, ${target.threads} threads`,
  });
  if (target.type === 'duckdb' && target.path !== ':memory:') {
    const lock = lockState(target.path);
    print(lock);
    if (!lock.ok) return finish(checks, args, output);
  }
  const isNew = target.type === 'duckdb' && target.path !== ':memory:' && !existsSync(target.path);
  try {
    const adapter = await openWarehouse(target, { threads: 1, command: 'debug' });
    try {
      const [row] = await adapter.query('select version() as version');
      print({
        name: 'warehouse',
        ok: true,
        detail: `opens and answers (${adapter.type} ${String(row?.version ?? '?')})`,
      });
    } finally {
      await adapter.close();
    }
  } catch (error) {
    print({
      name: 'warehouse',
      ok: false,
      detail: error instanceof Error ? (error.message.split('\n')[0] as string) : String(error),
    });
  }
  if (isNew)
    print({
      name: 'data',
      ok: true,
      detail: 'the warehouse file is new: run `shopsmart generate` to fill it',
    });
  return finish(checks, args, output);
}

function finish(checks: Check[], args: CliArgs, output: Output): number {
  const failed = checks.filter((c) => !c.ok).length;
  if (args.logFormat === 'json')
    output.out(JSON.stringify({ kind: 'debug_finished', success: failed === 0 }));
  else output.out(failed === 0 ? 'All checks passed!' : `${failed} check${failed === 1 ? '' : 's'} failed`);
  return failed === 0 ? ExitCode.ok : ExitCode.nodeFailed;
}
