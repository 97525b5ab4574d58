import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A Verdaccio registry on 127.0.0.1 with throwaway storage, started by `startLocalRegistry`. */
export interface LocalRegistry {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** The registry's folder: config, storage, log. */
  dir: string;
  /** Stops the registry (SIGTERM, then SIGKILL to its whole process group) and removes its storage. */
  stop(): Promise<void>;
}

/** A port nobody listens on at this moment, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Verdaccio's configuration: storage in `dir`, no uplinks (nothing leaves the machine; a package
 * it does not hold is a 404), anyone may read and publish, no web UI, no audit proxy.
 */
export function registryConfig(dir: string): string {
  return `storage: ${join(dir, 'storage')}
auth:
  htpasswd:
    file: ${join(dir, 'htpasswd')}
    max_users: -1
uplinks: {}
packages:
  '**':
    access: $all
    publish: $all
    unpublish: $all
web:
  enable: false
middlewares:
  audit:
    enabled: false
log: { type: stdout, format: pretty, level: warn }
`;
}

async function waitUntilUp(url: string, child: ChildProcess, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (child.exitCode !== null)
      throw new Error(`verdaccio exited with ${child.exitCode} before it listened`);
    try {
      const response = await fetch(`${url}-/ping`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`verdaccio did not answer ${url}-/ping within ${deadlineMs} ms`);
}

/** Starts Verdaccio (the pinned devDependency) on a free loopback port; call `stop()` in a finally. */
export async function startLocalRegistry(): Promise<LocalRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'shopsmart-registry-'));
  writeFileSync(join(dir, 'config.yaml'), registryConfig(dir));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const bin = createRequire(import.meta.url).resolve('verdaccio/bin/verdaccio');
  // Detached: its own process group, so stop() can end it and anything it started at once.
  const child = spawn(
    process.execPath,
    [bin, '--config', join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`],
    {
      detached: true,
      stdio: ['ignore', 'ignore', 'ignore'],
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    },
  );
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  // If the test process dies without reaching stop(), the registry goes with it.
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);
  const stop = async () => {
    process.removeListener('exit', onExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      killGroup('SIGTERM');
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5000));
      if ((await Promise.race([exited, timeout])) === 'timeout') {
        killGroup('SIGKILL');
        await exited;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilUp(url, child, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, dir, stop };
}

/** The versions of `name` the registry holds (empty when it holds none). */
export async function publishedVersions(registry: LocalRegistry, name: string): Promise<string[]> {
  const response = await fetch(`${registry.url}${name.replace('/', '%2f')}`);
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`${name}: registry answered ${response.status}`);
  const document = (await response.json()) as { versions?: Record<string, unknown> };
  return Object.keys(document.versions ?? {}).sort();
}

/** The tarball of `name@version` as the registry serves it: its size and the files it holds. */
export async function publishedTarball(
  registry: LocalRegistry,
  name: string,
  version: string,
): Promise<{ bytes: number; files: string[] }> {
  const response = await fetch(`${registry.url}${name.replace('/', '%2f')}/${version}`);
  const manifest = (await response.json()) as { dist: { tarball: string } };
  const tarball = Buffer.from(await (await fetch(manifest.dist.tarball)).arrayBuffer());
  const file = join(registry.dir, `${name.replace('/', '-')}-${version}.tgz`);
  writeFileSync(file, tarball);
  const listing = spawnSync('tar', ['-tzf', file], { encoding: 'utf8' });
  if (listing.status !== 0) throw new Error(`tar -tzf ${file}: ${listing.stderr}`);
  return {
    bytes: tarball.length,
    files: listing.stdout.split('\n').filter((line) => line && !line.endsWith('/')),
  };
}
