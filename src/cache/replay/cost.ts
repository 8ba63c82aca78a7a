/**
 * Billed prompt tokens in dollars, each bucket at its own rate (input, cache
 * read, 5-minute and 1-hour cache writes) from the one cache price table.
 */
import type { CachePrices } from '../../pricing/cache-rules.js';
import type { BilledTotals } from './billing.js';

/** Whole nano-dollars (rates are USD per million tokens, so a token costs rate × 1,000 nanos); null when unpriced. */
export function billedNanos(billed: Omit<BilledTotals, 'calls' | 'prompt'>, prices: CachePrices | null): number | null {
  if (prices === null) return null;
  // Without a 1-hour rate (not an Anthropic model), a 1-hour write is billed as the default write.
  const write1h = prices.cacheWrite1h ?? prices.cacheWrite5m;
  const nanos = (tokens: number, rate: number): number => Math.round(tokens * rate * 1000);
  return nanos(billed.input, prices.input) + nanos(billed.cacheRead, prices.cacheRead) + nanos(billed.cacheWrite5m, prices.cacheWrite5m) + nanos(billed.cacheWrite1h, write1h);
}
