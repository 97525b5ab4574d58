import { describe, expect, it } from 'vitest';
import { formatTick, formatValue } from './value-format.js';

describe('formatValue', () => {
  it('shows dollars and cents, _pct values (0–100) and _rate fractions (0–1) as percentages', () => {
    expect(formatValue(292796.15, 'money')).toBe('$292,796.15');
    expect(formatValue(-44.5, 'money')).toBe('-$44.50');
    expect(formatValue(7.54, 'pct')).toBe('7.54%');
    expect(formatValue(-100, 'pct')).toBe('-100%');
    expect(formatValue(0.0525, 'rate')).toBe('5.25%');
    expect(formatValue(0.7391, 'rate')).toBe('73.91%');
    expect(formatValue(1388, 'count')).toBe('1,388');
    expect(formatValue(10.184, 'number')).toBe('10.18');
  });

  it('shows a missing value as a dash, months by name and text as written', () => {
    expect(formatValue(null, 'money')).toBe('—');
    expect(formatValue('2024-03-01', 'date')).toBe('Mar 2024');
    expect(formatValue('2024-03-15', 'date')).toBe('2024-03-15');
    expect(formatValue('<b>at-risk</b>', 'text')).toBe('<b>at-risk</b>');
  });

  it('shortens axis ticks', () => {
    expect(formatTick(350000, 'money')).toBe('$350K');
    expect(formatTick(0.6, 'rate')).toBe('60%');
  });
});
