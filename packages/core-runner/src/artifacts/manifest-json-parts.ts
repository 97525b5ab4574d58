import { readFileSync, renameSync, writeFileSync } from 'node:fs';
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
   * Every entry, in order: `"<id>":` and its JSON up to where the compiled code goes (its head),
   * then the rest of its JSON.
   */
  text: string;
  /** Per entry: where its head ends and where the entry ends in `text`; -1 for the head's end when it has no compiled code place. */
  bounds: Int32Array;
  /** `"macros":…,"docs":…,"parent_map":…,"child_map":…,"disabled":…` */
  tail: string;
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
  for (const name of ['nodes', 'sources', 'exposures'] as const) {
    const entries = Object.entries(artifact[name] as Record<string, unknown>);
    sections.push({ name, count: entries.length });
    for (const [id, node] of entries) {
      const entry = `${JSON.stringify(id)}:${JSON.stringify(node)}`;
      const at = entry.indexOf(markedCode);
      ids.push(id);
      if (at < 0) {
        texts.push(entry);
        bounds.push(-1, length + entry.length);
      } else {
        texts.push(entry.slice(0, at), entry.slice(at + markedCode.length));
        bounds.push(length + at, length + entry.length - markedCode.length);
      }
      length += entry.length - (at < 0 ? 0 : markedCode.length);
    }
  }
  const tail = JSON.stringify({
    macros: artifact.macros,
    docs: artifact.docs,
    parent_map: artifact.parent_map,
    child_map: artifact.child_map,
    disabled: artifact.disabled,
  }).slice(1, -1);
  return { saveId, sections, ids, text: texts.join(''), bounds: Int32Array.from(bounds), tail };
}

/** The compiled code marker `manifestArtifact` is given when the parts are made. */
export const compiledCodeMarker = (): string => codeMarker;

/**
 * manifest.json's text from the parts: what `JSON.stringify(artifact)` gives for the same parse,
 * with `metadata` and the compiled code of the nodes in `compiled`.
 */
export function joinManifestParts(
  parts: ManifestParts,
  metadata: unknown,
  compiled: (uniqueId: string) => string | undefined,
): string {
  const { text, bounds, ids } = parts;
  const out: string[] = [`{"metadata":${JSON.stringify(metadata)}`];
  let entry = 0;
  let start = 0;
  for (const { name, count } of parts.sections) {
    out.push(`,"${name}":{`);
    for (let i = 0; i < count; i++, entry++) {
      if (i > 0) out.push(',');
      const headEnd = bounds[2 * entry] as number;
      const end = bounds[2 * entry + 1] as number;
      if (headEnd < 0) {
        out.push(text.slice(start, end));
      } else {
        out.push(text.slice(start, headEnd));
        const code = compiled(ids[entry] as string);
        if (code !== undefined) out.push(`,"compiled_code":${JSON.stringify(code)}`);
        out.push(text.slice(headEnd, end));
      }
      start = end;
    }
    out.push('}');
  }
  out.push(`,${parts.tail}}`);
  return out.join('');
}

/** The parts kept in `targetPath` for this save, if any. */
export function readManifestParts(targetPath: string, saveId: string): ManifestParts | undefined {
  try {
    const parts = deserialize(readFileSync(join(targetPath, manifestPartsFileName))) as ManifestParts;
    const valid =
      parts?.saveId === saveId &&
      typeof parts.text === 'string' &&
      parts.bounds instanceof Int32Array &&
      Array.isArray(parts.ids) &&
      Array.isArray(parts.sections) &&
      parts.bounds.length === 2 * parts.ids.length &&
      parts.sections.reduce((sum, s) => sum + s.count, 0) === parts.ids.length;
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
