/**
 * OpenAI Responses API: `instructions`, `input` (a string or items:
 * `message`, `function_call`, `function_call_output`, `reasoning`, custom and
 * local-shell calls and outputs, server-tool calls), and `tools`. Codex CLI
 * rollouts record the same items, so they are parsed here for both.
 */
import { arrayField, collectText, stringField } from '../json-text.js';
import { inlineMedia, parseDataUri, referencedMedia } from '../media.js';
import { composedPart, kindForRole, mediaPart, normalizeRole, opaquePart, pairToolResults, textPart, valuePart } from '../parts.js';
import { parseOpenAITools } from '../openai-chat/parse.js';
import { toolCallFlags, toolCallText } from '../tool-calls.js';
import { isJsonObject, type JsonObject, type JsonPath, type JsonValue, type Message, type Origin, type Part, type PartFlags, type Request, type Role } from '../types.js';
import { usageFromResponse } from '../usage.js';

/** Item types that carry a call's arguments, and the field holding them. */
const CALL_ARGUMENT_FIELDS: Record<string, string> = {
  function_call: 'arguments',
  custom_tool_call: 'input',
  local_shell_call: 'action',
  shell_call: 'action',
  apply_patch_call: 'operation',
  computer_call: 'action',
  mcp_call: 'arguments',
  tool_search_call: 'arguments',
};

/** Items the model produced (as opposed to inputs the caller added). */
export function isModelOutputItem(item: JsonObject): boolean {
  const type = stringField(item, 'type');
  if (type === 'message' || type === undefined) return item['role'] === 'assistant';
  if (type === 'reasoning') return true;
  return type.endsWith('_call') && !type.endsWith('_output');
}

export function parseResponsesItem(item: JsonObject, origin: Origin, path: JsonPath): Message | null {
  const message = parseItem(item, origin, path);
  if (message) message.sources = [{ origin, path }];
  return message;
}

function parseItem(item: JsonObject, origin: Origin, path: JsonPath): Message | null {
  const type = stringField(item, 'type') ?? (item['role'] !== undefined ? 'message' : 'unknown');
  if (type === 'message') return messageItem(item, origin, path);
  if (type === 'reasoning') return reasoningItem(item, origin, path);
  if (type === 'item_reference') return null;
  if (type.endsWith('_output')) return outputItem(item, type, origin, path);
  if (type.endsWith('_call')) return callItem(item, type, origin);
  // Unknown items (e.g. `additional_tools`, `compaction`): count their readable text.
  const text = collectText(item).join('\n');
  return text ? { role: 'unknown', parts: [composedPart('unknown', text, { sourceType: type })], origin } : null;
}

function messageItem(item: JsonObject, origin: Origin, path: JsonPath): Message {
  const role = normalizeRole(item['role'] ?? 'user');
  const content = item['content'];
  const parts: Part[] = [];
  if (typeof content === 'string') {
    if (content) parts.push(textPart(kindForRole(role, content), content, origin, [...path, 'content']));
  } else if (Array.isArray(content)) {
    content.forEach((entry, index) => {
      const part = contentPart(entry, role, origin, [...path, 'content', index]);
      if (part) parts.push(part);
    });
  }
  return { role, parts, origin };
}

function contentPart(entry: JsonValue, role: Role, origin: Origin, path: JsonPath): Part | null {
  if (!isJsonObject(entry)) return null;
  const type = stringField(entry, 'type') ?? 'unknown';
  const kind = kindForRole(role, '');
  if (type === 'input_image') {
    const url = stringField(entry, 'image_url');
    const data = url ? parseDataUri(url) : null;
    return mediaPart(kind, data ? inlineMedia('image', data.mediaType, data.base64) : referencedMedia('image', null), { sourceType: type });
  }
  if (type === 'input_file') {
    const data = parseDataUri(stringField(entry, 'file_data') ?? '');
    return mediaPart(kind, data ? inlineMedia('document', data.mediaType, data.base64) : referencedMedia('file', null), { sourceType: type });
  }
  const field = type === 'refusal' ? 'refusal' : 'text';
  const text = stringField(entry, field) ?? '';
  return text ? textPart(kindForRole(role, text), text, origin, [...path, field], { sourceType: type }) : null;
}

function reasoningItem(item: JsonObject, origin: Origin, path: JsonPath): Message {
  const parts: Part[] = [];
  for (const field of ['summary', 'content'] as const) {
    arrayField(item, field)?.forEach((entry, index) => {
      const text = isJsonObject(entry) ? stringField(entry, 'text') : undefined;
      if (text) parts.push(textPart('assistant', text, origin, [...path, field, index, 'text'], { reasoning: true, sourceType: 'reasoning' }));
    });
  }
  const encrypted = stringField(item, 'encrypted_content');
  if (encrypted) parts.push(opaquePart('assistant', encrypted.length, { reasoning: true, sourceType: 'reasoning' }));
  return { role: 'assistant', parts, origin };
}

function callItem(item: JsonObject, type: string, origin: Origin): Message {
  const argumentField = CALL_ARGUMENT_FIELDS[type];
  const name = stringField(item, 'name') ?? (type === 'local_shell_call' || type === 'shell_call' ? 'shell' : type.replace(/_call$/, ''));
  const args: JsonValue = argumentField ? (item[argumentField] ?? '') : collectText(item).join('\n');
  const flags: PartFlags = toolCallFlags(name, stringField(item, 'call_id') ?? stringField(item, 'id'), args, type);
  if (!argumentField) flags.serverTool = true;
  return { role: 'assistant', parts: [composedPart('tool_call', toolCallText(name, args), flags)], origin };
}

function outputItem(item: JsonObject, type: string, origin: Origin, path: JsonPath): Message {
  const flags: PartFlags = { sourceType: type };
  const id = stringField(item, 'call_id') ?? stringField(item, 'id');
  if (id) flags.toolCallId = id;
  const output = item['output'];
  const parts: Part[] = [];
  if (typeof output === 'string') {
    parts.push(textPart('tool_result', output, origin, [...path, 'output'], flags));
  } else if (Array.isArray(output)) {
    output.forEach((entry, index) => {
      const part = contentPart(entry, 'tool', origin, [...path, 'output', index]);
      if (part) {
        part.kind = 'tool_result';
        Object.assign(part.flags, flags);
        parts.push(part);
      }
    });
  } else if (isJsonObject(output)) {
    // An output given as a JSON object rather than text or content items: a value slot.
    parts.push(valuePart('tool_result', output, origin, [...path, 'output'], flags));
  } else {
    parts.push(composedPart('tool_result', collectText(output ?? item).join('\n'), flags));
  }
  return { role: 'tool', parts, origin };
}

export function parseResponsesInput(input: JsonValue | undefined, origin: Origin, basePath: JsonPath): Message[] {
  if (typeof input === 'string') {
    return input ? [{ role: 'user', parts: [textPart(kindForRole('user', input), input, origin, basePath)], origin }] : [];
  }
  const messages: Message[] = [];
  (Array.isArray(input) ? input : []).forEach((item, index) => {
    if (!isJsonObject(item)) return;
    const message = parseResponsesItem(item, origin, [...basePath, index]);
    if (message) messages.push(message);
  });
  return messages;
}

export function parseResponsesRequest(value: JsonValue, origin: Origin, response: JsonValue | null = null): Request {
  const body: JsonObject = Array.isArray(value) ? { input: value } : isJsonObject(value) ? value : {};
  const basePath: JsonPath = Array.isArray(value) ? [] : ['input'];
  const messages = parseResponsesInput(body['input'], origin, basePath);
  const instructions = stringField(body, 'instructions');
  if (instructions) messages.unshift({ role: 'system', parts: [textPart('system', instructions, origin, ['instructions'])], origin });
  pairToolResults(messages);
  const responseModel = isJsonObject(response) ? stringField(response, 'model') : undefined;
  return {
    id: `${origin.file}:${origin.line}`,
    format: 'openai-responses',
    provider: 'openai',
    model: stringField(body, 'model') ?? responseModel ?? null,
    messages,
    tools: parseOpenAITools(body, false),
    usage: usageFromResponse(response),
    origin,
    conversation: null,
  };
}
