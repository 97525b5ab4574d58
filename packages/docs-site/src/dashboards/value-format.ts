import type { ValueFormat } from '@shopsmart/core-runner';

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const moneyShort = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  notation: 'compact',
  minimumFractionDigits: 0,
  maximumFractionDigits: 1,
});
const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2024-03-01` → `Mar 2024` (a month's first day); other dates as written. */
function date(value: string): string {
  const match = /^(\d{4})-(\d{2})-01$/.exec(value);
  return match ? `${months[Number(match[2]) - 1]} ${match[1]}` : value;
}

/**
 * A value as people read it: dollars and cents, a 0–100 `_pct` value as a percentage, a 0–1
 * `_rate` / `_share` fraction as a percentage too; null as an em dash.
 *
 * @example
 * formatValue(1234.5, 'money'); // '$1,234.50'
 * formatValue(7.54, 'pct');     // '7.54%'
 * formatValue(0.0525, 'rate');  // '5.25%'
 */
export function formatValue(value: unknown, format: ValueFormat): string {
  if (value === null || value === undefined) return '—';
  if (format === 'text') return String(value);
  if (format === 'date') return date(String(value));
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  switch (format) {
    case 'money':
      return money.format(n);
    case 'pct':
      return `${number.format(n)}%`;
    case 'rate':
      return `${number.format(n * 100)}%`;
    case 'count':
      return count.format(n);
    default:
      return number.format(n);
  }
}

/** The same, shorter, for axis ticks: `$12.3K`, `40%`. */
export function formatTick(value: unknown, format: ValueFormat): string {
  if (format === 'money') return moneyShort.format(Number(value));
  if (format === 'rate') return `${number.format(Number(value) * 100)}%`;
  return formatValue(value, format);
}
