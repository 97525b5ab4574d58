import { didYouMean, formatSuggestions } from '@shopsmart/core-runner';

/** Bad command-line usage: exit code 2. */
export class UsageError extends Error {
  readonly hint: string | undefined;
  constructor(message: string, given?: string, candidates?: string[]) {
    super(message);
    this.name = 'UsageError';
    this.hint =
      given && candidates
        ? (formatSuggestions(didYouMean(given, candidates)) ?? `commands: ${candidates.join(', ')}`)
        : 'run shopsmart --help';
  }
}
