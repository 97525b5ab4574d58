import {
  closeSync,
  type Dirent,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { OneFile } from '../artifacts/file-batch-writer.js';
import { ShopsmartError } from '../errors.js';
import { coreRunnerVersion } from '../layer/layer-schema.js';
import type { ParseScope } from '../template/parse-scope.js';
import { pythonDatetimeText } from '../template/python-values.js';
import { decodeJson, encodeJson, type JsonEncoded } from './cache-json-codec.js';
import { checksumOf } from './checksum.js';
import type { LayerFileSources, LoadedLayer } from './layer-loader.js';
import { walk } from './layer-reader.js';
import { nodeMaps } from './manifest-assembler.js';
import type { Manifest, ParsedCode } from './manifest-types.js';
import type { ProjectDefinition } from './project-definition.js';
import type { MacroInfo, ProjectNode } from './project-types.js';
import { readPlainYamlFile, readYaml, yamlFromLines } from './yaml-reader.js';

/** dbt's `partial_parse.msgpack`: what the next command needs to skip parsing. */
export const parseCacheFileName = 'partial_parse.bin';
/** Texts, parsed YAML and renders, for a partial parse after an edit. */
export const parseMemoFileName = 'partial_parse_memo.bin';
/**
 * The rendered code and loaded layers of the cached parse: read with the cache but deserialised
 * only when a command asks for them (`ls` never does), so a warm `ls` decodes the manifest alone.
 */
export const parseCodeFileName = 'partial_parse_code.bin';
const format = 6;
/**
 * A file modified this close to the cache's writing may have changed again within the file
 * system's timestamp granularity: its contents are compared, not its size and time (git's "racy" rule).
 */
const racyMs = 2000;

/** What a file looked like when it was parsed. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  checksum: string;
}

/** How the project was parsed this time; `reason` says why the cache could not answer whole. */
export interface ParseCacheReport {
  status: 'hit' | 'partial' | 'full';
  reason?: string;
  /** Nodes rendered by this parse (0 on a hit). */
  rendered: number;
  /** Nodes whose previous render was reused. */
  reused: number;
  /**
   * Names the cache save this parse matches (absent when none was written): what the manifest
   * JSON written from it is remembered under (artifacts/manifest-json-parts.ts).
   */
  saveId?: string;
}

/** Everything a cache hit restores. */
export interface ParseSnapshot {
  definition: ProjectDefinition;
  manifest: Manifest;
  parsed: Map<string, ParsedCode>;
  layers: LoadedLayer[];
}

interface Identity {
  format: number;
  /** The engine that wrote it: version and build (a rebuilt engine may parse differently). */
  engine: string;
  rootDir: string;
  /** Checksum of the project definition, target and --vars. */
  inputs: string;
}

/**
 * What the cache file keeps of a snapshot (the rest is in the code file): the manifest as JSON
 * text when it is plain data (faster to decode), else as it is.
 */
interface CachedSnapshot {
  definition: ProjectDefinition;
  manifest?: Manifest;
  /** The manifest without its parent and child maps, which `nodeMaps` makes again. */
  manifestJson?: JsonEncoded;
}

/** The code file: a first line naming the save it belongs to, then `parsed` and `layers` (each serialised alone). */
interface CodeFile {
  parsed: Map<string, ParsedCode>;
  layers: LoadedLayer[];
}

/**
 * A layer as the code file keeps it: each node and macro the manifest holds (the same object, as
 * after every parse) as its unique id, so the nodes are stored once, in the manifest.
 */
type StoredLayer = Omit<LoadedLayer, 'nodes' | 'macros'> & {
  nodes: (ProjectNode | string)[];
  macros: (MacroInfo | string)[];
};

function storedLayers(layers: readonly LoadedLayer[], manifest: Manifest): StoredLayer[] {
  return layers.map((layer) => ({
    ...layer,
    nodes: layer.nodes.map((n) => (manifest.nodes[n.uniqueId] === n ? n.uniqueId : n)),
    macros: layer.macros.map((m) => (manifest.macros[m.uniqueId] === m ? m.uniqueId : m)),
  }));
}

/** The layers `storedLayers` kept, their nodes and macros taken from the decoded manifest. */
function restoredLayers(stored: StoredLayer[], manifest: Manifest): LoadedLayer[] | undefined {
  const restored: LoadedLayer[] = [];
  for (const layer of stored) {
    const nodes: ProjectNode[] = [];
    for (const n of layer.nodes) {
      const node = typeof n === 'string' ? manifest.nodes[n] : n;
      if (!node) return undefined;
      nodes.push(node);
    }
    const macros: MacroInfo[] = [];
    for (const m of layer.macros) {
      const macro = typeof m === 'string' ? manifest.macros[m] : m;
      if (!macro) return undefined;
      macros.push(macro);
    }
    restored.push({ ...layer, nodes, macros });
  }
  return restored;
}

export interface CacheFile extends Identity {
  savedAt: number;
  /** Names the save: the code file of the same save carries it too. */
  saveId: string;
  /** Environment variables env_var() read while parsing, with their values. */
  env: [string, string | null][];
  /** Folders listed, and every file in them or read directly (dbt_project.yml files). */
  folders: string[];
  /**
   * The modification time of each listed folder and of every folder under it (null: absent).
   * A file added or removed changes its folder's time: only folders whose time changed (or is
   * too close to the cache's writing to tell) are listed again.
   */
  dirs: Record<string, number | null>;
  files: Record<string, FileStamp | null>;
  runStartedAt: string;
  invocationId: string;
  snapshot: CachedSnapshot;
}

/** A render kept for the next parse; `static` marks one the static path made (redone, not restored). */
type RenderRecord = { code: string; scope: Record<string, unknown> } | { static: true };

const staticRecord: RenderRecord = { static: true };

interface MemoFile extends Identity {
  runStartedAt: string;
  invocationId: string;
  env: [string, string | null][];
  yaml: Record<string, { value: unknown; lines: Record<string, number> }>;
  epoch: string;
  renders: Map<string, RenderRecord>;
}

/** run_started_at as templates print it (what a later hit swaps for its own). */
const printedTime = (date: Date): string => pythonDatetimeText(date);

/** The engine's identity: its version and the build of the code running now. */
export function engineIdentity(): string {
  let build = '';
  try {
    const stat = statSync(fileURLToPath(import.meta.url));
    build = `${stat.size}:${stat.mtimeMs}`;
  } catch {
    build = 'unknown';
  }
  return `${coreRunnerVersion()}+${build}`;
}

/** Names the cache inputs outside the files: the definition (minus its per-target problems), target and vars. */
export function parseIdentity(definition: ProjectDefinition, target: unknown, cliVars: unknown): Identity {
  const { targetProblems: _problems, ...stable } = definition;
  return {
    format,
    engine: engineIdentity(),
    rootDir: definition.rootDir,
    inputs: checksumOf(JSON.stringify({ definition: stable, target, cliVars })),
  };
}

function sameIdentity(a: Identity, b: Identity): string | undefined {
  if (a.format !== b.format) return 'the cache was written in another format';
  if (a.engine !== b.engine) return 'the engine version changed';
  if (a.rootDir !== b.rootDir) return 'the cache belongs to another project';
  if (a.inputs !== b.inputs) return 'the project settings, target or --vars changed';
  return undefined;
}

function readFileStamp(path: string): FileStamp | null {
  try {
    const text = readFileSync(path, 'utf8');
    const stat = statSync(path);
    return { size: stat.size, mtimeMs: stat.mtimeMs, checksum: checksumOf(text) };
  } catch {
    return null;
  }
}

/**
 * Whether the files are as the stamps say: the same set of files in each folder, each of the
 * same size and time (or, for a file changed close to the cache's writing, the same contents).
 * Returns the first difference.
 */
function changedFile(cache: CacheFile): string | undefined {
  for (const [path, stamp] of Object.entries(cache.files)) {
    let stat: { size: number; mtimeMs: number } | undefined;
    try {
      stat = statSync(path);
    } catch {
      stat = undefined;
    }
    if (!stat || !stamp) {
      if (stat) return `${path} was added`;
      if (stamp) return `${path} was deleted`;
      continue;
    }
    if (stat.size !== stamp.size) return `${path} changed`;
    if (stat.mtimeMs === stamp.mtimeMs && stamp.mtimeMs < cache.savedAt - racyMs) continue;
    if (readFileStamp(path)?.checksum !== stamp.checksum) return `${path} changed`;
  }
  for (const [dir, mtime] of Object.entries(cache.dirs)) {
    const stat = statSync(dir, { throwIfNoEntry: false });
    const now = stat?.isDirectory() ? stat.mtimeMs : null;
    if (now === mtime && (mtime === null || mtime < cache.savedAt - racyMs)) continue;
    for (const file of walk(dir)) if (!(file in cache.files)) return `${file} was added`;
  }
  return undefined;
}

/**
 * The modification time of each folder and of every folder under it (as `walk` descends), null
 * when absent; and the files found in them (what `walk` lists), from the same listing.
 */
function directoryTimes(folders: Iterable<string>): {
  times: Record<string, number | null>;
  files: string[];
} {
  const times: Record<string, number | null> = {};
  const files: string[] = [];
  const visit = (dir: string) => {
    const stat = statSync(dir, { throwIfNoEntry: false });
    times[dir] = stat?.isDirectory() ? stat.mtimeMs : null;
    if (!stat?.isDirectory()) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    // `dir` is normalised already (as join gives it): a plain name is appended without join's normalising
    const prefix = dir.endsWith(sep) ? dir : `${dir}${sep}`;
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = prefix + entry.name;
      const isDirectory = entry.isSymbolicLink()
        ? statSync(full, { throwIfNoEntry: false })?.isDirectory() === true
        : entry.isDirectory();
      if (isDirectory) visit(full);
      else files.push(full);
    }
  };
  for (const folder of folders) visit(join(folder));
  return { times, files };
}

/**
 * A file's text and its size and time from one open (`readFileSync` then `statSync` would look the
 * path up twice and stat it twice). A change while it is read shows as a size or time the next
 * lookup does not match, or inside the racy window, where contents are compared.
 */
function readWithStat(path: string): { text: string; stat: Stats } {
  const fd = openSync(path, 'r');
  try {
    const stat = fstatSync(fd);
    // a size of 0 may be a file whose size the kernel does not know: read it to its end
    if (stat.size === 0) return { text: readFileSync(fd, 'utf8'), stat };
    // up to the size fstat gave, as readFileSync reads a regular file
    const bytes = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return { text: bytes.toString('utf8', 0, read), stat };
  } finally {
    closeSync(fd);
  }
}

function changedEnv(env: [string, string | null][]): string | undefined {
  const changed = env.find(([name, value]) => (process.env[name] ?? null) !== value);
  return changed ? `the environment variable ${changed[0]} changed` : undefined;
}

function readCacheFile<T>(
  path: string,
  decode: (bytes: Buffer) => T = (bytes) => deserialize(bytes) as T,
): { value?: T; corrupt?: boolean } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return {};
  }
  try {
    const value = decode(bytes);
    if (!value || typeof value !== 'object') return { corrupt: true };
    return { value };
  } catch {
    return { corrupt: true };
  }
}

function cachedSnapshot(snapshot: ParseSnapshot): CachedSnapshot {
  const { parentMap: _parents, childMap: _children, ...rest } = snapshot.manifest;
  const manifestJson = encodeJson(rest);
  return manifestJson
    ? { definition: snapshot.definition, manifestJson }
    : { definition: snapshot.definition, manifest: snapshot.manifest };
}

/**
 * The manifest `cachedSnapshot` encoded as JSON, its maps made again from its nodes when first
 * read: only `manifest.json` needs them, and `ls` or `compile -s` of one node would spend ~10 ms
 * of ShopSmart's warm command making them. They are plain data properties once made (or set), in
 * the key order of a full parse's manifest.
 */
function decodeManifest(encoded: JsonEncoded): Manifest {
  const rest = decodeJson<Omit<Manifest, 'parentMap' | 'childMap'>>(encoded);
  const { disabled, ...head } = rest;
  const manifest = { ...head, parentMap: {}, childMap: {}, disabled } as Manifest;
  const settle = (maps: Pick<Manifest, 'parentMap' | 'childMap'>) => {
    for (const key of ['parentMap', 'childMap'] as const)
      Object.defineProperty(manifest, key, {
        value: maps[key],
        writable: true,
        enumerable: true,
        configurable: true,
      });
  };
  const make = () =>
    nodeMaps([
      ...Object.values(manifest.nodes),
      ...Object.values(manifest.sources),
      ...Object.values(manifest.exposures),
    ]);
  for (const key of ['parentMap', 'childMap'] as const)
    Object.defineProperty(manifest, key, {
      enumerable: true,
      configurable: true,
      get: () => {
        const maps = make();
        settle(maps);
        return maps[key];
      },
      set: (value: Manifest[typeof key]) => {
        const maps = make();
        settle({ ...maps, [key]: value });
      },
    });
  return manifest;
}

/**
 * The cache file: `magic, header length, V8 header, ASCII body` when the manifest is JSON: the
 * body is the JSON and the undefined paths (split by \u0002, which JSON text never holds raw),
 * read back as one-byte strings without decoding (a V8 copy of them costs more). Else V8 only.
 */
const splitMagic = Buffer.from('SSPC');
const bodySeparator = '\u0002';
const isAscii = (text: string) => Buffer.byteLength(text, 'utf8') === text.length;

/** Exported for the tests, which rewrite a cache file. */
export function encodeCacheFile(cache: CacheFile): Buffer {
  const encoded = cache.snapshot.manifestJson;
  if (!encoded || !isAscii(encoded.undefinedAt)) return serialize(cache);
  const header = serialize({
    ...cache,
    snapshot: { ...cache.snapshot, manifestJson: { json: '', undefinedAt: '' } },
  });
  // one buffer, each part written in place (no concatenated copy of the multi-megabyte JSON)
  const bodyAt = splitMagic.length + 4 + header.length;
  const bytes = Buffer.allocUnsafe(bodyAt + encoded.json.length + 1 + encoded.undefinedAt.length);
  splitMagic.copy(bytes, 0);
  bytes.writeUInt32LE(header.length, splitMagic.length);
  header.copy(bytes, splitMagic.length + 4);
  let at = bodyAt + bytes.write(encoded.json, bodyAt, 'latin1');
  at += bytes.write(bodySeparator, at, 'latin1');
  bytes.write(encoded.undefinedAt, at, 'latin1');
  return bytes;
}

export function decodeCacheFile(bytes: Buffer): CacheFile {
  if (!bytes.subarray(0, 4).equals(splitMagic)) return deserialize(bytes) as CacheFile;
  const length = bytes.readUInt32LE(4);
  const cache = deserialize(bytes.subarray(8, 8 + length)) as CacheFile;
  const encoded = cache?.snapshot?.manifestJson;
  if (encoded) {
    const body = bytes.toString('latin1', 8 + length);
    const split = body.lastIndexOf(bodySeparator);
    encoded.json = body.slice(0, split);
    encoded.undefinedAt = body.slice(split + 1);
  }
  return cache;
}

function writeInPlace(path: string, data: Uint8Array): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, data);
  renameSync(temp, path);
}

const unCopyable = Symbol('uncopyable');

/**
 * A deep copy of JSON-like data (plain objects, arrays, primitives), what a render scope records;
 * `unCopyable` for anything else. Much cheaper than structuredClone for the many small values of a parse.
 */
function plainCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object')
    return typeof value === 'function' || typeof value === 'symbol' ? unCopyable : value;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = plainCopy(value[i]);
      if (item === unCopyable) return unCopyable;
      out[i] = item;
    }
    return out;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return unCopyable;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = plainCopy((value as Record<string, unknown>)[key]);
    if (item === unCopyable) return unCopyable;
    out[key] = item;
  }
  return out;
}

/** Matches text run_started_at and invocation_id are written into (for a later run's own values). */
const volatileUse = /\b(run_started_at|invocation_id)\b(?!\s*\}\})|\bmodules\s*\./;

/**
 * The cache of one project's parse under target/. `lookup` answers a command whose inputs did not
 * change; otherwise `memo` lets the parse re-read only changed files and re-render only nodes
 * whose inputs changed; `save` writes both after a successful parse.
 *
 * What makes a cache unusable: another format, engine build or project; other project settings,
 * target or --vars; an environment variable env_var() read that now has another value; any file
 * added, changed or deleted (for a whole hit). A cache that cannot be read is reported as corrupt.
 */
export class ParseCache {
  readonly #dir: string;
  readonly #identity: Identity;
  #memo: MemoFile | undefined;
  #reason: string | undefined;
  #corrupt = false;
  /** Stamps of the files this parse read. */
  readonly #stamps = new Map<string, FileStamp | null>();
  readonly #yaml: MemoFile['yaml'] = {};
  readonly #renders: MemoFile['renders'] = new Map();
  #epoch = '';
  #reused = 0;
  #rendered = 0;
  #envReads = new Map<string, string | undefined>();
  #volatile = false;
  #now = { invocationId: '', runStartedAt: '' };
  #saveId: string | undefined;

  constructor(dir: string, identity: Identity) {
    this.#dir = dir;
    this.#identity = identity;
  }

  /** True when the cache file exists but could not be read (the caller warns). */
  get corrupt(): boolean {
    return this.#corrupt;
  }

  /**
   * The previous parse when nothing it depended on changed, with this invocation's id and start
   * time written where the previous ones were.
   */
  lookup(now: { invocationId: string; runStartedAt: Date }): ParseSnapshot | undefined {
    this.#now = { invocationId: now.invocationId, runStartedAt: printedTime(now.runStartedAt) };
    const { value: cache, corrupt } = readCacheFile(join(this.#dir, parseCacheFileName), decodeCacheFile);
    if (corrupt || (cache && !cache.snapshot)) {
      this.#corrupt = true;
      this.#reason = 'the parse cache could not be read';
      return undefined;
    }
    if (!cache) {
      this.#reason = 'no parse cache yet';
      return undefined;
    }
    this.#reason = sameIdentity(cache, this.#identity) ?? changedEnv(cache.env) ?? changedFile(cache);
    if (this.#reason) return undefined;
    // The bytes are read now (so a later save cannot swap them), decoded on first use.
    let codeBytes: Buffer;
    try {
      codeBytes = readFileSync(join(this.#dir, parseCodeFileName));
    } catch {
      this.#reason = 'the parse cache has no code file';
      return undefined;
    }
    const newline = codeBytes.indexOf(10);
    if (newline < 0 || codeBytes.toString('utf8', 0, newline) !== cache.saveId) {
      // written by another save (one running now, or one that failed half-way)
      this.#reason = 'the parse cache is being rewritten';
      return undefined;
    }
    const { definition } = cache.snapshot;
    const encoded = cache.snapshot.manifestJson;
    let manifest: Manifest | undefined;
    try {
      manifest = encoded ? decodeManifest(encoded) : cache.snapshot.manifest;
    } catch {
      manifest = undefined;
    }
    if (!manifest) {
      this.#corrupt = true;
      this.#reason = 'the parse cache could not be read';
      return undefined;
    }
    manifest.metadata.invocationId = now.invocationId;
    manifest.metadata.generatedAt = new Date().toISOString();
    // After the save's line: the length of `parsed` (4 bytes), `parsed`, then `layers`, each
    // decoded on its own first use (`compile -s` needs the code, not the layers).
    const partStart = newline + 5;
    const partEnd = partStart + (codeBytes.length >= partStart ? codeBytes.readUInt32LE(newline + 1) : 0);
    const unreadable = () =>
      new ShopsmartError('SSA-CACHE-001', `${parseCodeFileName} in the parse cache cannot be read`, {
        hint: 'run the command again with --no-partial-parse (a full parse rewrites the cache)',
      });
    const part = <T>(bytes: Buffer): T => {
      try {
        const value = deserialize(bytes) as T;
        if (value) return value;
      } catch {
        // reported below
      }
      throw unreadable();
    };
    const decoded = manifest;
    let parsed: CodeFile['parsed'] | undefined;
    let layers: CodeFile['layers'] | undefined;
    const decodeParsed = (): CodeFile['parsed'] => {
      if (parsed) return parsed;
      const value = part<CodeFile['parsed']>(codeBytes.subarray(partStart, partEnd));
      for (const code of value.values()) code.code = this.#restamp(code.code, cache);
      parsed = value;
      return value;
    };
    const decodeLayers = (): CodeFile['layers'] => {
      if (layers) return layers;
      const restored = restoredLayers(part<StoredLayer[]>(codeBytes.subarray(partEnd)), decoded);
      if (!restored) throw unreadable();
      layers = restored;
      return restored;
    };
    this.#saveId = cache.saveId;
    return {
      definition,
      manifest,
      get parsed() {
        return decodeParsed();
      },
      get layers() {
        return decodeLayers();
      },
    };
  }

  /** Code rendered in an earlier invocation, with this one's start time and id where that one's were. */
  #restamp(code: string, then: { runStartedAt: string; invocationId: string }): string {
    let out = code;
    if (out.includes(then.runStartedAt)) out = out.split(then.runStartedAt).join(this.#now.runStartedAt);
    if (out.includes(then.invocationId)) out = out.split(then.invocationId).join(this.#now.invocationId);
    return out;
  }

  /** Why the last `lookup` could not answer. */
  get reason(): string | undefined {
    return this.#reason;
  }

  /** Loads the memo of a previous parse of the same project (YAML, renders) when it matches. */
  loadMemo(): void {
    const { value } = readCacheFile<MemoFile>(join(this.#dir, parseMemoFileName));
    // Other settings or vars only change renders, and the epoch of `begin` tells those apart.
    if (!(value?.renders instanceof Map) || sameIdentity(value, { ...this.#identity, inputs: value.inputs }))
      return;
    this.#memo = value;
    // A render may have read an environment variable that now has another value: render all again.
    if (changedEnv(value.env)) this.#memo = { ...value, renders: new Map() };
  }

  /** What the parse reads files and YAML through: unchanged files come from the memo. */
  sources(): LayerFileSources {
    return {
      // Each file is read once: its text, then its size and time (a change in between shows as a
      // time inside the racy window, so the next lookup compares contents).
      read: (path) => {
        const { text, stat } = readWithStat(path);
        this.#stamps.set(path, { size: stat.size, mtimeMs: stat.mtimeMs, checksum: checksumOf(text) });
        return text;
      },
      yaml: (text, file) => {
        // A plain file is read again (faster than keeping its value and lines in the memo, whose
        // writing every full parse pays); what only the YAML library reads is memoised.
        const plain = readPlainYamlFile(text, file);
        if (plain) return plain;
        const checksum = checksumOf(`${file}\0${text}`);
        const known = this.#memo?.yaml[checksum];
        if (known) {
          this.#yaml[checksum] = known;
          return { yaml: yamlFromLines(file, structuredClone(known.value), known.lines), errors: [] };
        }
        const result = readYaml(text, file);
        if (result.yaml?.lines)
          this.#yaml[checksum] = { value: structuredClone(result.yaml.value), lines: result.yaml.lines() };
        return result;
      },
    };
  }

  /**
   * Fixes what every render depends on besides its own node: macros, docs, layer settings, vars,
   * target. A change to any of them re-renders every node.
   */
  begin(layers: readonly LoadedLayer[], definition: ProjectDefinition, context: unknown): void {
    const texts = layers.flatMap((l) => [
      ...l.macroFiles.map((f) => f.text),
      ...l.nodes.map((n) => n.rawCode),
    ]);
    this.#volatile = texts.some((text) => volatileUse.test(text));
    this.#epoch = checksumOf(
      JSON.stringify({
        engine: this.#identity.engine,
        definition: { ...definition, targetProblems: undefined },
        context,
        layers: layers.map((l) => ({
          layer: l.layer,
          project: l.project,
          macros: l.macroFiles,
          docs: l.docs,
        })),
      }),
    );
    if (this.#memo && this.#memo.epoch !== this.#epoch) this.#memo = undefined;
    if (this.#volatile) this.#memo = undefined;
  }

  /** The key of one node's render: the epoch plus the node's own inputs. */
  keyOf(node: ProjectNode, layer: string, config: unknown): string {
    return checksumOf(
      `${this.#epoch}\0${layer}\0${node.uniqueId}\0${node.origin.absolutePath}\0${JSON.stringify(config)}\0${node.rawCode}`,
    );
  }

  /** A previous render of the same inputs, restored into `scope`; its code. */
  recall(key: string, scope: ParseScope): string | undefined {
    const memo = this.#memo;
    const record = memo?.renders.get(key);
    if (!memo || !record || 'static' in record) {
      this.#rendered++;
      return undefined;
    }
    Object.assign(scope, structuredClone(record.scope));
    const code = this.#restamp(record.code, memo);
    this.#renders.set(key, { ...record, code });
    this.#reused++;
    return code;
  }

  /**
   * Whether the previous parse rendered these inputs on the static path: redoing that costs less
   * than restoring it, so only the fact is kept (and the node counts as reused).
   */
  renderedStatically(key: string): boolean {
    const record = this.#memo?.renders.get(key);
    return record !== undefined && 'static' in record;
  }

  /** Notes a static render for the next parse; `reused` when it redid one of the previous parse. */
  rememberStatic(key: string, reused: boolean): void {
    this.#renders.set(key, staticRecord);
    if (reused) this.#reused++;
  }

  /** Keeps a render for the next parse (only what the scope recorded, never the resolver it holds). */
  remember(key: string, scope: ParseScope, code: string): void {
    const recorded: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(scope)) {
      if (name === 'vars' || name === 'thisRelation' || typeof value === 'function') continue;
      const copy = plainCopy(value);
      // a value that cannot be copied: this node is rendered again next time
      if (copy === unCopyable) return;
      recorded[name] = copy;
    }
    this.#renders.set(key, { code, scope: recorded });
  }

  /** Notes the environment variables the parse read. */
  noteEnvReads(reads: ReadonlyMap<string, string | undefined>): void {
    this.#envReads = new Map(reads);
  }

  /** How this parse went, for the caller's report. */
  report(hit = false): ParseCacheReport {
    const status = hit ? 'hit' : this.#reused > 0 ? 'partial' : 'full';
    return {
      status,
      ...(this.#reason ? { reason: this.#reason } : {}),
      rendered: status === 'hit' ? 0 : this.#rendered,
      reused: this.#reused,
      ...(this.#saveId ? { saveId: this.#saveId } : {}),
    };
  }

  /**
   * Writes the cache and the memo for the next command; a target/ that cannot be written is
   * skipped. `write` takes the files instead (in order, each written atomically and skipped when it
   * cannot be: a worker thread's writer).
   */
  save(
    snapshot: ParseSnapshot,
    now: { invocationId: string; runStartedAt: Date },
    write?: (file: OneFile) => void,
  ): void {
    const writeAtomically = (path: string, value: unknown) => {
      const data = Buffer.isBuffer(value) ? value : serialize(value);
      if (write) write({ path, data, atomic: true, optional: true });
      else writeInPlace(path, data);
    };
    this.#saveId = undefined;
    const folders = new Set<string>();
    for (const loaded of snapshot.layers) {
      for (const list of Object.values(loaded.project.paths))
        for (const folder of list) folders.add(join(loaded.layer.root, folder));
      const projectFile = join(loaded.layer.root, 'dbt_project.yml');
      this.#stamps.set(projectFile, readFileStamp(projectFile));
    }
    // Folder times with the listing: a file added while the files are listed leaves a newer time.
    const { times: dirs, files: listed } = directoryTimes(folders);
    // Files listed but never read (seeds' CSVs) are stamped too, so an added or removed one shows.
    for (const file of listed) if (!this.#stamps.has(file)) this.#stamps.set(file, readFileStamp(file));
    const savedAt = Date.now();
    const cache: CacheFile = {
      ...this.#identity,
      savedAt,
      // Reused renders read their variables in an earlier parse: keep those names too.
      env: [
        ...new Map([
          ...(this.#memo?.env ?? []),
          ...[...this.#envReads].map(([name, value]) => [name, value ?? null] as [string, string | null]),
        ]),
      ],
      folders: [...folders],
      dirs,
      files: Object.fromEntries(this.#stamps),
      runStartedAt: printedTime(now.runStartedAt),
      invocationId: now.invocationId,
      saveId: `${process.pid}-${savedAt}-${Math.random()}`,
      snapshot: cachedSnapshot(snapshot),
    };
    const parsedBytes = serialize(snapshot.parsed);
    const parsedLength = Buffer.alloc(4);
    parsedLength.writeUInt32LE(parsedBytes.length);
    const code = Buffer.concat([
      Buffer.from(`${cache.saveId}\n`),
      parsedLength,
      parsedBytes,
      serialize(storedLayers(snapshot.layers, snapshot.manifest)),
    ]);
    const memo: MemoFile = {
      ...this.#identity,
      runStartedAt: printedTime(now.runStartedAt),
      invocationId: now.invocationId,
      env: cache.env,
      yaml: this.#yaml,
      epoch: this.#epoch,
      renders: this.#renders,
    };
    try {
      mkdirSync(this.#dir, { recursive: true });
      if (this.#volatile) {
        // Renders that read the time or the invocation beyond printing them cannot be reused.
        rmSync(join(this.#dir, parseCacheFileName), { force: true });
        rmSync(join(this.#dir, parseCodeFileName), { force: true });
        writeAtomically(join(this.#dir, parseMemoFileName), { ...memo, renders: new Map() });
        return;
      }
      // The code file first: a cache file always names a code file already written.
      writeAtomically(join(this.#dir, parseCodeFileName), code);
      writeAtomically(join(this.#dir, parseCacheFileName), encodeCacheFile(cache));
      this.#saveId = cache.saveId;
      writeAtomically(join(this.#dir, parseMemoFileName), memo);
    } catch {
      // target/ is read-only or full: the next command parses in full, which is always correct
    }
  }
}
