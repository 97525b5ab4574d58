/**
 * Money in the reference computations is integer cents, so sums are exact; the marts hold
 * DECIMAL(18,2) dollars, which DuckDB hands over as text ('12.30') and we turn into cents too.
 */

/** Dollars as text or number (a DECIMAL(18,2) read from DuckDB) → integer cents; null stays null. */
export function toCents(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Math.round(value * 100);
  const text = String(value).trim();
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (match === null || (match[3]?.length ?? 0) > 2)
    throw new Error(`not a dollar amount with at most 2 decimals: '${text}'`);
  const cents = Number(match[2] || '0') * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  return match[1] === '-' ? -cents : cents;
}

/** Integer cents → dollars with two decimals ('1234.50'), the form assertions compare. */
export function formatCents(cents: number | null): string | null {
  if (cents === null) return null;
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * numerator / denominator rounded to a whole number, halves away from zero — the exact answer of
 * "amount ÷ count, to the cent" when the numerator is in cents (e.g. AOV = revenue ÷ orders).
 */
export function divideRounded(numerator: number, denominator: number): number {
  if (denominator === 0) throw new Error('division by zero');
  const sign = Math.sign(numerator) * Math.sign(denominator);
  const n = Math.abs(numerator);
  const d = Math.abs(denominator);
  // floor((2n + d) / 2d) is n/d rounded half up, computed on integers.
  return sign * Math.floor((2 * n + d) / (2 * d));
}

/** Parses a seed's dollar column ('480000.00') into cents. */
export function dollarsTextToCents(text: string): number {
  const cents = toCents(text);
  if (cents === null) throw new Error(`empty dollar amount`);
  return cents;
}
