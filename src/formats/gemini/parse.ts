/**
 * Google Gemini `generateContent` requests: `contents` with `parts` (`text`,
 * `functionCall`, `functionResponse`, `inlineData`, `fileData`, code
 * execution), `systemInstruction`, and `tools[].functionDeclarations`.
 */
import type { JsonEdit } from '../../json/index.js';
import { arrayField, collectText, objectField, stringField } from '../json-text.js';
import { inlineMedia, referencedMedia } from '../media.js';
import { composedPart, kindForRole, mediaPart, normalizeRole, pairToolResults, textPart, valuePart } from '../parts.js';
import { toolCallFlags, toolCallText } from '../tool-calls.js';
import { isJsonObject, type JsonObject, type JsonPath, type JsonValue, type Message, type Origin, type Part, type Request, type Role } from '../types.js';
import { usageFromResponse } from '../usage.js';

/**
 * Gemini pairs calls and responses by name (ids are optional), so calls
 * without an id get one from their name and position, and a response takes
 * the id of the oldest unanswered call of the same name.
 */
class CallIds {
  private readonly pending = new Map<string, string[]>();
  private next = 0;

  forCall(name: string, id: string | undefined): string {
    const callId = id ?? `${name}#${this.next++}`;
    const queue = this.pending.get(name) ?? [];
    queue.push(callId);
    this.pending.set(name, queue);
    return callId;
  }

  forResponse(name: string, id: string | undefined): string | undefined {
    const queue = this.pending.get(name);
    if (id) {
      if (queue)
        this.pending.set(
          name,
          queue.filter((pending) => pending !== id),
        );
      return id;
    }
    return queue?.shift();
  }
}

function parsePart(part: JsonValue, role: Role, origin: Origin, path: JsonPath, ids: CallIds): Part | null {
  if (!isJsonObject(part)) return null;
  const text = stringField(part, 'text');
  if (text !== undefined) {
    if (!text) return null;
    const flags = part['thought'] === true ? { reasoning: true, sourceType: 'thought' } : { sourceType: 'text' };
    return textPart(flags.reasoning ? 'assistant' : kindForRole(role, text), text, origin, [...path, 'text'], flags);
  }
  const call = objectField(part, 'functionCall');
  if (call) {
    const name = stringField(call, 'name') ?? 'unknown_function';
    const args = call['args'] ?? {};
    const flags = toolCallFlags(name, ids.forCall(name, stringField(call, 'id')), args, 'functionCall');
    return composedPart('tool_call', toolCallText(name, args), flags);
  }
  const response = objectField(part, 'functionResponse');
  if (response) {
    const name = stringField(response, 'name') ?? 'unknown_function';
    const payload = response['response'];
    const id = ids.forResponse(name, stringField(response, 'id'));
    const flags = { toolName: name, sourceType: 'functionResponse', ...(id ? { toolCallId: id } : {}) };
    // The response is a JSON object (a Struct): a value slot, so compressors see its JSON text and write a new object back.
    if (isJsonObject(payload)) return valuePart('tool_result', payload, origin, [...path, 'functionResponse', 'response'], flags);
    return composedPart('tool_result', typeof payload === 'string' ? payload : JSON.stringify(payload ?? {}), flags);
  }
  const inline = objectField(part, 'inlineData');
  if (inline) {
    const mimeType = stringField(inline, 'mimeType') ?? null;
    const type = mimeType?.startsWith('image/') ? 'image' : mimeType?.startsWith('audio/') ? 'audio' : 'document';
    return mediaPart(kindForRole(role, ''), inlineMedia(type, mimeType, stringField(inline, 'data') ?? null), { sourceType: 'inlineData' });
  }
  const file = objectField(part, 'fileData');
  if (file) return mediaPart(kindForRole(role, ''), referencedMedia('file', stringField(file, 'mimeType') ?? null), { sourceType: 'fileData' });
  const code = objectField(part, 'executableCode');
  if (code) return composedPart('tool_call', stringField(code, 'code') ?? '', { toolName: 'code_execution', sourceType: 'executableCode', serverTool: true });
  const result = objectField(part, 'codeExecutionResult');
  if (result) return composedPart('tool_result', stringField(result, 'output') ?? '', { toolName: 'code_execution', sourceType: 'codeExecutionResult', serverTool: true });
  const rest = collectText(part).join('\n');
  return rest ? composedPart(kindForRole(role, rest), rest, { sourceType: 'unknown' }) : null;
}

export function parseGeminiContent(content: JsonObject, origin: Origin, path: JsonPath, ids: CallIds = new CallIds()): Message {
  // Gemini's roles: `user`, `model`, and `function` for function responses.
  const role = normalizeRole(content['role'] ?? 'user');
  const parts: Part[] = [];
  arrayField(content, 'parts')?.forEach((part, index) => {
    const parsed = parsePart(part, role, origin, [...path, 'parts', index], ids);
    if (parsed) parts.push(parsed);
  });
  return { role, parts, origin };
}

export function parseGeminiContents(contents: readonly JsonValue[], origin: Origin, basePath: JsonPath): Message[] {
  const ids = new CallIds();
  const messages: Message[] = [];
  contents.forEach((content, index) => {
    if (isJsonObject(content)) messages.push(parseGeminiContent(content, origin, [...basePath, index], ids));
  });
  return messages;
}

function parseSystemInstruction(value: JsonValue | undefined, origin: Origin, key: string): Message | null {
  if (typeof value === 'string') return value ? { role: 'system', parts: [textPart('system', value, origin, [key])], origin } : null;
  if (!isJsonObject(value)) return null;
  const message = parseGeminiContent(value, origin, [key]);
  for (const part of message.parts) part.kind = 'system';
  return message.parts.length > 0 ? { role: 'system', parts: message.parts, origin } : null;
}

function parseGeminiTools(body: JsonObject): Part[] {
  const tools: Part[] = [];
  arrayField(body, 'tools')?.forEach((tool) => {
    if (!isJsonObject(tool)) return;
    const declarations = arrayField(tool, 'functionDeclarations') ?? arrayField(tool, 'function_declarations');
    if (declarations) {
      for (const declaration of declarations) {
        const name = isJsonObject(declaration) ? (stringField(declaration, 'name') ?? 'function') : 'function';
        tools.push(composedPart('system', JSON.stringify(declaration), { toolDefinition: true, toolName: name, sourceType: 'functionDeclarations' }));
      }
    } else {
      const name = Object.keys(tool)[0] ?? 'tool';
      tools.push(composedPart('system', JSON.stringify(tool), { toolDefinition: true, toolName: name, sourceType: 'tools' }));
    }
  });
  return tools;
}

/** The model is not in a Gemini body; captures carry it in the URL (`models/gemini-2.0-flash:generateContent`). */
export function geminiModelFromUrl(url: string): string | null {
  const match = /models\/([^:/?]+)/.exec(url);
  return match?.[1] ?? null;
}

export function parseGeminiRequest(value: JsonValue, origin: Origin, response: JsonValue | null = null, model: string | null = null): Request {
  const body: JsonObject = Array.isArray(value) ? { contents: value } : isJsonObject(value) ? value : {};
  const basePath: JsonPath = Array.isArray(value) ? [] : ['contents'];
  const messages = parseGeminiContents(arrayField(body, 'contents') ?? [], origin, basePath);
  const systemKey = 'systemInstruction' in body ? 'systemInstruction' : 'system_instruction';
  const system = parseSystemInstruction(body[systemKey], origin, systemKey);
  if (system) messages.unshift(system);
  pairToolResults(messages);
  const responseModel = isJsonObject(response) ? stringField(response, 'modelVersion') : undefined;
  return {
    id: `${origin.file}:${origin.line}`,
    format: 'gemini',
    provider: 'google',
    model: stringField(body, 'model') ?? model ?? responseModel ?? null,
    messages,
    tools: parseGeminiTools(body),
    usage: usageFromResponse(response),
    origin,
    conversation: null,
  };
}

/** Gemini groups function declarations inside Tool objects: join the first one that has them, else add one. */
export function addGeminiTool(toolJson: string, body: JsonObject, bodyPath: JsonPath): JsonEdit {
  const tools = body['tools'];
  const declaration = `{"functionDeclarations":[${toolJson}]}`;
  if (!Array.isArray(tools)) return { op: 'set', path: bodyPath, key: 'tools', raw: `[${declaration}]` };
  const holder = tools.findIndex((entry) => isJsonObject(entry) && Array.isArray(entry['functionDeclarations']));
  if (holder >= 0) return { op: 'append', path: [...bodyPath, 'tools', holder, 'functionDeclarations'], raw: toolJson };
  return { op: 'append', path: [...bodyPath, 'tools'], raw: declaration };
}
