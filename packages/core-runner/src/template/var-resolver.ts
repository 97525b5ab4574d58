import { didYouMean, formatSuggestions } from '../graph/did-you-mean.js';
import { splitArgs } from './render-scope.js';

/**
 * dbt's var precedence: `--vars` first, then the root project's vars, then the layer's own
 * (global or scoped under the layer name), then the call's default.
 */
export class VarResolver {
  constructor(
    private readonly cliVars: Record<string, unknown>,
    private readonly projectVars: Record<string, unknown>,
    private readonly layerVars: Map<string, Record<string, unknown>>,
  ) {}

  /** The same resolver with `overrides` taking precedence over everything (unit test overrides). */
  withOverrides(overrides: Record<string, unknown>): VarResolver {
    return new VarResolver({ ...this.cliVars, ...overrides }, this.projectVars, this.layerVars);
  }

  /** The value, or `{ error }` with a did-you-mean hint when nothing defines it. */
  resolve(
    layer: string,
    name: string,
    fallback: { has: boolean; value?: unknown },
  ): { value: unknown } | { error: string; hint?: string } {
    if (name in this.cliVars) return { value: this.cliVars[name] };
    const scopedRoot = this.projectVars[layer];
    if (scopedRoot && typeof scopedRoot === 'object' && name in (scopedRoot as object))
      return { value: (scopedRoot as Record<string, unknown>)[name] };
    if (name in this.projectVars) return { value: this.projectVars[name] };
    const own = this.layerVars.get(layer) ?? {};
    const scopedOwn = own[layer];
    if (scopedOwn && typeof scopedOwn === 'object' && name in (scopedOwn as object))
      return { value: (scopedOwn as Record<string, unknown>)[name] };
    if (name in own) return { value: own[name] };
    // Vars declared by any layer are visible to the others, as dbt shares project vars with packages.
    for (const vars of this.layerVars.values()) if (name in vars) return { value: vars[name] };
    if (fallback.has) return { value: fallback.value };
    const known = new Set([
      ...Object.keys(this.cliVars),
      ...Object.keys(this.projectVars),
      ...[...this.layerVars.values()].flatMap((v) => Object.keys(v)),
    ]);
    return {
      error: `var('${name}') is not defined`,
      hint:
        formatSuggestions(didYouMean(name, known)) ??
        `define it under vars: in dbt_project.yml, pass --vars '{${name}: ...}', or give a default: var('${name}', ...)`,
    };
  }

  /**
   * A template's `var('name', default)` call: the value, or null with the problem recorded in
   * `errors` (a render callback must not throw).
   */
  call(layer: string, args: unknown[], errors: { code?: string; message: string; hint?: string }[]): unknown {
    const { positional } = splitArgs(args);
    const resolved = this.resolve(layer, String(positional[0]), {
      has: positional.length > 1,
      value: positional[1],
    });
    if ('error' in resolved) {
      errors.push({ code: 'SSA-VAR-404', message: resolved.error, hint: resolved.hint });
      return null;
    }
    return resolved.value;
  }
}
