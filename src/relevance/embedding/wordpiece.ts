/**
 * The WordPiece tokenizer of BERT-family sentence-embedding models (MiniLM,
 * BGE, E5 …), read from the model's own `tokenizer.json` (Hugging Face
 * tokenizers format), so a local model directory is all the embedding tier
 * needs. Only what these models use is implemented: the BERT normalizer
 * (lower-casing, accent stripping, control characters), splitting on
 * whitespace and punctuation, greedy longest-match word pieces, and
 * `[CLS] … [SEP]` around each text. Any other tokenizer kind is refused with
 * a reason, and the scorer falls back to BM25.
 */

export interface WordPieceTokenizer {
  /** Token ids of `text`, `[CLS]` first and `[SEP]` last, at most `maxLength` ids. */
  encode(text: string): number[];
}

interface TokenizerJson {
  normalizer?: { type?: string; lowercase?: boolean; strip_accents?: boolean | null } | null;
  truncation?: { max_length?: number } | null;
  model?: { type?: string; vocab?: Record<string, number>; unk_token?: string; continuing_subword_prefix?: string; max_input_chars_per_word?: number };
}

/** Most tokens per text when the tokenizer states no truncation (BERT's position limit). */
const DEFAULT_MAX_LENGTH = 512;

function isPunctuation(char: string): boolean {
  const code = char.codePointAt(0) as number;
  // BERT treats all non-alphanumeric ASCII as punctuation, plus Unicode punctuation.
  if ((code >= 33 && code <= 47) || (code >= 58 && code <= 64) || (code >= 91 && code <= 96) || (code >= 123 && code <= 126)) return true;
  return /\p{P}/u.test(char);
}

function isCjk(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x20000 && code <= 0x2a6df) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x2f800 && code <= 0x2fa1f)
  );
}

/** Lower-case, strip accents, drop control characters, pad CJK ideographs and punctuation with spaces, split. */
function basicWords(text: string, lowercase: boolean, stripAccents: boolean): string[] {
  let normal = lowercase ? text.toLowerCase() : text;
  if (stripAccents) normal = normal.normalize('NFD').replace(/\p{Mn}/gu, '');
  let spaced = '';
  for (const char of normal) {
    const code = char.codePointAt(0) as number;
    if (code === 0 || code === 0xfffd || (/\p{Cc}/u.test(char) && !/\s/.test(char))) continue;
    spaced += isCjk(code) || isPunctuation(char) ? ` ${char} ` : /\s/.test(char) ? ' ' : char;
  }
  return spaced.split(' ').filter((word) => word.length > 0);
}

/** A tokenizer for `json` (the parsed tokenizer.json), or the reason it cannot be used. */
export function wordPieceTokenizer(json: unknown): WordPieceTokenizer | string {
  const spec = json as TokenizerJson;
  const model = spec?.model;
  if (model?.type !== 'WordPiece' || typeof model.vocab !== 'object' || model.vocab === null) return `tokenizer.json is not a WordPiece tokenizer (type ${String(model?.type)})`;
  const vocab = new Map(Object.entries(model.vocab));
  const unk = vocab.get(model.unk_token ?? '[UNK]');
  const cls = vocab.get('[CLS]');
  const sep = vocab.get('[SEP]');
  if (unk === undefined || cls === undefined || sep === undefined) return 'tokenizer.json vocabulary lacks [UNK], [CLS] or [SEP]';
  const prefix = model.continuing_subword_prefix ?? '##';
  const maxWordChars = model.max_input_chars_per_word ?? 100;
  const maxLength = spec.truncation?.max_length ?? DEFAULT_MAX_LENGTH;
  const lowercase = spec.normalizer?.lowercase ?? true;
  // BERT strips accents whenever it lower-cases, unless told otherwise.
  const stripAccents = spec.normalizer?.strip_accents ?? lowercase;

  const pieces = (word: string): number[] => {
    const chars = [...word];
    if (chars.length > maxWordChars) return [unk];
    const ids: number[] = [];
    for (let start = 0; start < chars.length;) {
      let end = chars.length;
      let found: number | undefined;
      for (; end > start; end--) {
        const piece = (start > 0 ? prefix : '') + chars.slice(start, end).join('');
        found = vocab.get(piece);
        if (found !== undefined) break;
      }
      // No piece fits: the whole word is unknown, as in BERT.
      if (found === undefined) return [unk];
      ids.push(found);
      start = end;
    }
    return ids;
  };

  return {
    encode(text: string): number[] {
      const ids = [cls];
      for (const word of basicWords(text, lowercase, stripAccents)) {
        ids.push(...pieces(word));
        if (ids.length >= maxLength - 1) break;
      }
      return [...ids.slice(0, maxLength - 1), sep];
    },
  };
}
