/**
 * Token estimates for non-text content, from each provider's published rules
 * (or, where there is none, fitted to recorded captures and said so).
 * All of these are estimates and are labelled so in reports.
 */
import type { MediaInfo, Provider } from '../formats/types.js';

/** Anthropic: images are scaled to fit 1568 px on the long edge; cost ≈ width × height / 750. */
function anthropicImage(width: number, height: number): number {
  const scale = Math.min(1, 1568 / Math.max(width, height));
  const pixels = width * scale * (height * scale);
  return Math.min(1600, Math.ceil(pixels / 750));
}

/** OpenAI (high detail): fit 2048², shortest side to 768, then 170 per 512-px tile plus 85. */
function openaiImage(width: number, height: number): number {
  let w = width;
  let h = height;
  const fit = Math.min(1, 2048 / Math.max(w, h));
  w *= fit;
  h *= fit;
  const shrink = Math.min(1, 768 / Math.min(w, h));
  w *= shrink;
  h *= shrink;
  return 85 + 170 * Math.ceil(w / 512) * Math.ceil(h / 512);
}

/** Gemini: 258 tokens for an image up to 384 px, else 258 per 768-px tile. */
function geminiImage(width: number, height: number): number {
  if (width <= 384 && height <= 384) return 258;
  return 258 * Math.ceil(width / 768) * Math.ceil(height / 768);
}

/** When the size cannot be read: a typical ~1 MP screenshot. */
const UNKNOWN_IMAGE: Record<Provider, number> = { anthropic: 1334, openai: 765, google: 1032, unknown: 1334 };
/** PDFs are billed as text plus a page image; ~1,500–3,000 tokens a page (Anthropic's guidance). */
const TOKENS_PER_PDF_PAGE = 2250;
/**
 * OpenAI publishes no per-page rule (it bills the extracted text plus an image
 * of each page). Fitted to the one capture with a PDF:
 * pydantic-ai/openai_chat_document_with_tool.jsonl, a one-page A4 PDF of
 * 13,264 bytes holding one short line of text: line 1 billed 281 prompt
 * tokens, of which 61 are the question, the tool and framing, leaving 220
 * for the page (line 2, the same PDF with a tool round-trip: 228).
 */
const OPENAI_TOKENS_PER_PDF_PAGE = 220;
/** Without a readable page count: the reference's size rule (1,500 tokens per 3 KB). */
const TOKENS_PER_PDF_KB = 500;
const UNKNOWN_DOCUMENT = 1500;
const UNKNOWN_AUDIO = 200;

export function mediaTokens(media: MediaInfo, provider: Provider): number {
  if (media.type === 'image') {
    if (media.width && media.height) {
      if (provider === 'openai') return openaiImage(media.width, media.height);
      if (provider === 'google') return geminiImage(media.width, media.height);
      return anthropicImage(media.width, media.height);
    }
    return UNKNOWN_IMAGE[provider];
  }
  if (media.type === 'document') {
    if (media.pages) return media.pages * (provider === 'openai' ? OPENAI_TOKENS_PER_PDF_PAGE : TOKENS_PER_PDF_PAGE);
    if (media.bytes) return Math.max(UNKNOWN_DOCUMENT, Math.round((media.bytes / 1024) * TOKENS_PER_PDF_KB));
    return UNKNOWN_DOCUMENT;
  }
  if (media.type === 'audio') return UNKNOWN_AUDIO;
  return UNKNOWN_DOCUMENT;
}
