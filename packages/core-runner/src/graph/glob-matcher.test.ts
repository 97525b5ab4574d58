import { describe, expect, it } from 'vitest';
import { fnmatch, hasWildcard, pathGlobMatch } from './glob-matcher.js';

describe('fnmatch', () => {
  it('follows Python fnmatch: * any run, ? one character, [set] and [!set]', () => {
    expect(fnmatch('stg_shop__orders', 'stg_*')).toBe(true);
    expect(fnmatch('int_stg_x', 'stg_*')).toBe(false);
    expect(fnmatch('core.dim_customers', '*.dim_*')).toBe(true);
    expect(fnmatch('nightly', 'night?y')).toBe(true);
    expect(fnmatch('nightly', 'night?')).toBe(false);
    expect(fnmatch('fct_a', 'fct_[ab]')).toBe(true);
    expect(fnmatch('fct_c', 'fct_[ab]')).toBe(false);
    expect(fnmatch('fct_c', 'fct_[!ab]')).toBe(true);
    expect(fnmatch('v]', 'v[]]')).toBe(true);
  });

  it('treats regex characters and an unclosed bracket literally', () => {
    expect(fnmatch('a.b', 'a.b')).toBe(true);
    expect(fnmatch('axb', 'a.b')).toBe(false);
    expect(fnmatch('a(b)+', 'a(b)+')).toBe(true);
    expect(fnmatch('x[y', 'x[y')).toBe(true);
    expect(fnmatch('Daily', 'daily')).toBe(false);
  });

  it('knows which values hold wildcards', () => {
    expect(hasWildcard('stg_*')).toBe(true);
    expect(hasWildcard('a[bc]')).toBe(true);
    expect(hasWildcard('marts.core')).toBe(false);
  });
});

describe('pathGlobMatch', () => {
  it('keeps * and ? inside one folder and lets ** span folders', () => {
    expect(pathGlobMatch('models/core/dim_customers.sql', 'models/*/dim_*.sql')).toBe(true);
    expect(pathGlobMatch('models/core/x/dim_customers.sql', 'models/*/dim_*.sql')).toBe(false);
    expect(pathGlobMatch('models/core/x/dim_customers.sql', 'models/**/dim_*.sql')).toBe(true);
    expect(pathGlobMatch('models/dim_customers.sql', 'models/**/dim_*.sql')).toBe(true);
    expect(pathGlobMatch('models/core/a.sql', 'models/**')).toBe(true);
    expect(pathGlobMatch('models/core', 'models/cor?')).toBe(true);
  });
});
