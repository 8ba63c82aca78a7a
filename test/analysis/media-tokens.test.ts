import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mediaTokens } from '../../src/analysis/media-tokens.js';
import type { MediaInfo } from '../../src/formats/types.js';

const pdf = (pages: number | null, bytes: number | null): MediaInfo => ({ type: 'document', mediaType: 'application/pdf', bytes, width: null, height: null, pages });

describe('media token estimates', () => {
  it('estimates an OpenAI PDF page from the recorded capture, not from Anthropic guidance', () => {
    // openai_chat_document_with_tool: a one-page, 13 KB PDF was billed about 220 tokens (estimated 2,250 before).
    assert.equal(mediaTokens(pdf(1, 13264), 'openai'), 220);
    assert.equal(mediaTokens(pdf(3, 40000), 'openai'), 660);
  });

  it('keeps Anthropic guidance for Claude PDFs', () => {
    assert.equal(mediaTokens(pdf(1, 13264), 'anthropic'), 2250);
  });
});
