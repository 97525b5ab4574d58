/**
 * Bad command-line usage: exit code 2. Imports nothing, so the parser can throw it without
 * loading the engine; reportError (report-error.ts) turns `given` and `candidates` into a
 * did-you-mean hint.
 */
export class UsageError extends Error {
  /**
   * @param given, candidates  a name the user typed and the names it could have been.
   * @param hint  what to do, when the caller knows better than a did-you-mean.
   */
  constructor(
    message: string,
    readonly given?: string,
    readonly candidates?: string[],
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
