/**
 * OpenAI Chat Completions: a bare messages array, `{messages}`, or a full
 * request body with `model`, `tools`, `tool_calls`, `role: "tool"`, content
 * parts and `name`.
 */
import { arrayField, objectField, stringField } from '../json-text.js';
import { inlineMedia, parseDataUri, referencedMedia } from '../media.js';
import { functionOf, renderFunction } from './function-rendering.js';
import { composedPart, kindForRole, mediaPart, normalizeRole, pairToolResults, textPart } from '../parts.js';
import { toolCallFlags, toolCallText } from '../tool-calls.js';
import { isJsonObject, type JsonObject, type JsonPath, type JsonValue, type Message, type Origin, type Part, type Request } from '../types.js';
import { usageFromResponse } from '../usage.js';

export function parseOpenAIChatMessage(message: JsonObject, origin: Origin, path: JsonPath): Message {
  const role = normalizeRole(message['role']);
  const parts: Part[] = [];
  const isToolResult = role === 'tool';
  const resultFlags = isToolResult ? toolResultFlags(message) : {};
  const content = message['content'];

  if (typeof content === 'string') {
    if (content.length > 0) {
      const kind = isToolResult ? 'tool_result' : kindForRole(role, content);
      parts.push(textPart(kind, content, origin, [...path, 'content'], { ...resultFlags }));
    }
  } else if (Array.isArray(content)) {
    content.forEach((item, index) => {
      const part = contentPart(item, role, origin, [...path, 'content', index]);
      if (!part) return;
      if (isToolResult) {
        part.kind = 'tool_result';
        Object.assign(part.flags, resultFlags);
      }
      parts.push(part);
    });
  }

  const refusal = stringField(message, 'refusal');
  if (refusal) parts.push(textPart('assistant', refusal, origin, [...path, 'refusal']));

  arrayField(message, 'tool_calls')?.forEach((call) => {
    if (!isJsonObject(call)) return;
    const fn = objectField(call, 'function') ?? objectField(call, 'custom');
    const name = (fn && stringField(fn, 'name')) ?? 'unknown_tool';
    const args = fn?.['arguments'] ?? fn?.['input'] ?? '';
    parts.push(composedPart('tool_call', toolCallText(name, args), toolCallFlags(name, stringField(call, 'id'), args, 'tool_calls')));
  });

  // The pre-tools `function_call` field and `role: "function"` results.
  const legacyCall = objectField(message, 'function_call');
  if (legacyCall) {
    const name = stringField(legacyCall, 'name') ?? 'unknown_function';
    const args = legacyCall['arguments'] ?? '';
    parts.push(composedPart('tool_call', toolCallText(name, args), toolCallFlags(name, undefined, args, 'function_call')));
  }

  const result: Message = { role, parts, origin };
  const name = stringField(message, 'name');
  if (name && !isToolResult) result.name = name;
  return result;
}

function toolResultFlags(message: JsonObject): Part['flags'] {
  const flags: Part['flags'] = { sourceType: 'tool' };
  const id = stringField(message, 'tool_call_id');
  if (id) flags.toolCallId = id;
  // `name` on a tool message is the tool's name (HolmesGPT, older SDKs).
  const name = stringField(message, 'name');
  if (name) flags.toolName = name;
  return flags;
}

function contentPart(item: JsonValue, role: ReturnType<typeof normalizeRole>, origin: Origin, path: JsonPath): Part | null {
  if (typeof item === 'string') return item.length > 0 ? textPart(kindForRole(role, item), item, origin, path) : null;
  if (!isJsonObject(item)) return null;
  const type = stringField(item, 'type');
  const kind = kindForRole(role, '');
  switch (type) {
    case 'text':
    case 'input_text':
    case 'output_text': {
      const text = stringField(item, 'text') ?? '';
      return text.length > 0 ? textPart(kindForRole(role, text), text, origin, [...path, 'text']) : null;
    }
    case 'refusal': {
      const text = stringField(item, 'refusal') ?? '';
      return text.length > 0 ? textPart('assistant', text, origin, [...path, 'refusal']) : null;
    }
    case 'image_url': {
      const image = objectField(item, 'image_url');
      const url = image ? stringField(image, 'url') : stringField(item, 'image_url');
      const data = url ? parseDataUri(url) : null;
      return mediaPart(kind, data ? inlineMedia('image', data.mediaType, data.base64) : referencedMedia('image', null), { sourceType: type });
    }
    case 'input_audio': {
      const audio = objectField(item, 'input_audio');
      const data = audio ? stringField(audio, 'data') : undefined;
      const format = audio ? stringField(audio, 'format') : undefined;
      return mediaPart(kind, inlineMedia('audio', format ? `audio/${format}` : null, data ?? null), { sourceType: type });
    }
    case 'file': {
      const file = objectField(item, 'file');
      const dataUri = file ? stringField(file, 'file_data') : undefined;
      const data = dataUri ? parseDataUri(dataUri) : null;
      return mediaPart(kind, data ? inlineMedia('document', data.mediaType, data.base64) : referencedMedia('file', null), { sourceType: type });
    }
    default: {
      const text = stringField(item, 'text');
      return text ? textPart(kindForRole(role, text), text, origin, [...path, 'text'], { sourceType: type ?? 'unknown' }) : null;
    }
  }
}

/**
 * Tool definitions: `tools: [{type: "function", function: {...}}]` or legacy
 * `functions` (Chat Completions), `tools: [{type: "function", name, ...}]`
 * (Responses). Function tools carry the rendering OpenAI bills; it reproduces
 * the billed counts of the Chat Completions captures, while no Responses
 * capture has only function tools to check it on, so there it is an estimate.
 */
export function parseOpenAITools(body: JsonObject, renderingVerified = true): Part[] {
  const tools: Part[] = [];
  for (const key of ['tools', 'functions'] as const) {
    arrayField(body, key)?.forEach((tool) => {
      if (!isJsonObject(tool)) return;
      const fn = objectField(tool, 'function');
      const name = (fn && stringField(fn, 'name')) ?? stringField(tool, 'name') ?? stringField(tool, 'type') ?? 'tool';
      const part = composedPart('system', JSON.stringify(tool), { toolDefinition: true, toolName: name, sourceType: key });
      const definition = functionOf(tool, key);
      if (definition) part.billed = { text: renderFunction(definition), exact: renderingVerified };
      tools.push(part);
    });
  }
  return tools;
}

export function parseOpenAIChatMessages(messages: readonly JsonValue[], origin: Origin, basePath: JsonPath): Message[] {
  const parsed: Message[] = [];
  messages.forEach((message, index) => {
    if (isJsonObject(message)) parsed.push(parseOpenAIChatMessage(message, origin, [...basePath, index]));
  });
  pairToolResults(parsed);
  return parsed;
}

/** A request body (`{model, messages, tools}`) or a bare messages array. */
export function parseOpenAIChatRequest(value: JsonValue, origin: Origin, response: JsonValue | null = null): Request {
  const body: JsonObject = Array.isArray(value) ? { messages: value } : isJsonObject(value) ? value : {};
  const basePath: JsonPath = Array.isArray(value) ? [] : ['messages'];
  const messages = parseOpenAIChatMessages(arrayField(body, 'messages') ?? [], origin, basePath);
  const model = stringField(body, 'model') ?? (isJsonObject(response) ? stringField(response, 'model') : undefined) ?? null;
  return {
    id: `${origin.file}:${origin.line}`,
    format: 'openai-chat',
    provider: 'openai',
    model,
    messages,
    tools: parseOpenAITools(body),
    usage: usageFromResponse(response),
    origin,
    conversation: null,
  };
}
