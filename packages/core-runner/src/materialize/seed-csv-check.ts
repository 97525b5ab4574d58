import { csvHeader } from './seed-column-change.js';

/**
 * The first row of a CSV whose field count differs from the header's, honouring quoted fields
 * (a delimiter or newline inside quotes does not split). Seeds are small, so this reads them whole.
 *
 * @example
 * raggedRow('a,b\n1,2\n3\n', ','); // → { line: 3, fields: 1, expected: 2 }
 */
export function raggedRow(
  text: string,
  delimiter: string,
): { line: number; fields: number; expected: number } | undefined {
  let expected: number | undefined;
  let fields = 1;
  let inQuotes = false;
  let line = 1;
  let rowStartLine = 1;
  let rowHasContent = false;
  const finishRow = (): { line: number; fields: number; expected: number } | undefined => {
    if (!rowHasContent) return undefined;
    if (expected === undefined) expected = fields;
    else if (fields !== expected) return { line: rowStartLine, fields, expected };
    return undefined;
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (char === '"') {
      if (inQuotes && text[i + 1] === '"') i++;
      else inQuotes = !inQuotes;
      rowHasContent = true;
    } else if (!inQuotes && text.startsWith(delimiter, i)) {
      fields++;
      rowHasContent = true;
      i += delimiter.length - 1;
    } else if (char === '\n') {
      line++;
      if (inQuotes) continue;
      const problem = finishRow();
      if (problem) return problem;
      fields = 1;
      rowHasContent = false;
      rowStartLine = line;
    } else if (char !== '\r') {
      rowHasContent = true;
    }
  }
  return finishRow();
}

/** DuckDB's CSV conversion error, read back into line, column and value. */
export function conversionProblem(message: string): {
  line?: number;
  column?: string;
  value?: string;
  type?: string;
} {
  return {
    line: Number(/CSV Error on Line: (\d+)/.exec(message)?.[1]) || undefined,
    column: /converting column "([^"]+)"/.exec(message)?.[1],
    value: /Could not convert string "([^"]*)"/.exec(message)?.[1],
    type: /Could not convert string "[^"]*" to '([^']+)'/.exec(message)?.[1],
  };
}

/** What is wrong with a seed file as a whole, found before anything is loaded. */
export interface SeedFileProblem {
  code: string;
  message: string;
  line?: number;
  hint: string;
}

/**
 * The problems that would otherwise load silently or fail with a generic CSV error: an empty file
 * (it would replace a good table with nothing), bytes that are not UTF-8 (named with their line),
 * and a header naming a column twice (DuckDB would quietly rename the second one).
 *
 * @example
 * seedFileProblem(Buffer.from('id,id\n1,2\n'), ','); // → { code: 'SSA-SEED-006', message: "column 'id' appears twice in the header (fields 1 and 2)", line: 1, … }
 */
export function seedFileProblem(bytes: Uint8Array, delimiter: string): SeedFileProblem | undefined {
  const text = Buffer.from(bytes).toString('utf8');
  if (text.trim() === '') {
    return {
      code: 'SSA-SEED-004',
      message: 'the file is empty (not even a header row)',
      hint: 'an empty table is a header row with no data rows; restore the file',
    };
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad !== undefined) {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < bad; i++) {
      if (bytes[i] === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    const byte = (bytes[bad] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    return {
      code: 'SSA-SEED-005',
      message: utf16
        ? 'the file is UTF-16, not UTF-8'
        : `the file is not UTF-8: byte 0x${byte} at line ${line}, column ${bad - lineStart + 1} is not valid UTF-8 (a Latin-1 or Windows-1252 file?)`,
      line,
      hint: 'save the file as UTF-8 (for example: iconv -f latin1 -t utf-8 in.csv > out.csv)',
    };
  }
  const header = csvHeader(text.replace(/^\uFEFF/, ''), delimiter);
  const seen = new Map<string, number>();
  for (const [index, field] of header.entries()) {
    const name = field.trim().toLowerCase();
    const first = seen.get(name);
    if (first !== undefined) {
      return {
        code: 'SSA-SEED-006',
        message: `column '${field.trim()}' appears twice in the header (fields ${first + 1} and ${index + 1})`,
        line: 1,
        hint: 'give every column its own name (names differing only in case are the same column)',
      };
    }
    seen.set(name, index);
  }
  return undefined;
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence, if any. */
function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    const length =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    for (let k = 1; k < length; k++) if (((bytes[i + k] as number) & 0xc0) !== 0x80) return i;
    i += length;
  }
  return undefined;
}
