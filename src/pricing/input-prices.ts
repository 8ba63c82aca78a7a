/**
 * A small pinned table of list prices for prompt (input) tokens, used by
 * simulate to put a dollar figure on tokens saved. Prices are USD per
 * million input tokens, from the providers' published price pages as of the
 * date below. A model not in the table is `unpriced` — never $0. Cache-aware
 * pricing (reads, 5-minute and 1-hour writes at their own rates) comes with
 * the cache optimizer.
 */
export const PRICES_AS_OF = '2026-11-24';

interface PriceRow {
  /** Matched against the model name (routing prefixes like `openai/` removed, lower case). */
  pattern: RegExp;
  family: string;
  inputPerMillion: number;
}

/** First match wins, so more specific names come first. */
const INPUT_PRICES: readonly PriceRow[] = [
  { pattern: /^gpt-4o-mini/, family: 'gpt-4o-mini', inputPerMillion: 0.15 },
  { pattern: /^(gpt-4o|chatgpt-4o)/, family: 'gpt-4o', inputPerMillion: 2.5 },
  { pattern: /^gpt-4\.1-nano/, family: 'gpt-4.1-nano', inputPerMillion: 0.1 },
  { pattern: /^gpt-4\.1-mini/, family: 'gpt-4.1-mini', inputPerMillion: 0.4 },
  { pattern: /^gpt-4\.1/, family: 'gpt-4.1', inputPerMillion: 2.0 },
  { pattern: /^gpt-5-nano/, family: 'gpt-5-nano', inputPerMillion: 0.05 },
  { pattern: /^gpt-5-mini/, family: 'gpt-5-mini', inputPerMillion: 0.25 },
  { pattern: /^gpt-5(\.\d+)?(-codex)?(-|$)/, family: 'gpt-5', inputPerMillion: 1.25 },
  { pattern: /^gpt-4-turbo/, family: 'gpt-4-turbo', inputPerMillion: 10 },
  { pattern: /^gpt-4(-|$)/, family: 'gpt-4', inputPerMillion: 30 },
  { pattern: /^gpt-3\.5-turbo/, family: 'gpt-3.5-turbo', inputPerMillion: 0.5 },
  { pattern: /^o4-mini/, family: 'o4-mini', inputPerMillion: 1.1 },
  { pattern: /^o3-mini/, family: 'o3-mini', inputPerMillion: 1.1 },
  { pattern: /^o3/, family: 'o3', inputPerMillion: 2.0 },
  { pattern: /^o1-mini/, family: 'o1-mini', inputPerMillion: 1.1 },
  { pattern: /^o1/, family: 'o1', inputPerMillion: 15 },
  { pattern: /^claude-(opus-4-[5-9]|opus-[5-9])/, family: 'claude-opus-4.5+', inputPerMillion: 5 },
  { pattern: /^claude-(3-opus|opus-4)/, family: 'claude-opus', inputPerMillion: 15 },
  { pattern: /^claude-(3-5-sonnet|3-7-sonnet|sonnet-4|sonnet-[5-9])/, family: 'claude-sonnet', inputPerMillion: 3 },
  { pattern: /^claude-(haiku-4|haiku-[5-9])/, family: 'claude-haiku-4.5', inputPerMillion: 1 },
  { pattern: /^claude-3-5-haiku/, family: 'claude-3.5-haiku', inputPerMillion: 0.8 },
  { pattern: /^claude-3-haiku/, family: 'claude-3-haiku', inputPerMillion: 0.25 },
  { pattern: /^gemini-2\.5-pro/, family: 'gemini-2.5-pro', inputPerMillion: 1.25 },
  { pattern: /^gemini-2\.5-flash-lite/, family: 'gemini-2.5-flash-lite', inputPerMillion: 0.1 },
  { pattern: /^gemini-2\.5-flash/, family: 'gemini-2.5-flash', inputPerMillion: 0.3 },
  { pattern: /^gemini-2\.0-flash/, family: 'gemini-2.0-flash', inputPerMillion: 0.1 },
];

export interface InputPrice {
  family: string;
  inputPerMillion: number;
}

export function inputPriceFor(model: string | null): InputPrice | null {
  if (!model) return null;
  const slash = model.lastIndexOf('/');
  const name = (slash >= 0 ? model.slice(slash + 1) : model).toLowerCase();
  const row = INPUT_PRICES.find((candidate) => candidate.pattern.test(name));
  return row ? { family: row.family, inputPerMillion: row.inputPerMillion } : null;
}

/**
 * Nano-dollars for `tokens` prompt tokens, or null when the model is unpriced.
 * Every listed price has at most three decimals per million tokens, so this is
 * a whole number: sums of it are exact, where sums of float dollars drift
 * (`0.0020099999999999996`).
 */
export function inputCostNanos(model: string | null, tokens: number): number | null {
  const price = inputPriceFor(model);
  return price ? tokens * Math.round(price.inputPerMillion * 1000) : null;
}

/** Digits after the point in every dollar amount headroom reports: whole micro-dollars. */
export const USD_DECIMALS = 6;

/** Nano-dollars → dollars rounded to whole micro-dollars (prints as at most six decimals). */
export function usdFromNanos(nanos: number): number {
  return Math.round(nanos / 1000) / 10 ** USD_DECIMALS;
}

/** Dollars for `tokens` prompt tokens, rounded to micro-dollars, or null when the model is unpriced. */
export function inputCost(model: string | null, tokens: number): number | null {
  const nanos = inputCostNanos(model, tokens);
  return nanos === null ? null : usdFromNanos(nanos);
}

/** `$0.0123` under a cent keeps four decimals, as the reference prints it; larger amounts two. */
export function formatDollars(amount: number): string {
  return amount < 0.01 ? `$${amount.toFixed(4)}` : `$${amount.toFixed(2)}`;
}
