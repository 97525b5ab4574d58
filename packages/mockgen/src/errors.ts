/**
 * Errors are data: a stable `code`, a message that says what is wrong, and a `hint` that says
 * what to do. `kind` tells a CLI whether the user can fix it ('user') or it is a bug ('internal').
 */
export abstract class MockgenError extends Error {
  abstract readonly code: string;
  readonly hint: string;
  readonly kind: 'user' | 'internal';
  /** The file the problem is in, when there is one (a seed CSV, the warehouse file). */
  readonly file: string | undefined;
  /** 1-based line in `file`, when known. */
  readonly line: number | undefined;

  constructor(
    message: string,
    details: { hint: string; kind?: 'user' | 'internal'; file?: string; line?: number; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.hint = details.hint;
    this.kind = details.kind ?? 'user';
    this.file = details.file;
    this.line = details.line;
  }
}

/** One invalid option, reported together with the others. */
export interface OptionProblem {
  option: string;
  message: string;
}

/** Options that can never work (scale ≤ 0, unknown format, days ≤ 0, …), all listed at once. */
export class MockgenOptionError extends MockgenError {
  readonly code = 'SSA-MOCK-001';
  readonly problems: readonly OptionProblem[];

  constructor(problems: readonly OptionProblem[]) {
    super(`invalid mockgen options: ${problems.map((p) => `${p.option}: ${p.message}`).join('; ')}`, {
      hint: 'fix the listed options; nothing was written',
    });
    this.problems = problems;
  }
}

/** The warehouse file or output folder cannot be created or written. */
export class MockgenPathError extends MockgenError {
  readonly code = 'SSA-MOCK-002';
  readonly path: string;

  constructor(path: string, reason: string) {
    super(`cannot write to ${path}: ${reason}`, {
      hint: 'choose a path inside a writable folder; nothing was written',
      file: path,
    });
    this.path = path;
  }
}

/** A reference seed CSV is missing or malformed. */
export class MockgenSeedError extends MockgenError {
  readonly code = 'SSA-MOCK-003';

  constructor(message: string, file: string, line?: number) {
    super(`${line === undefined ? file : `${file}:${line}`}: ${message}`, {
      hint: 'the seeds are product_categories.csv and campaign_metadata.csv; see RAW_SCHEMA.md for their columns',
      file,
      ...(line === undefined ? {} : { line }),
    });
  }
}

/** `advance` was pointed at a warehouse that mockgen never generated. */
export class MockgenNoRawDataError extends MockgenError {
  readonly code = 'SSA-MOCK-004';

  constructor(path: string, schema: string, reason: string) {
    super(`no mockgen data in schema "${schema}" of ${path}: ${reason}`, {
      hint: 'run generate first (advance continues a warehouse that generate created)',
      file: path,
    });
  }
}

/** Another process holds the DuckDB file lock. */
export class MockgenWarehouseLockedError extends MockgenError {
  readonly code = 'SSA-MOCK-005';

  constructor(path: string, cause: unknown) {
    super(`the warehouse ${path} is locked by another process`, {
      hint: 'wait for the other run to finish (DuckDB allows one writer per file)',
      file: path,
      cause,
    });
  }
}

/** DuckDB failed while generating: a bug in mockgen, not in the options. */
export class MockgenInternalError extends MockgenError {
  readonly code = 'SSA-MOCK-999';

  constructor(step: string, cause: unknown) {
    super(`mockgen failed while ${step}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      hint: 'the previous warehouse contents were kept; please report this with the options used',
      kind: 'internal',
      cause,
    });
  }
}
