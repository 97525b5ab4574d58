import { ShopsmartError } from '../errors.js';
import { didYouMean, formatSuggestions } from './did-you-mean.js';

/**
 * A selector that does not follow the grammar. `position` is the 0-based offset in `selector`.
 *
 * @example
 * new SelectorSyntaxError('a,,b', 2, 'empty selector between commas').message;
 * // 'invalid selector "a,,b" at column 3: empty selector between commas'
 */
export class SelectorSyntaxError extends ShopsmartError {
  override readonly code = 'SSA-SELECT-SYNTAX' as const;
  readonly selector: string;
  readonly position: number;

  constructor(selector: string, position: number, reason: string, hint?: string) {
    super('SSA-SELECT-SYNTAX', `invalid selector "${selector}" at column ${position + 1}: ${reason}`, {
      hint: hint ?? 'selectors look like [@][N+]method:value[+N], space for union, comma for intersection',
    });
    this.name = 'SelectorSyntaxError';
    this.selector = selector;
    this.position = position;
  }
}

/**
 * A method name that does not exist, with the closest valid ones.
 *
 * @example
 * new SelectorMethodError('tga:nightly', 0, 'tga', ['tag'], ['fqn', 'tag']).hint;
 * // "did you mean 'tag'? valid methods: fqn, tag"
 */
export class SelectorMethodError extends ShopsmartError {
  override readonly code = 'SSA-SELECT-METHOD' as const;
  readonly method: string;
  readonly position: number;
  readonly suggestions: readonly string[];
  readonly validMethods: readonly string[];

  constructor(
    selector: string,
    position: number,
    method: string,
    suggestions: readonly string[],
    validMethods: readonly string[],
  ) {
    const didYouMean = formatSuggestions(suggestions);
    super('SSA-SELECT-METHOD', `unknown selector method '${method}' in "${selector}"`, {
      hint: `${didYouMean ? `${didYouMean} ` : ''}valid methods: ${validMethods.join(', ')}`,
    });
    this.name = 'SelectorMethodError';
    this.method = method;
    this.position = position;
    this.suggestions = suggestions;
    this.validMethods = validMethods;
  }
}

/**
 * A value the method cannot take (`state:modifed`, `test_type:integration`, `source:a.b.c.d`).
 *
 * @example
 * new SelectorValueError('state:modifed', 0, "'modifed' is not a state value", "did you mean 'modified'?");
 */
export class SelectorValueError extends ShopsmartError {
  override readonly code = 'SSA-SELECT-VALUE' as const;
  readonly selector: string;
  readonly position: number;

  constructor(selector: string, position: number, reason: string, hint?: string) {
    super(
      'SSA-SELECT-VALUE',
      `invalid selector "${selector}": ${reason}`,
      hint === undefined ? {} : { hint },
    );
    this.name = 'SelectorValueError';
    this.selector = selector;
    this.position = position;
  }
}

/**
 * `state:` without a saved manifest, or `result:` without the last run's results.
 *
 * @example
 * new SelectorContextError('state:modified+', 'state').message;
 * // "selector \"state:modified+\" needs a saved manifest to compare against"
 */
export class SelectorContextError extends ShopsmartError {
  override readonly code = 'SSA-SELECT-CONTEXT' as const;
  readonly selector: string;

  constructor(selector: string, needs: 'state' | 'results') {
    const what = needs === 'state' ? 'a saved manifest to compare against' : "the last run's results";
    super('SSA-SELECT-CONTEXT', `selector "${selector}" needs ${what}`, {
      hint:
        needs === 'state'
          ? 'give the selection the manifest.json of an earlier run (dbt calls this --state)'
          : 'give the selection the run_results.json of the last run (dbt calls this --state)',
    });
    this.name = 'SelectorContextError';
    this.selector = selector;
  }
}

export type SelectorError =
  | SelectorSyntaxError
  | SelectorMethodError
  | SelectorValueError
  | SelectorContextError;

/**
 * `--selector NAME` (or `selector:NAME`) for a name selectors.yml does not define.
 *
 * @example
 * new UnknownSelectorError('nightli', ['nightly', 'weekly'], 'selectors.yml').hint; // "did you mean 'nightly'?"
 */
export class UnknownSelectorError extends ShopsmartError {
  override readonly code = 'SSA-SELECTOR-404' as const;
  readonly selectorName: string;

  constructor(name: string, known: readonly string[], file: string | undefined) {
    super(
      'SSA-SELECTOR-404',
      file
        ? `selector '${name}' is not defined in ${file}`
        : `selector '${name}' is used, but the project has no selectors.yml`,
      {
        ...(file ? { file } : {}),
        hint: file
          ? (formatSuggestions(didYouMean(name, known)) ??
            `defined selectors: ${known.join(', ') || '(none)'}`)
          : 'define YAML selectors in selectors.yml at the project root',
      },
    );
    this.name = 'UnknownSelectorError';
    this.selectorName = name;
  }
}
