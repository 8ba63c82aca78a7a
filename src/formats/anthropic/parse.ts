/**
 * Anthropic Messages: `system` as a string or text blocks, content blocks
 * (`text`, `image`, `document`, `tool_use`, `tool_result`, `thinking`,
 * `redacted_thinking`, server-tool blocks, `compaction`), `cache_control`
 * anywhere, and tool definitions.
 */
import type { RequestEdit } from '../descriptor.js';
import { arrayField, collectText, objectField, stringField } from '../json-text.js';
import { inlineMedia, referencedMedia } from '../media.js';
import { composedPart, kindForRole, mediaPart, normalizeRole, opaquePart, pairToolResults, textPart, valuePart } from '../parts.js';
import { toolCallFlags, toolCallText } from '../tool-calls.js';
import {
  isJsonObject,
  type BlockKind,
  type JsonObject,
  type JsonPath,
  type JsonValue,
  type Message,
  type Origin,
  type Part,
  type PartFlags,
  type Request,
  type Role,
} from '../types.js';
import { contextManagementOf } from '../context-management.js';
import { usageFromResponse } from '../usage.js';

/** Parts of one content block; a block can yield several (a tool_result with text and images). */
export function parseAnthropicBlock(block: JsonValue, role: Role, origin: Origin, path: JsonPath): Part[] {
  if (typeof block === 'string') return block ? [textPart(kindForRole(role, block), block, origin, path)] : [];
  if (!isJsonObject(block)) return [];
  const type = stringField(block, 'type') ?? 'unknown';
  const flags: PartFlags = { sourceType: type };
  if ('cache_control' in block && block['cache_control'] !== null) flags.cacheControl = true;
  const ownKind = kindForRole(role, '');

  switch (type) {
    case 'text': {
      const text = stringField(block, 'text') ?? '';
      return text ? [textPart(kindForRole(role, text), text, origin, [...path, 'text'], flags)] : [];
    }
    case 'thinking': {
      const text = stringField(block, 'thinking') ?? '';
      return text ? [textPart('assistant', text, origin, [...path, 'thinking'], { ...flags, reasoning: true })] : [];
    }
    case 'redacted_thinking':
      return [opaquePart('assistant', (stringField(block, 'data') ?? '').length, { ...flags, reasoning: true })];
    case 'image':
      return [mediaPart(ownKind, sourceMedia('image', objectField(block, 'source')), flags)];
    case 'document':
      return documentParts(block, ownKind, origin, path, flags);
    case 'tool_use':
    case 'server_tool_use':
    case 'mcp_tool_use': {
      const name = stringField(block, 'name') ?? 'unknown_tool';
      const input = block['input'] ?? {};
      const callFlags = { ...flags, ...toolCallFlags(name, stringField(block, 'id'), input, type) };
      if (type !== 'tool_use') callFlags.serverTool = true;
      return [composedPart('tool_call', toolCallText(name, input), callFlags)];
    }
    case 'tool_result':
      return toolResultParts(block, origin, path, flags);
    case 'compaction': {
      const text = stringField(block, 'content') ?? '';
      return text ? [textPart('assistant', text, origin, [...path, 'content'], { ...flags, compactionSummary: true })] : [];
    }
    default:
      return serverOrUnknownParts(block, type, ownKind, flags);
  }
}

function toolResultParts(block: JsonObject, origin: Origin, path: JsonPath, flags: PartFlags): Part[] {
  const resultFlags: PartFlags = { ...flags };
  const id = stringField(block, 'tool_use_id');
  if (id) resultFlags.toolCallId = id;
  if (block['is_error'] === true) resultFlags.isError = true;
  const content = block['content'];
  if (typeof content === 'string') {
    // An empty result still occupies a block in the request; keep it so the
    // call/result pairing stays visible.
    return [textPart('tool_result', content, origin, [...path, 'content'], resultFlags)];
  }
  // Content given as a JSON object (what some clients log for a structured result): a value slot.
  if (isJsonObject(content)) return [valuePart('tool_result', content, origin, [...path, 'content'], resultFlags)];
  if (!Array.isArray(content)) return [textPart('tool_result', '', origin, [...path, 'content'], resultFlags)];
  const parts: Part[] = [];
  content.forEach((item, index) => {
    for (const part of parseAnthropicBlock(item, 'user', origin, [...path, 'content', index])) {
      part.kind = 'tool_result';
      Object.assign(part.flags, resultFlags, { sourceType: part.flags.sourceType ?? 'tool_result' });
      parts.push(part);
    }
  });
  return parts;
}

/** Server-tool results (web_search, web_fetch, code execution, tool search…) and unknown blocks. */
function serverOrUnknownParts(block: JsonObject, type: string, ownKind: BlockKind, flags: PartFlags): Part[] {
  const text = collectText(block['content'] ?? block).join('\n');
  if (type.endsWith('_tool_result')) {
    const resultFlags: PartFlags = { ...flags, serverTool: true };
    const id = stringField(block, 'tool_use_id');
    if (id) resultFlags.toolCallId = id;
    return [composedPart('tool_result', text, resultFlags)];
  }
  return text ? [composedPart(ownKind, text, flags)] : [];
}

function documentParts(block: JsonObject, kind: BlockKind, origin: Origin, path: JsonPath, flags: PartFlags): Part[] {
  const source = objectField(block, 'source');
  const sourceType = source ? stringField(source, 'type') : undefined;
  if (source && sourceType === 'text') {
    const text = stringField(source, 'data') ?? '';
    return text ? [textPart(kind, text, origin, [...path, 'source', 'data'], flags)] : [];
  }
  if (source && sourceType === 'content') {
    const items = arrayField(source, 'content') ?? [];
    return items.flatMap((item, index) => parseAnthropicBlock(item, 'user', origin, [...path, 'source', 'content', index]));
  }
  return [mediaPart(kind, sourceMedia('document', source), flags)];
}

function sourceMedia(type: 'image' | 'document', source: JsonObject | undefined) {
  if (!source) return referencedMedia(type, null);
  const mediaType = stringField(source, 'media_type') ?? null;
  if (stringField(source, 'type') === 'base64') return inlineMedia(type, mediaType, stringField(source, 'data') ?? null);
  return referencedMedia(type, mediaType);
}

export function parseAnthropicMessage(message: JsonObject, origin: Origin, path: JsonPath): Message {
  const role = normalizeRole(message['role']);
  const content = message['content'];
  const parts: Part[] = [];
  if (typeof content === 'string') {
    if (content) parts.push(textPart(kindForRole(role, content), content, origin, [...path, 'content']));
  } else if (Array.isArray(content)) {
    content.forEach((block, index) => parts.push(...parseAnthropicBlock(block, role, origin, [...path, 'content', index])));
  }
  return { role, parts, origin, sources: [{ origin, path }] };
}

/** The top-level `system`: a string or an array of text blocks. */
export function parseAnthropicSystem(system: JsonValue | undefined, origin: Origin): Message | null {
  if (typeof system === 'string') {
    return system ? { role: 'system', parts: [textPart('system', system, origin, ['system'])], origin } : null;
  }
  if (!Array.isArray(system)) return null;
  const parts: Part[] = [];
  system.forEach((block, index) => {
    for (const part of parseAnthropicBlock(block, 'system', origin, ['system', index])) {
      part.kind = 'system';
      parts.push(part);
    }
  });
  return parts.length > 0 ? { role: 'system', parts, origin } : null;
}

export function parseAnthropicTools(body: JsonObject): Part[] {
  const tools: Part[] = [];
  arrayField(body, 'tools')?.forEach((tool) => {
    if (!isJsonObject(tool)) return;
    const flags: PartFlags = { toolDefinition: true, toolName: stringField(tool, 'name') ?? stringField(tool, 'type') ?? 'tool', sourceType: 'tools' };
    if ('cache_control' in tool && tool['cache_control'] !== null) flags.cacheControl = true;
    tools.push(composedPart('system', JSON.stringify(tool), flags));
  });
  return tools;
}

export function parseAnthropicMessages(messages: readonly JsonValue[], origin: Origin, basePath: JsonPath): Message[] {
  const parsed: Message[] = [];
  messages.forEach((message, index) => {
    if (isJsonObject(message)) parsed.push(parseAnthropicMessage(message, origin, [...basePath, index]));
  });
  return parsed;
}

export function parseAnthropicRequest(value: JsonValue, origin: Origin, response: JsonValue | null = null): Request {
  const body: JsonObject = Array.isArray(value) ? { messages: value } : isJsonObject(value) ? value : {};
  const basePath: JsonPath = Array.isArray(value) ? [] : ['messages'];
  const messages = parseAnthropicMessages(arrayField(body, 'messages') ?? [], origin, basePath);
  const system = parseAnthropicSystem(body['system'], origin);
  if (system) messages.unshift(system);
  pairToolResults(messages);
  const model = stringField(body, 'model') ?? (isJsonObject(response) ? stringField(response, 'model') : undefined) ?? null;
  return {
    id: `${origin.file}:${origin.line}`,
    format: 'anthropic',
    provider: 'anthropic',
    model,
    messages,
    tools: parseAnthropicTools(body),
    usage: usageFromResponse(response),
    origin,
    conversation: null,
    contextManagement: contextManagementOf(body, response),
  };
}

/** Anthropic's cache breakpoint, as Claude Code itself sends it. */
export const EPHEMERAL_CACHE_CONTROL = '{"type":"ephemeral"}';

/**
 * A breakpoint is `cache_control` on a content block, a tool definition or a
 * system entry (an object: a system prompt given as a string has to become a
 * list of blocks first); everything up to and including it is cached.
 */
export function anthropicCacheBreakpoint(target: JsonPath): RequestEdit[] {
  return [{ kind: 'set-key', path: target, key: 'cache_control', raw: EPHEMERAL_CACHE_CONTROL }];
}
