import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checksumOf } from '../project/checksum.js';
import { pythonDatetimeText } from '../template/python-values.js';
import type { RenderMemo, RenderMemoEntry } from '../template/sql-compiler.js';

/** target/render_cache.json: run-time renders of the last runs of one parse. */
export const renderCacheFileName = 'render_cache.json';
const format = 1;

interface StoredEntry extends RenderMemoEntry {
  /** run_started_at as printed, and invocation_id, of the run that rendered it. */
  runStartedAt: string;
  invocationId: string;
  /** Environment variables the render read, with their values then (null: unset). */
  env: [string, string | null][];
}

interface RenderCacheFile {
  format: number;
  saveId: string;
  entries: Record<string, StoredEntry>;
}

/**
 * What a run renders at run time (an incremental model with `is_incremental()` answered, a unit
 * test's model over its fixtures, a hook printing `this`), kept for the next run of the same
 * parse, so a build whose renders are all known never builds the template engine (~0.5 s of CPU
 * on the main thread for ShopSmart).
 *
 * An entry is found under a key of everything the render reads besides the project: the node,
 * the template text, `is_incremental()`, vars overrides, where refs point, the run's flags (see
 * SqlCompiler.renderWithWarehouse). The project itself — every file, macro, var, the target, the
 * engine's build — is the parse cache's save (`saveId`): another save drops every entry. Renders
 * that asked the warehouse anything are never kept; an entry whose environment variables now
 * read otherwise is not used; run_started_at and invocation_id are written anew, as the parse
 * cache does (a project that uses them beyond printing them has no save, hence no cache).
 */
export class RenderCache implements RenderMemo {
  readonly #path: string;
  readonly #saveId: string;
  readonly #epoch: string;
  readonly #now: { runStartedAt: string; invocationId: string };
  readonly #entries: Record<string, StoredEntry>;
  #changed = false;

  private constructor(
    path: string,
    saveId: string,
    epoch: string,
    now: { runStartedAt: string; invocationId: string },
    entries: Record<string, StoredEntry>,
  ) {
    this.#path = path;
    this.#saveId = saveId;
    this.#epoch = epoch;
    this.#now = now;
    this.#entries = entries;
  }

  /**
   * The cache under `targetDir` for the parse saved as `saveId` and a run with these flags; an
   * unreadable file or one of another save starts empty.
   */
  static open(
    targetDir: string,
    saveId: string,
    flags: Record<string, unknown>,
    now: { runStartedAt: Date; invocationId: string },
  ): RenderCache {
    const path = join(targetDir, renderCacheFileName);
    let entries: Record<string, StoredEntry> = {};
    try {
      const file = JSON.parse(readFileSync(path, 'utf8')) as RenderCacheFile;
      if (file.format === format && file.saveId === saveId && file.entries) entries = file.entries;
    } catch {
      // none yet, or unreadable: the renders are made again
    }
    return new RenderCache(
      path,
      saveId,
      checksumOf(JSON.stringify(flags)),
      { runStartedAt: pythonDatetimeText(now.runStartedAt), invocationId: now.invocationId },
      entries,
    );
  }

  keyOf(parts: unknown[]): string {
    return checksumOf(JSON.stringify([this.#epoch, ...parts]));
  }

  lookup(key: string): RenderMemoEntry | undefined {
    const entry = this.#entries[key];
    if (!entry) return undefined;
    for (const [name, value] of entry.env) if ((process.env[name] ?? null) !== value) return undefined;
    const restamp = (text: string) => {
      let out = text;
      if (entry.runStartedAt && out.includes(entry.runStartedAt))
        out = out.split(entry.runStartedAt).join(this.#now.runStartedAt);
      if (entry.invocationId && out.includes(entry.invocationId))
        out = out.split(entry.invocationId).join(this.#now.invocationId);
      return out;
    };
    return { output: restamp(entry.output), logs: entry.logs.map(restamp) };
  }

  store(key: string, entry: RenderMemoEntry, envReads: ReadonlyMap<string, string | undefined>): void {
    this.#entries[key] = {
      output: entry.output,
      logs: entry.logs,
      ...this.#now,
      env: [...envReads].map(([name, value]) => [name, value ?? null]),
    };
    this.#changed = true;
  }

  /** Writes the file when this run added renders; a target/ that cannot be written is skipped. */
  save(): void {
    if (!this.#changed) return;
    const file: RenderCacheFile = { format, saveId: this.#saveId, entries: this.#entries };
    const temp = `${this.#path}.${process.pid}.tmp`;
    try {
      mkdirSync(join(this.#path, '..'), { recursive: true });
      writeFileSync(temp, JSON.stringify(file));
      renameSync(temp, this.#path);
      this.#changed = false;
    } catch {
      // the next run renders again, which is always correct
    }
  }
}
