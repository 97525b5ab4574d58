import { spawn } from 'node:child_process';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the command after this long (default 10 minutes). */
  timeoutMs?: number;
}

/**
 * This process's environment without what the outer `pnpm test` / vitest / turbo run put there
 * (npm_config_*, turbo's task variables), so commands in a clone or a consumer folder behave as
 * they would in a shell.
 */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_UI: 'false' };
  for (const key of Object.keys(env)) {
    if (/^(npm_|PNPM_|TURBO_HASH|TURBO_TASK|TURBO_INVOCATION|VITEST|TEST$|NODE_ENV$)/i.test(key))
      delete env[key];
  }
  return { ...env, ...extra };
}

/** Runs a command to completion, capturing its output; never throws for a non-zero exit. */
export function runCommand(command: string, args: string[], options: RunOptions): Promise<CommandResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr, durationMs: performance.now() - started });
    });
  });
}

/** Runs a command and throws, with its output, unless it exits 0. */
export async function mustRun(command: string, args: string[], options: RunOptions): Promise<CommandResult> {
  const result = await runCommand(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `\`${command} ${args.join(' ')}\` in ${options.cwd} exited ${result.code}\n--- stdout\n${result.stdout.slice(-8000)}\n--- stderr\n${result.stderr.slice(-8000)}`,
    );
  }
  return result;
}
