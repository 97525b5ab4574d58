import { describe, expect, it } from 'vitest';
import { type ShopsmartError, ShopsmartErrorList } from '../errors.js';
import { shopSelection } from './fixture-nodes.js';
import type { SelectOptions } from './graph-types.js';
import { parseSelectorDefinitions, type SelectorDefinitions } from './selector-definitions.js';
import { UnknownSelectorError } from './selector-errors.js';
import { selectNodes } from './selector-evaluator.js';

// dbt's YAML selectors: https://docs.getdbt.com/reference/node-selection/yaml-selectors
const { graph, short } = shopSelection();

function definitions(text: string): SelectorDefinitions {
  const { definitions, errors } = parseSelectorDefinitions(text, 'selectors.yml');
  if (errors.length > 0) throw new ShopsmartErrorList(errors);
  return definitions;
}

function problems(text: string): string[] {
  return parseSelectorDefinitions(text, 'selectors.yml').errors.map((e) => `${e.line}: ${e.message}`);
}

function pick(selectors: SelectorDefinitions, options: SelectOptions): string[] {
  const { selected } = selectNodes(graph, { indirectSelection: 'empty', selectors, ...options });
  return [...selected].map(short).sort();
}

const SHOP = `selectors:
  - name: cli_style
    definition: "+dim_customers"
  - name: key_value
    definition:
      tag: finance
  - name: full
    description: fct_orders and one generation below
    definition:
      method: fqn
      value: fct_orders
      children: true
      children_depth: 1
  - name: full_parents
    definition:
      method: fqn
      value: fct_orders
      parents: true
      parents_depth: 1
  - name: daily_finance
    definition:
      intersection:
        - tag: daily
        - tag: finance
  - name: marts_but_finance
    definition:
      union:
        - method: package
          value: marts
        - exclude:
            - tag: finance
  - name: reuse
    definition:
      intersection:
        - method: selector
          value: marts_but_finance
        - "resource_type:model"
  - name: reuse_cli
    definition: "selector:key_value,resource_type:model"
  - name: with_exclude
    definition:
      method: tag
      value: daily
      exclude:
        - "resource_type:source"
`;

describe('selectors.yml definitions (dbt YAML selectors)', () => {
  const shop = definitions(SHOP);

  it('CLI-style strings keep graph operators', () => {
    expect(pick(shop, { selector: 'cli_style' })).toEqual(
      [
        'country_codes',
        'dim_customers',
        'int_orders_aggregated_by_customer',
        'raw.customers',
        'raw.orders',
        'stg_shop__customers',
        'stg_shop__orders',
      ].sort(),
    );
  });

  it('key-value pairs and full mappings with children/parents depth', () => {
    expect(pick(shop, { selector: 'key_value' })).toEqual(['dim_customers', 'fct_orders']);
    expect(pick(shop, { selector: 'full' })).toEqual(
      [
        'assert_positive_revenue',
        'customer_ltv',
        'fct_orders',
        'not_null_fct_orders_order_id',
        'relationships_fct_orders_customer_key',
        'revenue_by_month',
      ].sort(),
    );
    expect(pick(shop, { selector: 'full_parents' })).toEqual([
      'dim_customers',
      'fct_orders',
      'stg_shop__orders',
    ]);
  });

  it('intersection, union with exclude, and full mapping with exclude', () => {
    expect(pick(shop, { selector: 'daily_finance' })).toEqual(['dim_customers']);
    const marts = pick(shop, { selector: 'marts_but_finance' });
    expect(marts).toContain('customer_ltv');
    expect(marts).not.toContain('fct_orders');
    expect(marts).not.toContain('dim_customers');
    // Eager exclusion: the tests of an excluded model go with it.
    expect(marts).not.toContain('not_null_fct_orders_order_id');
    expect(pick(shop, { selector: 'with_exclude' })).toEqual(['dim_customers', 'stg_shop__customers']);
  });

  it('the selector method reuses another definition, in YAML and in CLI-style text', () => {
    expect(pick(shop, { selector: 'reuse' })).toEqual(['customer_ltv']);
    expect(pick(shop, { selector: 'reuse_cli' })).toEqual(['dim_customers', 'fct_orders']);
    // Graph operators apply to what the named selector selects (here: dim_customers).
    expect(pick(shop, { select: ['selector:daily_finance+1'] })).toEqual(
      pick(shop, { select: ['dim_customers+1'] }),
    );
  });

  it('--selector replaces --select and --exclude, with a warning', () => {
    const result = selectNodes(graph, {
      selectors: shop,
      selector: 'key_value',
      select: ['stg_shop__orders'],
      indirectSelection: 'empty',
    });
    expect([...result.selected].map(short).sort()).toEqual(['dim_customers', 'fct_orders']);
    expect(result.selector).toBe('key_value');
    expect(result.warnings.join()).toMatch(/--select and --exclude are ignored/);
  });

  it('default: true applies only when nothing is selected', () => {
    const withDefault = definitions(`selectors:
  - name: finance
    default: true
    definition: "tag:finance"
`);
    const none = selectNodes(graph, { selectors: withDefault, indirectSelection: 'empty' });
    expect([...none.selected].map(short).sort()).toEqual(['dim_customers', 'fct_orders']);
    expect(none.selector).toBe('finance');
    expect(pick(withDefault, { select: ['stg_shop__orders'] })).toEqual(['stg_shop__orders']);
    expect(pick(withDefault, { exclude: ['tag:finance'] })).not.toContain('fct_orders');
    expect(pick(withDefault, { exclude: ['tag:finance'] })).toContain('stg_shop__orders');
  });

  it('indirect_selection in a definition overrides the command default', () => {
    const eager = definitions(`selectors:
  - name: dims
    definition:
      method: fqn
      value: dim_customers
      indirect_selection: cautious
`);
    const selected = pick(eager, { selector: 'dims', indirectSelection: 'eager' });
    expect(selected).toContain('unique_dim_customers_customer_key');
    // cautious: the relationships test also needs fct_orders, which is not selected.
    expect(selected).not.toContain('relationships_fct_orders_customer_key');
  });

  it('an unknown --selector or selector: name is an error with a did-you-mean', () => {
    const error = (() => {
      try {
        selectNodes(graph, { selectors: shop, selector: 'key_valeu' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(UnknownSelectorError);
    expect((error as ShopsmartError).hint).toBe("did you mean 'key_value'?");
    expect((error as ShopsmartError).file).toBe('selectors.yml');
    expect(() => selectNodes(graph, { select: ['selector:x'] })).toThrow(/has no selectors.yml/);
    expect(() => selectNodes(graph, { selector: 'x' })).toThrow(/has no selectors.yml/);
  });
});

describe('selectors.yml problems, each with its line', () => {
  it('bad YAML and a missing selectors list', () => {
    expect(problems('selectors:\n  - name: a\n   definition: x\n')[0]).toMatch(
      /^3: selectors.yml is not valid YAML/,
    );
    expect(problems('selector:\n  - name: a\n')).toEqual([
      '1: selectors.yml must hold a top-level `selectors:` list',
    ]);
  });

  it('missing name or definition, duplicates, unknown keys, two defaults', () => {
    const found = problems(`selectors:
  - name: a
    definition: "tag:x"
    default: true
  - definition: "tag:y"
  - name: b
  - name: a
    definition: "tag:z"
  - name: c
    defintion: "tag:z"
  - name: d
    default: true
    definition: "tag:w"
`);
    expect(found).toEqual([
      '5: a selector needs a `name`',
      "6: selector 'b' has no `definition`",
      "7: selector 'a' is defined twice (first at line 2)",
      "10: unknown key 'defintion' in a selector",
      "9: selector 'c' has no `definition`",
      "11: selectors 'a' and 'd' both have `default: true`; only one selector may be the default",
    ]);
    const unknownKey = parseSelectorDefinitions('selectors:\n  - name: c\n    defintion: x\n', 's.yml')
      .errors[0];
    expect(unknownKey?.hint).toBe("did you mean 'definition'?");
    expect(unknownKey?.file).toBe('s.yml');
  });

  it('bad methods, values and keys inside definitions', () => {
    const found = parseSelectorDefinitions(
      `selectors:
  - name: a
    definition:
      method: tga
      value: x
  - name: b
    definition:
      method: tag
      value: x
      childern: true
  - name: c
    definition:
      union:
        - "state:modifed"
        - exclude: ["tag:a"]
        - exclude: ["tag:b"]
  - name: d
    definition:
      method: fqn
      value: x
      indirect_selection: eagre
`,
      'selectors.yml',
    ).errors;
    expect(found.map((e) => `${e.line}: ${e.message}`)).toEqual([
      `4: selector 'a': unknown selector method 'tga' in "tga:x"`,
      "8: selector 'b': unknown key 'childern'",
      `14: selector 'c': invalid selector "state:modifed": 'modifed' is not a state value; expected one of modified, new, old, unmodified`,
      "16: selector 'c': only one 'exclude' per union (dbt's rule)",
      "19: selector 'd': indirect_selection must be eager, cautious, buildable, empty, got 'eagre'",
    ]);
    expect(found[0]?.hint).toMatch(/did you mean 'tag'\?/);
    expect(found[1]?.hint).toBe("did you mean 'children'?");
    expect(found[4]?.hint).toBe("did you mean 'eager'?");
  });

  it('references to unknown selectors and reference cycles', () => {
    expect(
      problems(`selectors:
  - name: a
    definition:
      method: selector
      value: bb
  - name: b
    definition: "selector:c"
  - name: c
    definition:
      union:
        - "selector:b"
`),
    ).toEqual([
      "4: selector 'a' refers to selector 'bb', which is not defined",
      '7: selectors refer to each other in a cycle: b > c > b',
    ]);
  });
});
