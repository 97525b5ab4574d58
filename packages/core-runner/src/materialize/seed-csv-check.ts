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
