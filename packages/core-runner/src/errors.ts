import { scrubSecrets } from './secret-scrubber.js';

/** Where in a user's file a problem is. `line` is 1-based. */
export interface SourceLocation {
  file?: string;
  line?: number;
}

export interface ShopsmartErrorOptions extends SourceLocation {
  hint?: string;
  cause?: unknown;
}

/**
 * Every error the engine raises on purpose. `code` is stable (`SSA-REF-404`), the message says
 * what happened, `file`/`line` say where, `hint` says what to do.
 *
 * @example
 * throw new ShopsmartError('SSA-REF-404', "'fct_orders' refers to 'dim_custmers', which is not in the project", {
 *   file: 'models/core/fct_orders.sql', line: 12, hint: "did you mean 'dim_customers'?" });
 */
export class ShopsmartError extends Error {
  readonly code: string;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly hint: string | undefined;
  /** User-fixable errors are reported as such; internal ones ask for a bug report. */
  readonly kind: 'user' | 'internal' = 'user';

  constructor(code: string, message: string, options: ShopsmartErrorOptions = {}) {
    // A database error can quote a connection setting: never let a secret's value through.
    super(scrubSecrets(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ShopsmartError';
    this.code = code;
    this.file = options.file === undefined ? undefined : scrubSecrets(options.file);
    this.line = options.line;
    this.hint = options.hint === undefined ? undefined : scrubSecrets(options.hint);
  }

  /** `file:line` when known. */
  get location(): string | undefined {
    if (!this.file) return undefined;
    return this.line ? `${this.file}:${this.line}` : this.file;
  }

  /** One line for humans: `[code] file:line: message (hint)`. */
  format(): string {
    const where = this.location ? `${this.location}: ` : '';
    const hint = this.hint ? `\n  hint: ${this.hint}` : '';
    return `[${this.code}] ${where}${this.message}${hint}`;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, file: this.file, line: this.line, hint: this.hint };
  }
}

/** Errors collected across a stage (parse, validate) and reported together. */
export class ShopsmartErrorList extends Error {
  readonly code = 'SSA-MANY';
  readonly errors: ShopsmartError[];

  constructor(errors: ShopsmartError[]) {
    super(
      `${errors.length} problem${errors.length === 1 ? '' : 's'} found:\n${errors.map((e) => `- ${e.format()}`).join('\n')}`,
    );
    this.name = 'ShopsmartErrorList';
    this.errors = errors;
  }
}

/** An engine bug, not the user's fault. */
export class InternalError extends ShopsmartError {
  override readonly kind = 'internal' as const;
  constructor(message: string, cause?: unknown) {
    super('SSA-INTERNAL', message, {
      cause,
      hint: 'this is a bug in shopsmart; please report it with the command you ran',
    });
  }
}

/** Throws the collected errors, if any, at a stage boundary. */
export function throwIfAny(errors: ShopsmartError[]): void {
  if (errors.length === 1 && errors[0]) throw errors[0];
  if (errors.length > 1) throw new ShopsmartErrorList(errors);
}
