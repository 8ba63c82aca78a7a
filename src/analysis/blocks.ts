/**
 * Blocks: the unit of accounting. Every part of every message becomes one
 * block with its token count (text plus framing), content hash and flags.
 *
 * Transcripts send the same parts in many calls, so everything costly about a
 * part (its hash, its tokens, its waste) is computed once per part and, by
 * hash, once per distinct text.
 */
import { contentHash } from '../formats/hash.js';
import { functionsNamespace, FUNCTIONS_FRAMING } from '../formats/openai-chat/function-rendering.js';
import type { BlockKind, MediaInfo, Origin, Part, PartFlags, Provider, Request } from '../formats/types.js';
import type { TokenCounter } from '../tokens/counter.js';
import { ContentClassifier } from './content/classifier.js';
import type { ContentClass } from './content-kind.js';
import { mediaTokens } from './media-tokens.js';

/**
 * Framing the provider adds around content, from OpenAI's published
 * accounting for chat models: 3 tokens per message, 1 more for a `name`, 3 to
 * prime the reply. A tool call costs its name and arguments plus a few tokens
 * of wrapping, counted like a message.
 */
export const MESSAGE_FRAMING = 3;
export const NAME_FRAMING = 1;
export const TOOL_CALL_FRAMING = 3;
export const REPLY_PRIMING = 3;

export interface Block {
  kind: BlockKind;
  text: string;
  /** Tokens of the text (or the media estimate) plus this block's share of framing. */
  tokensEst: number;
  contentHash: string;
  /** Index of the block's message in the request. */
  sourceIndex: number;
  flags: PartFlags;
  origin: Origin;
  media: MediaInfo | null;
  opaqueBytes: number;
  /** The part this block was made from: its slot is where the text lives in the input. */
  part: Part;
  /**
   * For tool outputs (`tool_result` blocks with text, not media): what kind of
   * content the text is, detected once here so transforms read it instead of
   * detecting content themselves. Absent for every other block.
   */
  content?: ContentClass;
}

interface PartFacts {
  hash: string;
  contentTokens: number;
  content: ContentClass | null;
}

export class BlockBuilder {
  private readonly facts = new WeakMap<Part, PartFacts>();

  constructor(
    private readonly counter: TokenCounter,
    private readonly classifier: ContentClassifier = new ContentClassifier(),
  ) {}

  factsOf(part: Part, provider: Provider): PartFacts {
    let facts = this.facts.get(part);
    if (!facts) {
      const hash = contentHash(part.text);
      const contentTokens = part.media ? mediaTokens(part.media, provider) : this.counter.count(part.text, hash);
      const content = isToolOutput(part) ? this.classifier.classify(part.text, hash) : null;
      facts = { hash, contentTokens, content };
      this.facts.set(part, facts);
    }
    return facts;
  }

  blocksOf(request: Request): Block[] {
    const blocks: Block[] = [];
    request.messages.forEach((message, sourceIndex) => {
      let framing = MESSAGE_FRAMING + (message.name ? NAME_FRAMING : 0);
      for (const part of message.parts) {
        const facts = this.factsOf(part, request.provider);
        const ownFraming = part.kind === 'tool_call' ? TOOL_CALL_FRAMING : framing;
        framing = 0;
        const block: Block = {
          kind: part.kind,
          text: part.text,
          tokensEst: facts.contentTokens + ownFraming,
          contentHash: facts.hash,
          sourceIndex,
          flags: part.flags,
          origin: message.origin,
          media: part.media ?? null,
          opaqueBytes: part.opaqueBytes ?? 0,
          part,
        };
        if (facts.content) block.content = facts.content;
        blocks.push(block);
      }
      // A message with no countable parts still costs its framing.
      if (message.parts.length === 0) {
        blocks.push({
          kind: message.role === 'assistant' ? 'assistant' : message.role === 'user' ? 'user' : 'unknown',
          text: '',
          tokensEst: framing,
          contentHash: contentHash(''),
          sourceIndex,
          flags: {},
          origin: message.origin,
          media: null,
          opaqueBytes: 0,
          part: { kind: 'unknown', text: '', slot: null, flags: {} },
        });
      }
    });
    return blocks;
  }

  /**
   * Tokens of the tool definitions: the rendering the provider bills where it
   * is known (OpenAI function tools, one namespace per request plus its
   * framing), else each tool's schema as JSON. Exact only when every tool was
   * counted from a rendering checked against billed counts.
   */
  toolDefinitions(request: Request): { tokens: number; exact: boolean } {
    let tokens = 0;
    let exact = true;
    const rendered: string[] = [];
    for (const tool of request.tools) {
      if (tool.billed) {
        rendered.push(tool.billed.text);
        exact &&= tool.billed.exact;
      } else {
        tokens += this.factsOf(tool, request.provider).contentTokens;
        exact = false;
      }
    }
    if (rendered.length > 0) {
      const namespace = functionsNamespace(rendered);
      tokens += this.counter.count(namespace, contentHash(namespace)) + FUNCTIONS_FRAMING;
    }
    return { tokens, exact };
  }
}

/**
 * Tool outputs are what compressors route by kind. Retrieved context (`rag`)
 * is not classified: no report or transform routes it yet, and classifying
 * costs a pass over every distinct text.
 */
function isToolOutput(part: Part): boolean {
  return part.kind === 'tool_result' && !part.media;
}
