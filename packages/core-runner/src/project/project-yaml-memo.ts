import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { checksumOf } from './checksum.js';
import { engineIdentity } from './parse-cache.js';
import { type YamlResult, yamlFromLines } from './yaml-reader.js';

/** The project files' parsed YAML (shopsmart.yml, dbt_project.yml, profiles.yml, packages.yml). */
export const projectYamlFileName = 'partial_parse_project.bin';
const format = 1;

type Entries = Record<string, { value: unknown; lines: Record<string, number> }>;

interface MemoFile {
  format: number;
  engine: string;
  entries: Entries;
}

/**
 * The YAML of the files `readProject` reads, kept under target/ by checksum of file name and
 * text: on the next command the same texts are answered without loading the YAML library (its
 * load alone costs as much as a warm `ls`). Keyed by content, it can never answer an edited
 * file; a memo of another engine build is ignored.
 */
export class ProjectYamlMemo {
  readonly #known: Entries;
  readonly #used: Entries = {};
  #missed = false;

  private constructor(known: Entries) {
    this.#known = known;
  }

  /** The memo in `dir` (empty when there is none, or it is unreadable or of another build). */
  static open(dir: string): ProjectYamlMemo {
    try {
      const file = deserialize(readFileSync(join(dir, projectYamlFileName))) as MemoFile;
      if (file?.format === format && file.engine === engineIdentity() && file.entries)
        return new ProjectYamlMemo(file.entries);
    } catch {
      // none yet, or unreadable: parse
    }
    return new ProjectYamlMemo({});
  }

  /** A `withYamlReads` hook: known texts from the memo, others parsed and noted. */
  readonly read = (text: string, file: string, parse: (t: string, f: string) => YamlResult): YamlResult => {
    const key = checksumOf(`${file}\0${text}`);
    const known = this.#known[key];
    if (known) {
      this.#used[key] = known;
      return { yaml: yamlFromLines(file, structuredClone(known.value), known.lines), errors: [] };
    }
    const result = parse(text, file);
    if (result.yaml?.lines) {
      this.#missed = true;
      this.#used[key] = { value: structuredClone(result.yaml.value), lines: result.yaml.lines() };
    }
    return result;
  };

  /** Writes what this command read to `dir` when it differs from what was there. */
  save(dir: string): void {
    if (!this.#missed && Object.keys(this.#used).length === Object.keys(this.#known).length) return;
    const file: MemoFile = { format, engine: engineIdentity(), entries: this.#used };
    try {
      mkdirSync(dir, { recursive: true });
      const path = join(dir, projectYamlFileName);
      const temp = `${path}.${process.pid}.tmp`;
      writeFileSync(temp, serialize(file));
      renameSync(temp, path);
    } catch {
      // target/ cannot be written: the next command parses the YAML, which is always right
    }
  }
}
