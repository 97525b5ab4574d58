import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';

/** The manifest.json texts kept for the next command of the same parse. */
export const manifestPartsFileName = 'partial_parse_manifest.bin';

/** Stands where a node's compiled_code goes (raw control characters never reach JSON text). */
const codeMarker = '\u0000compiled_code\u0000';
const markedCode = `"compiled_code":${JSON.stringify(codeMarker)}`;

/**
 * manifest.json without its metadata, as texts: each node's JSON with a marker where its
 * compiled code goes, and the sections after the nodes. They depend only on the parse, so a
 * command answered from the parse cache writes manifest.json by joining them instead of building
 * and serialising ~1,500 node objects again (most of a warm `compile -s`).
 */
interface ManifestParts {
  /** The parse cache save they were made from (ParseCacheReport.saveId). */
  saveId: string;
  sections: { name: 'nodes' | 'sources' | 'exposures'; entries: [string, string][] }[];
  /** `"macros":…,"docs":…,"parent_map":…,"child_map":…,"disabled":…` */
  tail: string;
}

/** The artifact sections after metadata, as `manifestArtifact` builds them. */
type ArtifactBody = Record<string, unknown>;

/** The parts of an artifact built with `codeMarker` as every node's compiled code. */
export function manifestParts(saveId: string, artifact: ArtifactBody): ManifestParts {
  const sections: ManifestParts['sections'] = [];
  for (const name of ['nodes', 'sources', 'exposures'] as const) {
    const entries = Object.entries(artifact[name] as Record<string, unknown>).map(
      ([id, node]) => [id, JSON.stringify(node)] as [string, string],
    );
    sections.push({ name, entries });
  }
  const tail = JSON.stringify({
    macros: artifact.macros,
    docs: artifact.docs,
    parent_map: artifact.parent_map,
    child_map: artifact.child_map,
    disabled: artifact.disabled,
  }).slice(1, -1);
  return { saveId, sections, tail };
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
  const out: string[] = [`{"metadata":${JSON.stringify(metadata)}`];
  for (const { name, entries } of parts.sections) {
    const nodes = entries.map(([id, json]) => {
      const code = compiled(id);
      const text =
        code === undefined
          ? json.replace(`,${markedCode}`, '')
          : json.replace(markedCode, () => `"compiled_code":${JSON.stringify(code)}`);
      return `${JSON.stringify(id)}:${text}`;
    });
    out.push(`,"${name}":{${nodes.join(',')}}`);
  }
  out.push(`,${parts.tail}}`);
  return out.join('');
}

/** The parts kept in `targetPath` for this save, if any. */
export function readManifestParts(targetPath: string, saveId: string): ManifestParts | undefined {
  try {
    const parts = deserialize(readFileSync(join(targetPath, manifestPartsFileName))) as ManifestParts;
    return parts?.saveId === saveId && Array.isArray(parts.sections) ? parts : undefined;
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
