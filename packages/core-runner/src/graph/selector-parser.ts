import type { ShopsmartError } from '../errors.js';
import { throwIfAny } from '../errors.js';
import { didYouMean, formatSuggestions } from './did-you-mean.js';
import type { SelectorAst, SelectorAtom, SelectorIntersection } from './selector-ast.js';
import { SelectorMethodError, SelectorSyntaxError, SelectorValueError } from './selector-errors.js';
import {
  isSelectorMethodName,
  SELECTOR_METHOD_NAMES,
  SELECTOR_METHODS,
  type SelectorMethodName,
} from './selector-methods.js';

// dbt's RAW_SELECTOR_PATTERN: [@][N+][method:]value[+N]. The lazy value lets a trailing +N bind
// to the operator rather than the value.
const ATOM_PATTERN = /^(@)?(?:(\d*)\+)?(?:([\w.]+):)?(.*?)(?:\+(\d*))?$/s;

/** With no method written, dbt infers one: a slash means a path, a file extension a file name. */
function inferMethod(value: string): SelectorMethodName {
  if (value.includes('/') || value.includes('\\')) return 'path';
  if (/\.(sql|py|csv)$/i.test(value)) return 'file';
  return 'fqn';
}

const depthOf = (digits: string | undefined): number | undefined =>
  digits === undefined || digits === '' ? undefined : Number.parseInt(digits, 10);

function parseAtom(
  raw: string,
  position: number,
  text: string,
  errors: ShopsmartError[],
): SelectorAtom | undefined {
  const match = ATOM_PATTERN.exec(raw) as RegExpExecArray;
  const [, at, parentDigits, methodText, value = '', childDigits] = match;
  // An optional group that took part yields '' rather than undefined: `+x` has parents, no depth.
  const parents = parentDigits !== undefined;
  const children = childDigits !== undefined;
  const valueAt =
    position +
    (at ? 1 : 0) +
    (parents ? (parentDigits?.length ?? 0) + 1 : 0) +
    (methodText ? methodText.length + 1 : 0);

  if (value === '') {
    errors.push(new SelectorSyntaxError(text, valueAt, `"${raw}" has no value to select`));
    return undefined;
  }
  const plus = value.indexOf('+');
  if (plus >= 0) {
    errors.push(
      new SelectorSyntaxError(
        text,
        valueAt + plus,
        `unexpected '+' in "${raw}"`,
        'graph operators go only at the start (+x, 2+x) or the end (x+, x+1)',
      ),
    );
    return undefined;
  }
  if (at && children) {
    errors.push(
      new SelectorSyntaxError(
        text,
        position,
        `"${raw}" combines '@' with a '+' suffix`,
        "'@x' already includes every descendant of x; drop the '+'",
      ),
    );
    return undefined;
  }

  let method: SelectorMethodName = inferMethod(value);
  let methodArgs: string[] = [];
  if (methodText !== undefined) {
    const [name = '', ...args] = methodText.split('.');
    if (!isSelectorMethodName(name)) {
      errors.push(
        new SelectorMethodError(
          text,
          position,
          name,
          didYouMean(name, SELECTOR_METHOD_NAMES),
          SELECTOR_METHOD_NAMES,
        ),
      );
      return undefined;
    }
    const spec = SELECTOR_METHODS[name];
    if (spec.takesArguments && args.length === 0) {
      errors.push(
        new SelectorSyntaxError(text, position, `'${name}' needs a key, as in "${name}.materialized:table"`),
      );
      return undefined;
    }
    if (!spec.takesArguments && args.length > 0) {
      errors.push(
        new SelectorSyntaxError(text, position, `'${name}' takes no key, but "${methodText}" gives one`),
      );
      return undefined;
    }
    method = name;
    methodArgs = args;
  }

  const spec = SELECTOR_METHODS[method];
  if (spec.values && !spec.values.includes(value)) {
    const hint = formatSuggestions(didYouMean(value, spec.values));
    errors.push(
      new SelectorValueError(
        text,
        valueAt,
        `'${value}' is not a ${method} value; expected one of ${spec.values.join(', ')}`,
        hint,
      ),
    );
    return undefined;
  }
  const problem = spec.checkValue?.(value);
  if (problem) {
    errors.push(new SelectorValueError(text, valueAt, `'${value}' is not a ${method} value; ${problem}`));
    return undefined;
  }

  return {
    kind: 'atom',
    raw,
    position,
    method,
    methodArgs,
    methodInferred: methodText === undefined,
    value,
    childrensParents: at !== undefined,
    parents,
    ...(parents && depthOf(parentDigits) !== undefined ? { parentsDepth: depthOf(parentDigits) } : {}),
    children,
    ...(children && depthOf(childDigits) !== undefined ? { childrenDepth: depthOf(childDigits) } : {}),
  };
}

/**
 * Parses into `errors` instead of throwing, so a whole command line can be checked at once.
 * Returns the atoms that did parse.
 */
export function parseSelectorCollecting(text: string, errors: ShopsmartError[]): SelectorAst {
  const members: SelectorIntersection[] = [];
  for (const token of text.matchAll(/\S+/g)) {
    const raw = token[0];
    const start = token.index ?? 0;
    const atoms: SelectorAtom[] = [];
    let offset = 0;
    for (const part of raw.split(',')) {
      if (part === '') {
        errors.push(
          new SelectorSyntaxError(text, start + offset, `empty selector in "${raw}" (stray comma)`),
        );
      } else {
        const atom = parseAtom(part, start + offset, text, errors);
        if (atom) atoms.push(atom);
      }
      offset += part.length + 1;
    }
    members.push({ kind: 'intersection', raw, position: start, atoms });
  }
  return { kind: 'union', raw: text, members };
}

/**
 * Parses one `--select`/`--exclude` value with dbt's grammar: spaces separate a union, commas an
 * intersection, each atom is `[@][N+]method:value[+N]` (method inferred when absent). Throws a
 * typed error carrying the 0-based position of the problem; several problems are thrown together.
 *
 * @example
 * parseSelector('2+tag:nightly,config.materialized:table stg_*+');
 * // { kind: 'union', members: [
 * //   { kind: 'intersection', atoms: [{ method: 'tag', value: 'nightly', parents: true, parentsDepth: 2, … },
 * //                                   { method: 'config', methodArgs: ['materialized'], value: 'table', … }] },
 * //   { kind: 'intersection', atoms: [{ method: 'fqn', value: 'stg_*', children: true, … }] } ] }
 */
export function parseSelector(text: string): SelectorAst {
  const errors: ShopsmartError[] = [];
  const ast = parseSelectorCollecting(text, errors);
  throwIfAny(errors);
  return ast;
}
