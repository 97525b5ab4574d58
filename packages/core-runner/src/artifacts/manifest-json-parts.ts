import { closeSync, openSync, readFileSync, renameSync, writeFileSync, writevSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';

/** The manifest.json texts kept for the next command of the same parse. */
export const manifestPartsFileName = 'partial_parse_manifest.bin';

/** Stands where a node's compiled_code goes (raw control characters never reach JSON text). */
const codeMarker = '\u0000compiled_code\u0000';
/** The marker as JSON text writes it, with the comma before it (compiled_code is never a node's first key). */
const markedCode = `,"compiled_code":${JSON.stringify(codeMarker)}`;

/**
 * manifest.json without its metadata, as texts: each node's JSON, cut where its compiled code
 * goes, and the sections after the nodes. They depend only on the parse, so a command answered
 * from the parse cache writes manifest.json by joining them instead of building and serialising
 * every node object again (most of a warm `compile`).
 *
 * Kept as one text with offsets rather than a string per node: the file is read back as one
 * string (sliced without copying), not as tens of thousands of strings to deserialise.
 */
interface ManifestParts {
  /** The parse cache save they were made from (ParseCacheReport.saveId). */
  saveId: string;
  /** Each section's name and how many entries it has, in order. */
  sections: { name: 'nodes' | 'sources' | 'exposures'; count: number }[];
  /** Every entry's unique id, in order. */
  ids: string[];
  /**
   * Every entry, in order, as UTF-8: `"<id>":` and its JSON up to where the compiled code goes
   * (its head), then the rest of its JSON. Written out as slices, never decoded.
   */
  bytes: Uint8Array;
  /** Per entry: where its head ends and where the entry ends in `bytes`; -1 for the head's end when it has no compiled code place. */
  bounds: Int32Array;
  /** `"macros":…,"docs":…,"parent_map":…,"child_map":…,"disabled":…` as UTF-8 */
  tail: Uint8Array;
}

/** The artifact sections after metadata, as `manifestArtifact` builds them. */
type ArtifactBody = Record<string, unknown>;

/** The parts of an artifact built with `codeMarker` as every node's compiled code. */
export function manifestParts(saveId: string, artifact: ArtifactBody): ManifestParts {
  const sections: ManifestParts['sections'] = [];
  const ids: string[] = [];
  const texts: string[] = [];
  const bounds: number[] = [];
  let length = 0;
  const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8');
  for (const name of ['nodes', 'sources', 'exposures'] as const) {
    const entries = Object.entries(artifact[name] as Record<string, unknown>);
    sections.push({ name, count: entries.length });
    for (const [id, node] of entries) {
      const entry = `${JSON.stringify(id)}:${JSON.stringify(node)}`;
      const at = entry.indexOf(markedCode);
      ids.push(id);
      if (at < 0) {
        texts.push(entry);
        length += utf8Length(entry);
        bounds.push(-1, length);
      } else {
        const head = entry.slice(0, at);
        const rest = entry.slice(at + markedCode.length);
        texts.push(head, rest);
        length += utf8Length(head);
        bounds.push(length);
        length += utf8Length(rest);
        bounds.push(length);
      }
    }
  }
  const tail = JSON.stringify({
    macros: artifact.macros,
    docs: artifact.docs,
    parent_map: artifact.parent_map,
    child_map: artifact.child_map,
    disabled: artifact.disabled,
  }).slice(1, -1);
  return {
    saveId,
    sections,
    ids,
    bytes: Buffer.from(texts.join(''), 'utf8'),
    bounds: Int32Array.from(bounds),
    tail: Buffer.from(tail, 'utf8'),
  };
}

/** The compiled code marker `manifestArtifact` is given when the parts are made. */
export const compiledCodeMarker = (): string => codeMarker;

/**
 * manifest.json from the parts, as UTF-8 chunks to write in order: what `JSON.stringify(artifact)`
 * gives for the same parse, with `metadata` and the compiled code of the nodes in `compiled`. The
 * kept JSON is sliced, not copied into one string and encoded again.
 */
export function joinManifestParts(
  parts: ManifestParts,
  metadata: unknown,
  compiled: (uniqueId: string) => string | undefined,
): Uint8Array[] {
  const { bounds, ids } = parts;
  const bytes = Buffer.from(parts.bytes.buffer, parts.bytes.byteOffset, parts.bytes.byteLength);
  const out: Uint8Array[] = [];
  // Small texts between the kept slices are gathered and encoded together.
  let pending = `{"metadata":${JSON.stringify(metadata)}`;
  const flush = () => {
    if (pending !== '') out.push(Buffer.from(pending, 'utf8'));
    pending = '';
  };
  let entry = 0;
  let start = 0;
  for (const { name, count } of parts.sections) {
    pending += `,"${name}":{`;
    for (let i = 0; i < count; i++, entry++) {
      if (i > 0) pending += ',';
      const headEnd = bounds[2 * entry] as number;
      const end = bounds[2 * entry + 1] as number;
      flush();
      if (headEnd < 0) {
        out.push(bytes.subarray(start, end));
      } else {
        out.push(bytes.subarray(start, headEnd));
        const code = compiled(ids[entry] as string);
        if (code !== undefined) {
          pending += `,"compiled_code":${JSON.stringify(code)}`;
          flush();
        }
        out.push(bytes.subarray(headEnd, end));
      }
      start = end;
    }
    pending += '}';
  }
  pending += ',';
  flush();
  out.push(parts.tail);
  out.push(Buffer.from('}', 'utf8'));
  return out;
}

/** The text of `joinManifestParts`' chunks (for tests and small manifests). */
export function manifestPartsText(chunks: readonly Uint8Array[]): string {
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Writes chunks to a file in order (writev, at most 1,024 chunks a call), replacing it: what
 * `writeFileSync` does with their concatenation.
 */
export function writeChunks(path: string, chunks: readonly Uint8Array[]): void {
  const fd = openSync(path, 'w');
  try {
    for (let at = 0; at < chunks.length; at += 1024) {
      let batch = chunks.slice(at, at + 1024) as Uint8Array[];
      let left = batch.reduce((sum, c) => sum + c.byteLength, 0);
      while (left > 0) {
        const written = writevSync(fd, batch);
        left -= written;
        if (left === 0) break;
        // a short write: continue after the bytes written
        let skip = written;
        while (skip > 0 && batch.length > 0) {
          const first = batch[0] as Uint8Array;
          if (first.byteLength <= skip) {
            skip -= first.byteLength;
            batch = batch.slice(1);
          } else {
            batch = [first.subarray(skip), ...batch.slice(1)];
            skip = 0;
          }
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** The parts kept in `targetPath` for this save, if any. */
export function readManifestParts(targetPath: string, saveId: string): ManifestParts | undefined {
  try {
    const parts = deserialize(readFileSync(join(targetPath, manifestPartsFileName))) as ManifestParts;
    const valid =
      parts?.saveId === saveId &&
      parts.bytes instanceof Uint8Array &&
      parts.tail instanceof Uint8Array &&
      parts.bounds instanceof Int32Array &&
      Array.isArray(parts.ids) &&
      Array.isArray(parts.sections) &&
      parts.bounds.length === 2 * parts.ids.length &&
      parts.sections.reduce((sum, s) => sum + s.count, 0) === parts.ids.length &&
      parts.bounds.every((b) => b <= parts.bytes.byteLength);
    return valid ? parts : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps the parts for the next command; a target/ that cannot be written is skipped. */
export function writeManifestParts(targetPath: string, parts: ManifestParts): void {
  const path = join(targetPath, manifestPartsFileName);
  try {
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, serialize(parts));
    renameSync(temp, path);
  } catch {
    // the next command builds the manifest JSON again
  }
}

export type { ManifestParts };
