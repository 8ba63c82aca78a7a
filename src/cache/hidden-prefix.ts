/**
 * The part of a prompt a transcript does not record. Claude Code writes the
 * messages of each call and the usage the provider billed, but not the system
 * prompt and tool definitions it sent with them. Per call, recorded prompt
 * (input + cache reads + cache writes) minus the tokens we count for the
 * recorded messages is that hidden prefix plus counting error; over a
 * conversation the median of those gaps estimates it, and their spread says
 * how steady it was. Forensics report it, and replay bills it on every call,
 * so estimate and recorded usage reconcile call by call.
 */

/** One call: the prompt tokens we count for its recorded messages, and the prompt the provider billed (null: no usage recorded). */
export interface CallPrompt {
  estimated: number;
  recorded: number | null;
}

export interface HiddenPrefixEstimate {
  /** Median of recorded − estimated over the calls with recorded usage, never below 0. */
  tokens: number;
  /** Calls the estimate is made from. */
  calls: number;
  /** Interquartile range of the gaps: small when the hidden prefix was steady. */
  spread: number;
  /** Per call (same order as the input): recorded − estimated, or null without usage. */
  gaps: (number | null)[];
}

/** The hidden prefix of a conversation, or null when no call recorded its usage. */
export function estimateHiddenPrefix(calls: readonly CallPrompt[]): HiddenPrefixEstimate | null {
  const gaps = calls.map((call) => (call.recorded === null || call.recorded <= 0 ? null : call.recorded - call.estimated));
  const known = gaps.filter((gap): gap is number => gap !== null).sort((a, b) => a - b);
  if (known.length === 0) return null;
  return { tokens: Math.max(0, Math.round(quantile(known, 0.5))), calls: known.length, spread: Math.round(quantile(known, 0.75) - quantile(known, 0.25)), gaps };
}

/** Linear interpolation between closest ranks of a sorted, non-empty list. */
function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (position - low);
}
