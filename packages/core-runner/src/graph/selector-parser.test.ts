import { describe, expect, it } from 'vitest';
import { ShopsmartErrorList } from '../errors.js';
import { SelectorMethodError, SelectorSyntaxError, SelectorValueError } from './selector-errors.js';
import { parseSelector } from './selector-parser.js';

const atoms = (text: string) => parseSelector(text).members.flatMap((m) => m.atoms);
const only = (text: string) => {
  const [atom, ...rest] = atoms(text);
  expect(rest).toEqual([]);
  return atom;
};
const errorOf = (text: string): unknown => {
  try {
    parseSelector(text);
  } catch (error) {
    return error;
  }
  throw new Error(`"${text}" parsed without error`);
};

describe('parseSelector', () => {
  it('splits spaces into a union and commas into an intersection', () => {
    const ast = parseSelector('  tag:daily,config.materialized:table   stg_*+ ');
    expect(ast.members.map((m) => [m.raw, m.position, m.atoms.map((a) => a.raw)])).toEqual([
      ['tag:daily,config.materialized:table', 2, ['tag:daily', 'config.materialized:table']],
      ['stg_*+', 40, ['stg_*+']],
    ]);
    expect(ast.members[0]?.atoms[1]?.position).toBe(12);
  });

  it('reads graph operators with and without depth', () => {
    expect(only('+a')).toMatchObject({ parents: true, children: false, value: 'a' });
    expect(only('+a')).not.toHaveProperty('parentsDepth');
    expect(only('a+')).toMatchObject({ parents: false, children: true, value: 'a' });
    expect(only('2+a+3')).toMatchObject({ parents: true, parentsDepth: 2, children: true, childrenDepth: 3 });
    expect(only('@tag:x')).toMatchObject({
      childrensParents: true,
      method: 'tag',
      value: 'x',
      children: false,
    });
    expect(only('@1+a')).toMatchObject({ childrensParents: true, parents: true, parentsDepth: 1 });
    expect(only('a')).toMatchObject({ parents: false, children: false, childrensParents: false });
  });

  it('keeps digits that are part of a name', () => {
    expect(only('2024_orders')).toMatchObject({ value: '2024_orders', parents: false });
    expect(only('orders_2024+')).toMatchObject({ value: 'orders_2024', children: true });
  });

  it('infers the method when none is written, as dbt does', () => {
    expect(only('marts.core')).toMatchObject({ method: 'fqn', methodInferred: true });
    expect(only('models/core')).toMatchObject({ method: 'path', methodInferred: true });
    expect(only('dim_customers.sql')).toMatchObject({ method: 'file', methodInferred: true });
    expect(only('fqn:marts.core')).toMatchObject({ method: 'fqn', methodInferred: false });
  });

  it('splits method arguments and keeps dots and colons in the value', () => {
    expect(only('config.meta.owner:finance')).toMatchObject({
      method: 'config',
      methodArgs: ['meta', 'owner'],
    });
    expect(only('source:raw.orders+')).toMatchObject({
      method: 'source',
      value: 'raw.orders',
      children: true,
    });
    expect(only('path:models/a:b')).toMatchObject({ method: 'path', value: 'models/a:b' });
  });

  it('names an unknown method with a did-you-mean and the valid list', () => {
    const error = errorOf('stg_* tga:daily') as SelectorMethodError;
    expect(error).toBeInstanceOf(SelectorMethodError);
    expect(error.code).toBe('SSA-SELECT-METHOD');
    expect(error.message).toBe(`unknown selector method 'tga' in "stg_* tga:daily"`);
    expect(error.position).toBe(6);
    expect(error.suggestions).toEqual(['tag']);
    expect(error.hint).toMatch(
      /^did you mean 'tag'\? valid methods: fqn, tag, path, file, package, layer, config/,
    );
    expect((errorOf('resource_typ:model') as SelectorMethodError).suggestions).toEqual(['resource_type']);
    expect((errorOf('confg.materialized:table') as SelectorMethodError).suggestions).toEqual(['config']);
  });

  it('reports syntax problems with their position', () => {
    const cases: [string, number, RegExp][] = [
      ['a,,b', 2, /stray comma/],
      ['a, b', 2, /stray comma/],
      ['tag:', 4, /no value/],
      ['+', 1, /no value/],
      ['a+b', 1, /unexpected '\+'/],
      ['@a+', 0, /'@' with a '\+' suffix/],
      ['config:table', 0, /needs a key/],
      ['tag.x:y', 0, /takes no key/],
    ];
    for (const [text, position, reason] of cases) {
      const error = errorOf(text) as SelectorSyntaxError;
      expect(error, text).toBeInstanceOf(SelectorSyntaxError);
      expect(error.code).toBe('SSA-SELECT-SYNTAX');
      expect(error.position, text).toBe(position);
      expect(error.message, text).toMatch(reason);
      expect(error.message).toContain(`at column ${position + 1}`);
    }
  });

  it('checks closed value sets up front', () => {
    const error = errorOf('state:modifed+') as SelectorValueError;
    expect(error).toBeInstanceOf(SelectorValueError);
    expect(error.code).toBe('SSA-SELECT-VALUE');
    expect(error.position).toBe(6);
    expect(error.message).toContain(
      "'modifed' is not a state value; expected one of modified, new, old, unmodified",
    );
    expect(error.hint).toBe("did you mean 'modified'?");
    expect(errorOf('resource_type:modle')).toBeInstanceOf(SelectorValueError);
    expect(errorOf('test_type:integration')).toBeInstanceOf(SelectorValueError);
    expect(errorOf('result:errors')).toBeInstanceOf(SelectorValueError);
    expect((errorOf('source:a.b.c.d') as SelectorValueError).message).toContain('source_name.table_name');
    expect(errorOf('exposure:a.b.c')).toBeInstanceOf(SelectorValueError);
  });

  it('reports all problems of one selector together', () => {
    const error = errorOf('tga:x a,,b') as ShopsmartErrorList;
    expect(error).toBeInstanceOf(ShopsmartErrorList);
    expect(error.errors.map((e) => e.code)).toEqual(['SSA-SELECT-METHOD', 'SSA-SELECT-SYNTAX']);
  });
});
