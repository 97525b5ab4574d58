import { didYouMean, formatSuggestions } from '@shopsmart/core-runner';

/** Bad command-line usage: exit code 2. */
export class UsageError extends Error {
  readonly hint: string | undefined;
  /**
   * @param given, candidates  a name the user typed and the names it could have been: the hint
   *   suggests the closest (did-you-mean) or lists them.
   * @param hint  used instead when given (e.g. a suggestion the parser already made).
   */
  constructor(message: string, given?: string, candidates?: string[], hint?: string) {
    super(message);
    this.name = 'UsageError';
    this.hint =
      hint ??
      (given !== undefined && candidates
        ? (formatSuggestions(didYouMean(given, candidates)) ?? `commands: ${candidates.join(', ')}`)
        : 'run shopsmart --help');
  }
}
