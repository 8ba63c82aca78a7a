/**
 * Line templates: a log line with its varying values (numbers, hex ids)
 * folded, so repeats of one message — the same warning at other times, the
 * same request for other ids — are recognised as one kind of line. Folding
 * only digits and hex keeps templates fine-grained: two lines that differ in
 * a word are different kinds, and each keeps a verbatim instance.
 */

/**
 * Varying values: hex (`0x1f`, 8+ hex digits), generated ids (a word of 6+
 * letters and digits holding both, such as a request id `k92x86k8msd`), and
 * decimal numbers.
 */
const VARYING = /0x[0-9a-f]+|[0-9a-f]{8,}|\b(?=[a-z0-9]{0,63}\d)(?=[a-z0-9]{0,63}[a-z])[a-z0-9]{6,64}\b|\d+/gi;
const DECIMAL = /^\d+$/;
const HEX = /^(?:0x[0-9a-f]+|[0-9a-f]{8,})$/i;

/** The line's template: each varying value replaced by `<n>` (decimal), `<hex>` or `<id>`. */
export function templateOf(plain: string): string {
  return plain.trim().replace(VARYING, (value) => (DECIMAL.test(value) ? '<n>' : HEX.test(value) ? '<hex>' : '<id>'));
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
