import { createRequire } from 'node:module';
import type { Environment } from 'minijinja-js';

type MinijinjaModule = typeof import('minijinja-js');
let minijinja: MinijinjaModule | undefined;

/**
 * A new minijinja environment, the WASM module loaded on first use: commands that render nothing
 * (`ls`, `--help`, a warm parse) never pay for compiling it.
 */
export function newEnvironment(): Environment {
  minijinja ??= createRequire(import.meta.url)('minijinja-js') as MinijinjaModule;
  return new minijinja.Environment();
}

export type { Environment };
