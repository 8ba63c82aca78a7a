/**
 * Which tokenizer counts a model's tokens, and whether that count is the
 * model's own or a stand-in. Kept as data so new models are a one-line change.
 */
import type { Provider } from '../formats/types.js';

export type EncodingName = 'o200k_base' | 'cl100k_base';

/** Every encoding a model maps to: each has a rank table built by `npm run build`. */
export const ENCODINGS: readonly EncodingName[] = ['o200k_base', 'cl100k_base'];

export interface TokenizerChoice {
  encoding: EncodingName;
  /** True when the encoding is the model's own tokenizer (OpenAI models). */
  exact: boolean;
}

/** OpenAI model families and their encodings; first match wins. */
const OPENAI_ENCODINGS: ReadonlyArray<readonly [RegExp, EncodingName]> = [
  [/^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-oss|o1|o3|o4|codex-)/, 'o200k_base'],
  [/^(gpt-4|gpt-3\.5|gpt-35|text-embedding-3|text-embedding-ada-002)/, 'cl100k_base'],
];

/** Strips routing prefixes such as `openai/gpt-4o` or `azure/gpt-4o`. */
function bareModelName(model: string): string {
  const slash = model.lastIndexOf('/');
  return (slash >= 0 ? model.slice(slash + 1) : model).toLowerCase();
}

export function tokenizerForModel(model: string | null): TokenizerChoice {
  if (model) {
    const name = bareModelName(model);
    for (const [pattern, encoding] of OPENAI_ENCODINGS) {
      if (pattern.test(name)) return { encoding, exact: true };
    }
  }
  // Claude, Gemini and unknown models have no public tokenizer here; o200k is
  // the closest widely used BPE, and the report labels the count an estimate.
  return { encoding: 'o200k_base', exact: false };
}

export function providerForModel(model: string | null): Provider {
  if (!model) return 'unknown';
  const name = bareModelName(model);
  if (name.startsWith('claude')) return 'anthropic';
  if (name.startsWith('gemini') || name.startsWith('gemma')) return 'google';
  if (tokenizerForModel(model).exact) return 'openai';
  return 'unknown';
}
