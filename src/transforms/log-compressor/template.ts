/**
 * Line templates: a log line with its varying values (numbers, hex ids)
 * folded, so repeats of one message — the same warning at other times, the
 * same request for other ids — are recognised as one kind of line. Folding
 * only digits and hex keeps templates fine-grained: two lines that differ in
 * a word are different kinds, and each keeps a verbatim instance.
 */

const VARYING = /0x[0-9a-f]+|[0-9a-f]{8,}|\d+/gi;
const DECIMAL = /^\d+$/;

/** The line's template: each varying value replaced by `<n>` (decimal) or `<hex>`. */
export function templateOf(plain: string): string {
  return plain.trim().replace(VARYING, (value) => (DECIMAL.test(value) ? '<n>' : '<hex>'));
}

/** The varying values of a line, in order: the values behind its template's slots. */
export function slotValues(plain: string): string[] {
  return plain.trim().match(VARYING) ?? [];
}

/**
 * The range of the slot whose value varies most across `lines` (all of one
 * template; ties go to the first): `1..412` for decimal values, `7 distinct`
 * otherwise; null when every slot holds the same value in every line.
 */
export function varyingRange(lines: readonly string[]): string | null {
  const values = lines.map(slotValues);
  let slots = Infinity;
  for (const row of values) slots = Math.min(slots, row.length);
  let best: string[] | null = null;
  let bestDistinct = 1;
  for (let slot = 0; slot < slots; slot++) {
    const column = values.map((row) => row[slot] as string);
    const distinct = new Set(column).size;
    if (distinct > bestDistinct) {
      best = column;
      bestDistinct = distinct;
    }
  }
  if (best === null) return null;
  if (!best.every((value) => /^\d{1,15}$/.test(value))) return `${bestDistinct} distinct`;
  let low = Infinity;
  let high = -Infinity;
  for (const value of best) {
    low = Math.min(low, Number(value));
    high = Math.max(high, Number(value));
  }
  return `${low}..${high}`;
}
