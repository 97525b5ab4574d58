import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, formatSuggestions } from './did-you-mean.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps as one edit each', () => {
    expect(editDistance('dim_customers', 'dim_customers')).toBe(0);
    expect(editDistance('dim_custmers', 'dim_customers')).toBe(1);
    expect(editDistance('dim_customerss', 'dim_customers')).toBe(1);
    expect(editDistance('dim_kustomers', 'dim_customers')).toBe(1);
    expect(editDistance('tga', 'tag')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('gives up early past the limit', () => {
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
    expect(editDistance('a', 'abcdefgh', 2)).toBe(3);
  });
});

describe('didYouMean', () => {
  const models = ['dim_customers', 'dim_products', 'fct_orders', 'fct_order_items', 'stg_shop__orders'];

  it('returns the closest names within the threshold, best first', () => {
    expect(didYouMean('dim_custmers', models)).toEqual(['dim_customers']);
    expect(didYouMean('fct_order', models)).toEqual(['fct_orders']);
    expect(didYouMean('fct_order_item', models)).toEqual(['fct_order_items']);
    expect(didYouMean('stg_shop_orders', models)).toEqual(['stg_shop__orders']);
  });

  it('ignores case, skips exact matches and returns nothing for unrelated names', () => {
    expect(didYouMean('DIM_CUSTOMERS', models)).toEqual(['dim_customers']);
    expect(didYouMean('dim_customers', models)).toEqual([]);
    expect(didYouMean('revenue', models)).toEqual([]);
  });

  it('honours maxDistance and limit', () => {
    expect(didYouMean('ab', ['abc', 'abcd', 'abcde'], { maxDistance: 3, limit: 2 })).toEqual(['abc', 'abcd']);
    expect(didYouMean('ab', ['abcde'], { maxDistance: 2 })).toEqual([]);
  });

  it('formats suggestions as a hint', () => {
    expect(formatSuggestions([])).toBeUndefined();
    expect(formatSuggestions(['a'])).toBe("did you mean 'a'?");
    expect(formatSuggestions(['a', 'b', 'c'])).toBe("did you mean 'a', 'b' or 'c'?");
  });
});
