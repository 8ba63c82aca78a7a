/**
 * What each provider would reject in a request body, checked structurally:
 * message and item shapes, roles, content block types, tool-call / tool-result
 * pairing, and tool definitions. Used by property tests to assert that what
 * `headroom optimize` writes back is still a request the provider accepts.
 *
 * The checks are deliberately about shape and pairing only: unknown extra
 * fields are allowed everywhere (they are the caller's business, and optimize
 * must carry them through), and values are not checked against model limits.
 *
 * Every problem names where it is, as a path into the body:
 * `messages[3].content[1]: tool_result for toolu_x has no tool_use in the previous assistant message`.
 */

import type { Dialect } from '../../src/formats/types.js';

export type BodyDialect = Dialect;

type Obj = Record<string, unknown>;

/** Problems for `body` read as a request of `dialect`; [] when the provider would accept it. */
export function validityProblems(dialect: BodyDialect, body: unknown): string[] {
  const problems = new Problems();
  if (!isObj(body)) {
    problems.add('body', `expected a JSON object, got ${describe(body)}`);
    return problems.list;
  }
  switch (dialect) {
    case 'openai-chat':
      checkChat(body, problems);
      break;
    case 'openai-responses':
      checkResponses(body, problems);
      break;
    case 'anthropic':
      checkAnthropic(body, problems);
      break;
    case 'gemini':
      checkGemini(body, problems);
      break;
  }
  return problems.list;
}

// ---------------------------------------------------------------------------
// Shared helpers

class Problems {
  readonly list: string[] = [];
  add(where: string, message: string): void {
    this.list.push(`${where}: ${message}`);
  }
}

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 40 ? `a string ("${value.slice(0, 40)}…")` : `"${value}"`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** OpenAI and Anthropic function names. */
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
/** Gemini function names: a letter or underscore first; dots, colons and dashes allowed. */
const GEMINI_FUNCTION_NAME = /^[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}$/;
/** Anthropic tool_use ids. */
const ANTHROPIC_TOOL_USE_ID = /^[a-zA-Z0-9_-]+$/;

/** Requires `body[key]` to be a non-empty array; returns it, or null after reporting. */
function requireNonEmptyArray(container: Obj, key: string, where: string, problems: Problems): unknown[] | null {
  const value = container[key];
  if (!Array.isArray(value) || value.length === 0) {
    problems.add(where, `expected a non-empty array, got ${value === undefined ? 'nothing' : describe(value)}`);
    return null;
  }
  return value;
}

/** Records tool names and reports a name defined twice. */
class ToolNames {
  private readonly seen = new Map<string, string>();
  constructor(private readonly problems: Problems) {}
  add(name: string, where: string): void {
    const first = this.seen.get(name);
    if (first !== undefined) this.problems.add(where, `duplicate tool name "${name}" (also ${first})`);
    else this.seen.set(name, where);
  }
  has(name: string): boolean {
    return this.seen.has(name);
  }
}

function checkJsonSchemaObject(value: unknown, where: string, problems: Problems): void {
  if (value !== undefined && !isObj(value)) problems.add(where, `expected a JSON schema object, got ${describe(value)}`);
}

function checkOptionalString(container: Obj, key: string, where: string, problems: Problems): void {
  if (key in container && typeof container[key] !== 'string') problems.add(`${where}.${key}`, `expected a string, got ${describe(container[key])}`);
}

// ---------------------------------------------------------------------------
// OpenAI Chat Completions

const CHAT_ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);
/** Content part types each role may send. */
const CHAT_PART_TYPES: Record<string, ReadonlySet<string>> = {
  system: new Set(['text']),
  developer: new Set(['text']),
  user: new Set(['text', 'image_url', 'input_audio', 'file']),
  assistant: new Set(['text', 'refusal']),
  tool: new Set(['text']),
};

function checkChat(body: Obj, problems: Problems): void {
  const messages = requireNonEmptyArray(body, 'messages', 'messages', problems);
  if (messages) {
    messages.forEach((message, index) => checkChatMessage(message, `messages[${index}]`, problems));
    checkChatToolPairing(messages, problems);
  }
  const names = checkChatTools(body['tools'], problems);
  checkChatToolChoice(body['tool_choice'], names, problems);
}

function checkChatMessage(message: unknown, where: string, problems: Problems): void {
  if (!isObj(message)) {
    problems.add(where, `expected a message object, got ${describe(message)}`);
    return;
  }
  const role = message['role'];
  if (typeof role !== 'string' || !CHAT_ROLES.has(role)) {
    problems.add(`${where}.role`, `${describe(role)} is not a chat role (system, developer, user, assistant, tool)`);
    return;
  }
  checkChatContent(message, role, where, problems);
  if (role === 'tool' && !isNonEmptyString(message['tool_call_id'])) problems.add(where, 'tool message without a tool_call_id');
  if ('tool_calls' in message) {
    if (role !== 'assistant') problems.add(`${where}.tool_calls`, `only assistant messages carry tool_calls, not ${role}`);
    else checkChatToolCalls(message['tool_calls'], `${where}.tool_calls`, problems);
  }
  checkOptionalString(message, 'name', where, problems);
}

function checkChatContent(message: Obj, role: string, where: string, problems: Problems): void {
  const content = message['content'];
  if (typeof content === 'string') return;
  if (content === null || content === undefined) {
    const hasCall = 'tool_calls' in message || 'function_call' in message || typeof message['refusal'] === 'string';
    if (!(role === 'assistant' && hasCall)) problems.add(`${where}.content`, `a ${role} message needs content`);
    return;
  }
  if (!Array.isArray(content)) {
    problems.add(`${where}.content`, `expected a string or an array of content parts, got ${describe(content)}`);
    return;
  }
  if (content.length === 0) problems.add(`${where}.content`, 'empty array of content parts');
  const allowed = CHAT_PART_TYPES[role] ?? new Set<string>();
  content.forEach((part, index) => checkChatPart(part, allowed, role, `${where}.content[${index}]`, problems));
}

function checkChatPart(part: unknown, allowed: ReadonlySet<string>, role: string, where: string, problems: Problems): void {
  if (!isObj(part)) {
    problems.add(where, `expected a content part object, got ${describe(part)}`);
    return;
  }
  const type = part['type'];
  if (typeof type !== 'string' || !allowed.has(type)) {
    problems.add(where, `content part type ${describe(type)} is not allowed in a ${role} message (${[...allowed].join(', ')})`);
    return;
  }
  if (type === 'text' && typeof part['text'] !== 'string') problems.add(where, 'text part without a string "text"');
  if (type === 'refusal' && typeof part['refusal'] !== 'string') problems.add(where, 'refusal part without a string "refusal"');
  if (type === 'image_url' && !(isObj(part['image_url']) && typeof part['image_url']['url'] === 'string')) {
    problems.add(where, 'image_url part without image_url.url');
  }
}

function checkChatToolCalls(calls: unknown, where: string, problems: Problems): void {
  if (!Array.isArray(calls) || calls.length === 0) {
    problems.add(where, `expected a non-empty array of tool calls, got ${describe(calls)}`);
    return;
  }
  calls.forEach((call, index) => {
    const at = `${where}[${index}]`;
    if (!isObj(call)) {
      problems.add(at, `expected a tool call object, got ${describe(call)}`);
      return;
    }
    if (!isNonEmptyString(call['id'])) problems.add(at, 'tool call without an id');
    if (call['type'] === 'function') {
      const fn = call['function'];
      if (!isObj(fn) || !isNonEmptyString(fn['name'])) problems.add(`${at}.function`, 'function call without a name');
      else if (typeof fn['arguments'] !== 'string') problems.add(`${at}.function.arguments`, `expected a JSON string, got ${describe(fn['arguments'])}`);
    } else if (call['type'] === 'custom') {
      const custom = call['custom'];
      if (!isObj(custom) || !isNonEmptyString(custom['name'])) problems.add(`${at}.custom`, 'custom tool call without a name');
    } else {
      problems.add(`${at}.type`, `${describe(call['type'])} is not a tool call type (function, custom)`);
    }
  });
}

function chatToolCallIds(message: Obj): string[] {
  const calls = message['tool_calls'];
  if (!Array.isArray(calls)) return [];
  return calls.flatMap((call) => (isObj(call) && typeof call['id'] === 'string' ? [call['id']] : []));
}

/**
 * Each `tool` message answers a tool call of the nearest preceding assistant
 * message, and every call is answered before the next non-tool message.
 */
function checkChatToolPairing(messages: readonly unknown[], problems: Problems): void {
  let open: { index: number; ids: string[]; answered: Set<string> } | null = null;
  const close = (before: string): void => {
    if (!open) return;
    for (const id of open.ids) {
      if (!open.answered.has(id)) problems.add(`messages[${open.index}].tool_calls`, `tool call ${id} is not answered before ${before}`);
    }
    open = null;
  };
  messages.forEach((message, index) => {
    if (!isObj(message)) return;
    if (message['role'] === 'tool') {
      const id = String(message['tool_call_id']);
      if (!open) problems.add(`messages[${index}]`, `tool message for ${id} has no preceding assistant message with tool_calls`);
      else if (!open.ids.includes(id)) problems.add(`messages[${index}]`, `tool message for ${id} answers no tool call of messages[${open.index}]`);
      else if (open.answered.has(id)) problems.add(`messages[${index}]`, `tool call ${id} is answered twice`);
      else open.answered.add(id);
      return;
    }
    close(`messages[${index}]`);
    const ids = message['role'] === 'assistant' ? chatToolCallIds(message) : [];
    if (ids.length > 0) open = { index, ids, answered: new Set() };
  });
  close('the end of the messages');
}

/** Runs `check` on each object of a `tools` array; a non-array, or an entry that is not an object, is a problem. */
function forEachTool(tools: unknown, problems: Problems, expected: string, check: (tool: Obj, at: string) => void): void {
  if (tools === undefined) return;
  if (!Array.isArray(tools)) {
    problems.add('tools', `expected an array, got ${describe(tools)}`);
    return;
  }
  tools.forEach((tool, index) => {
    const at = `tools[${index}]`;
    if (isObj(tool)) check(tool, at);
    else problems.add(at, `expected ${expected}, got ${describe(tool)}`);
  });
}

function checkChatTools(tools: unknown, problems: Problems): ToolNames {
  const names = new ToolNames(problems);
  forEachTool(tools, problems, 'a tool object', (tool, at) => {
    const type = tool['type'];
    const definition = type === 'function' ? tool['function'] : type === 'custom' ? tool['custom'] : undefined;
    if (type !== 'function' && type !== 'custom') {
      problems.add(`${at}.type`, `${describe(type)} is not a chat tool type (function, custom)`);
      return;
    }
    if (!isObj(definition)) {
      problems.add(at, `${type} tool without a "${type}" object`);
      return;
    }
    const name = definition['name'];
    if (typeof name !== 'string' || !TOOL_NAME.test(name)) {
      problems.add(`${at}.${type}.name`, `invalid tool name ${describe(name)}`);
      return;
    }
    checkOptionalString(definition, 'description', `${at}.${type}`, problems);
    if (type === 'function') checkJsonSchemaObject(definition['parameters'], `${at}.function.parameters`, problems);
    names.add(name, at);
  });
  return names;
}

function checkChatToolChoice(choice: unknown, names: ToolNames, problems: Problems): void {
  if (choice === undefined || typeof choice === 'string') {
    if (typeof choice === 'string' && !['none', 'auto', 'required'].includes(choice)) problems.add('tool_choice', `unknown tool_choice ${describe(choice)}`);
    return;
  }
  if (isObj(choice) && choice['type'] === 'function') {
    const fn = choice['function'];
    const name = isObj(fn) ? fn['name'] : undefined;
    if (typeof name !== 'string' || !names.has(name)) problems.add('tool_choice', `names function ${describe(name)}, which is not in tools`);
  }
}

// ---------------------------------------------------------------------------
// OpenAI Responses

const RESPONSES_ITEM_TYPES = new Set([
  'message',
  'function_call',
  'function_call_output',
  'custom_tool_call',
  'custom_tool_call_output',
  'reasoning',
  'item_reference',
  'local_shell_call',
  'local_shell_call_output',
  'shell_call',
  'shell_call_output',
  'apply_patch_call',
  'apply_patch_call_output',
  'web_search_call',
  'file_search_call',
  'computer_call',
  'computer_call_output',
  'image_generation_call',
  'code_interpreter_call',
  'mcp_list_tools',
  'mcp_approval_request',
  'mcp_approval_response',
  'mcp_call',
  'compaction',
]);
const RESPONSES_ROLES = new Set(['user', 'assistant', 'system', 'developer']);
const RESPONSES_INPUT_PARTS = new Set(['input_text', 'input_image', 'input_file', 'input_audio']);
const RESPONSES_ASSISTANT_PARTS = new Set(['output_text', 'refusal', 'input_text']);
const RESPONSES_OUTPUT_PARTS = new Set(['input_text', 'input_image', 'input_file']);
/** Output item type → the call item type it answers (paired by call_id). */
const RESPONSES_OUTPUT_OF: Record<string, string> = {
  function_call_output: 'function_call',
  custom_tool_call_output: 'custom_tool_call',
};
const RESPONSES_BUILTIN_TOOLS = new Set([
  'web_search',
  'web_search_preview',
  'web_search_preview_2025_03_11',
  'web_search_2025_08_26',
  'file_search',
  'computer_use_preview',
  'computer_use',
  'code_interpreter',
  'image_generation',
  'mcp',
  'local_shell',
  'shell',
  'apply_patch',
]);

function checkResponses(body: Obj, problems: Problems): void {
  checkOptionalString(body, 'instructions', 'body', problems);
  const input = body['input'];
  if (typeof input !== 'string') {
    const items = requireNonEmptyArray(body, 'input', 'input', problems);
    if (items) {
      items.forEach((item, index) => checkResponsesItem(item, `input[${index}]`, problems));
      checkResponsesPairing(items, problems);
    }
  }
  const names = checkResponsesTools(body['tools'], problems);
  const choice = body['tool_choice'];
  if (isObj(choice) && choice['type'] === 'function' && !(typeof choice['name'] === 'string' && names.has(choice['name']))) {
    problems.add('tool_choice', `names function ${describe(choice['name'])}, which is not in tools`);
  }
}

function responsesItemType(item: Obj): unknown {
  return item['type'] ?? ('role' in item ? 'message' : undefined);
}

function checkResponsesItem(item: unknown, where: string, problems: Problems): void {
  if (!isObj(item)) {
    problems.add(where, `expected an input item object, got ${describe(item)}`);
    return;
  }
  const type = responsesItemType(item);
  if (typeof type !== 'string' || !RESPONSES_ITEM_TYPES.has(type)) {
    problems.add(`${where}.type`, `${describe(type)} is not a Responses input item type`);
    return;
  }
  switch (type) {
    case 'message':
      checkResponsesMessage(item, where, problems);
      return;
    case 'function_call':
      if (!isNonEmptyString(item['call_id'])) problems.add(where, 'function_call without a call_id');
      if (!isNonEmptyString(item['name'])) problems.add(where, 'function_call without a name');
      if (typeof item['arguments'] !== 'string') problems.add(`${where}.arguments`, `expected a JSON string, got ${describe(item['arguments'])}`);
      return;
    case 'function_call_output':
    case 'custom_tool_call_output':
      if (!isNonEmptyString(item['call_id'])) problems.add(where, `${type} without a call_id`);
      checkResponsesOutput(item['output'], `${where}.output`, problems);
      return;
    case 'custom_tool_call':
      if (!isNonEmptyString(item['call_id'])) problems.add(where, 'custom_tool_call without a call_id');
      if (!isNonEmptyString(item['name'])) problems.add(where, 'custom_tool_call without a name');
      if (typeof item['input'] !== 'string') problems.add(`${where}.input`, `expected a string, got ${describe(item['input'])}`);
      return;
    case 'reasoning':
      checkResponsesReasoning(item, where, problems);
      return;
    case 'item_reference':
      if (!isNonEmptyString(item['id'])) problems.add(where, 'item_reference without an id');
      return;
  }
}

function checkResponsesMessage(item: Obj, where: string, problems: Problems): void {
  const role = item['role'];
  if (typeof role !== 'string' || !RESPONSES_ROLES.has(role)) {
    problems.add(`${where}.role`, `${describe(role)} is not a Responses message role (user, assistant, system, developer)`);
    return;
  }
  const content = item['content'];
  if (typeof content === 'string') return;
  if (!Array.isArray(content) || content.length === 0) {
    problems.add(`${where}.content`, `expected a string or a non-empty array of content parts, got ${describe(content)}`);
    return;
  }
  const allowed = role === 'assistant' ? RESPONSES_ASSISTANT_PARTS : RESPONSES_INPUT_PARTS;
  content.forEach((part, index) => checkResponsesPart(part, allowed, `a ${role} message`, `${where}.content[${index}]`, problems));
}

function checkResponsesPart(part: unknown, allowed: ReadonlySet<string>, context: string, where: string, problems: Problems): void {
  if (!isObj(part)) {
    problems.add(where, `expected a content part object, got ${describe(part)}`);
    return;
  }
  const type = part['type'];
  if (typeof type !== 'string' || !allowed.has(type)) {
    problems.add(where, `content part type ${describe(type)} is not allowed in ${context} (${[...allowed].join(', ')})`);
    return;
  }
  if ((type === 'input_text' || type === 'output_text') && typeof part['text'] !== 'string') problems.add(where, `${type} part without a string "text"`);
}

function checkResponsesOutput(output: unknown, where: string, problems: Problems): void {
  if (typeof output === 'string') return;
  if (!Array.isArray(output)) {
    problems.add(where, `expected a string or an array of content parts, got ${describe(output)}`);
    return;
  }
  output.forEach((part, index) => checkResponsesPart(part, RESPONSES_OUTPUT_PARTS, 'a tool output', `${where}[${index}]`, problems));
}

function checkResponsesReasoning(item: Obj, where: string, problems: Problems): void {
  const summary = item['summary'];
  if (!Array.isArray(summary)) {
    problems.add(`${where}.summary`, `reasoning item needs a summary array, got ${describe(summary)}`);
    return;
  }
  summary.forEach((entry, index) => {
    if (!isObj(entry) || entry['type'] !== 'summary_text' || typeof entry['text'] !== 'string') {
      problems.add(`${where}.summary[${index}]`, 'expected {type: "summary_text", text}');
    }
  });
}

/**
 * Every call output answers an earlier call with its call_id; every function
 * call is answered somewhere after it; call ids are not reused.
 */
function checkResponsesPairing(items: readonly unknown[], problems: Problems): void {
  const calls = new Map<string, { type: string; index: number; answered: boolean }>();
  items.forEach((item, index) => {
    if (!isObj(item)) return;
    const type = responsesItemType(item);
    const callId = item['call_id'];
    if (typeof type !== 'string' || typeof callId !== 'string') return;
    if (type === 'function_call' || type === 'custom_tool_call') {
      const earlier = calls.get(callId);
      if (earlier) problems.add(`input[${index}]`, `call_id ${callId} is reused (first at input[${earlier.index}])`);
      else calls.set(callId, { type, index, answered: false });
      return;
    }
    const answers = RESPONSES_OUTPUT_OF[type];
    if (!answers) return;
    const call = calls.get(callId);
    if (!call || call.type !== answers) problems.add(`input[${index}]`, `${type} for ${callId} has no earlier ${answers} with that call_id`);
    else if (call.answered) problems.add(`input[${index}]`, `${answers} ${callId} is answered twice`);
    else call.answered = true;
  });
  for (const [callId, call] of calls) {
    if (!call.answered) problems.add(`input[${call.index}]`, `${call.type} ${callId} has no ${call.type}_output after it`);
  }
}

function checkResponsesTools(tools: unknown, problems: Problems): ToolNames {
  const names = new ToolNames(problems);
  forEachTool(tools, problems, 'a tool object', (tool, at) => {
    const type = tool['type'];
    if (type === 'function' || type === 'custom') {
      const name = tool['name'];
      if (typeof name !== 'string' || !TOOL_NAME.test(name)) {
        problems.add(`${at}.name`, `invalid tool name ${describe(name)}`);
        return;
      }
      if (type === 'function') checkJsonSchemaObject(tool['parameters'], `${at}.parameters`, problems);
      checkOptionalString(tool, 'description', at, problems);
      names.add(name, at);
    } else if (typeof type !== 'string' || !RESPONSES_BUILTIN_TOOLS.has(type)) {
      problems.add(`${at}.type`, `${describe(type)} is not a Responses tool type`);
    } else if (type === 'mcp' && !isNonEmptyString(tool['server_label'])) {
      problems.add(at, 'mcp tool without a server_label');
    }
  });
  return names;
}

// ---------------------------------------------------------------------------
// Anthropic Messages

const ANTHROPIC_USER_BLOCKS = new Set(['text', 'image', 'document', 'tool_result', 'search_result', 'container_upload']);
const ANTHROPIC_ASSISTANT_BLOCKS = new Set([
  'text',
  'thinking',
  'redacted_thinking',
  'tool_use',
  'server_tool_use',
  'web_search_tool_result',
  'web_fetch_tool_result',
  'code_execution_tool_result',
  'bash_code_execution_tool_result',
  'text_editor_code_execution_tool_result',
  'tool_search_tool_result',
  'mcp_tool_use',
  'mcp_tool_result',
  'container_upload',
  'compaction',
]);
const ANTHROPIC_TOOL_RESULT_BLOCKS = new Set(['text', 'image', 'document', 'search_result', 'tool_reference']);
/** Versioned server / client tools: `web_search_20250305`, `bash_20250124`, `text_editor_20250728`… */
const ANTHROPIC_TYPED_TOOL = /^[a-z][a-z0-9_]*_\d{8}$/;
const MAX_CACHE_BREAKPOINTS = 4;

function checkAnthropic(body: Obj, problems: Problems): void {
  const maxTokens = body['max_tokens'];
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) {
    problems.add('max_tokens', `expected a positive integer, got ${maxTokens === undefined ? 'nothing' : describe(maxTokens)}`);
  }
  checkAnthropicSystem(body['system'], problems);
  const messages = requireNonEmptyArray(body, 'messages', 'messages', problems);
  if (messages) {
    messages.forEach((message, index) => checkAnthropicMessage(message, index === messages.length - 1, `messages[${index}]`, problems));
    checkAnthropicToolPairing(messages, problems);
  }
  const names = checkAnthropicTools(body['tools'], problems);
  const choice = body['tool_choice'];
  if (isObj(choice) && choice['type'] === 'tool' && !(typeof choice['name'] === 'string' && names.has(choice['name']))) {
    problems.add('tool_choice', `names tool ${describe(choice['name'])}, which is not in tools`);
  }
  checkAnthropicCacheBreakpoints(body, problems);
}

function checkAnthropicSystem(system: unknown, problems: Problems): void {
  if (system === undefined || typeof system === 'string') return;
  if (!Array.isArray(system)) {
    problems.add('system', `expected a string or an array of text blocks, got ${describe(system)}`);
    return;
  }
  system.forEach((block, index) => {
    if (!isObj(block) || block['type'] !== 'text') problems.add(`system[${index}]`, 'system blocks must be text blocks');
    else checkAnthropicText(block, `system[${index}]`, problems);
  });
}

function checkAnthropicText(block: Obj, where: string, problems: Problems): void {
  const text = block['text'];
  if (typeof text !== 'string') problems.add(where, 'text block without a string "text"');
  else if (text.trim() === '') problems.add(where, 'text blocks must contain non-whitespace text');
}

function checkAnthropicMessage(message: unknown, final: boolean, where: string, problems: Problems): void {
  if (!isObj(message)) {
    problems.add(where, `expected a message object, got ${describe(message)}`);
    return;
  }
  const role = message['role'];
  if (role !== 'user' && role !== 'assistant') {
    problems.add(`${where}.role`, `${describe(role)} is not a message role (user, assistant); the system prompt goes in "system"`);
    return;
  }
  // Only a final assistant message (a prefill) may be empty.
  const mayBeEmpty = final && role === 'assistant';
  const content = message['content'];
  if (typeof content === 'string') {
    if (content.trim() === '' && !mayBeEmpty) problems.add(`${where}.content`, 'message content must be non-empty');
    return;
  }
  if (!Array.isArray(content)) {
    problems.add(`${where}.content`, `expected a string or an array of content blocks, got ${describe(content)}`);
    return;
  }
  if (content.length === 0 && !mayBeEmpty) problems.add(`${where}.content`, 'message content must be non-empty');
  const allowed = role === 'user' ? ANTHROPIC_USER_BLOCKS : ANTHROPIC_ASSISTANT_BLOCKS;
  content.forEach((block, index) => checkAnthropicBlock(block, allowed, role, `${where}.content[${index}]`, problems));
}

function checkAnthropicBlock(block: unknown, allowed: ReadonlySet<string>, context: string, where: string, problems: Problems): void {
  if (!isObj(block)) {
    problems.add(where, `expected a content block object, got ${describe(block)}`);
    return;
  }
  const type = block['type'];
  if (typeof type !== 'string' || !allowed.has(type)) {
    problems.add(where, `block type ${describe(type)} is not allowed in a ${context} message`);
    return;
  }
  checkCacheControl(block, where, problems);
  switch (type) {
    case 'text':
      checkAnthropicText(block, where, problems);
      return;
    case 'image':
    case 'document':
      if (!isObj(block['source'])) problems.add(where, `${type} block without a source`);
      return;
    case 'thinking':
      if (typeof block['thinking'] !== 'string' || typeof block['signature'] !== 'string') problems.add(where, 'thinking block needs "thinking" and "signature" strings');
      checkNotCached(block, where, problems);
      return;
    case 'redacted_thinking':
      if (typeof block['data'] !== 'string') problems.add(where, 'redacted_thinking block without "data"');
      checkNotCached(block, where, problems);
      return;
    case 'tool_use':
      if (typeof block['id'] !== 'string' || !ANTHROPIC_TOOL_USE_ID.test(block['id'])) problems.add(where, `invalid tool_use id ${describe(block['id'])}`);
      if (!isNonEmptyString(block['name'])) problems.add(where, 'tool_use without a name');
      if (!isObj(block['input'])) problems.add(`${where}.input`, `expected an object, got ${describe(block['input'])}`);
      return;
    case 'tool_result':
      checkAnthropicToolResult(block, where, problems);
      return;
  }
}

function checkAnthropicToolResult(block: Obj, where: string, problems: Problems): void {
  if (!isNonEmptyString(block['tool_use_id'])) problems.add(where, 'tool_result without a tool_use_id');
  if ('is_error' in block && typeof block['is_error'] !== 'boolean') problems.add(`${where}.is_error`, `expected a boolean, got ${describe(block['is_error'])}`);
  const content = block['content'];
  if (content === undefined || typeof content === 'string') return;
  if (!Array.isArray(content)) {
    problems.add(`${where}.content`, `expected a string or an array of blocks, got ${describe(content)}`);
    return;
  }
  content.forEach((inner, index) => checkAnthropicBlock(inner, ANTHROPIC_TOOL_RESULT_BLOCKS, 'tool_result', `${where}.content[${index}]`, problems));
}

/** Thinking blocks are cached with the turn they belong to; the API refuses a cache_control on one. */
function checkNotCached(block: Obj, where: string, problems: Problems): void {
  if (block['cache_control'] !== undefined && block['cache_control'] !== null) problems.add(`${where}.cache_control`, 'thinking blocks cannot carry cache_control');
}

function checkCacheControl(block: Obj, where: string, problems: Problems): void {
  const cache = block['cache_control'];
  if (cache === undefined || cache === null) return;
  if (!isObj(cache) || cache['type'] !== 'ephemeral') {
    problems.add(`${where}.cache_control`, 'expected {type: "ephemeral"}');
    return;
  }
  const ttl = cache['ttl'];
  if (ttl !== undefined && ttl !== '5m' && ttl !== '1h') problems.add(`${where}.cache_control.ttl`, `expected "5m" or "1h", got ${describe(ttl)}`);
}

function blockArray(message: unknown): unknown[] {
  return isObj(message) && Array.isArray(message['content']) ? message['content'] : [];
}

function blockType(block: unknown): unknown {
  return isObj(block) ? block['type'] : undefined;
}

function toolUseIds(message: unknown): string[] {
  if (!isObj(message) || message['role'] !== 'assistant') return [];
  return blockArray(message).flatMap((block) => (isObj(block) && block['type'] === 'tool_use' && typeof block['id'] === 'string' ? [block['id']] : []));
}

/**
 * Every tool_result answers a tool_use of the immediately preceding assistant
 * message and comes before the user message's other blocks; every tool_use
 * (unless in the final message) is answered by the next message; ids are unique.
 */
function checkAnthropicToolPairing(messages: readonly unknown[], problems: Problems): void {
  const firstUse = new Map<string, string>();
  messages.forEach((message, index) => {
    if (!isObj(message)) return;
    const blocks = blockArray(message);
    if (message['role'] === 'assistant') {
      blocks.forEach((block, blockIndex) => {
        if (blockType(block) !== 'tool_use' || !isObj(block) || typeof block['id'] !== 'string') return;
        const where = `messages[${index}].content[${blockIndex}]`;
        const first = firstUse.get(block['id']);
        if (first) problems.add(where, `duplicate tool_use id ${block['id']} (first at ${first})`);
        else firstUse.set(block['id'], where);
      });
      checkToolUsesAnswered(messages, index, problems);
      return;
    }
    const previousIds = new Set(toolUseIds(messages[index - 1]));
    const answered = new Set<string>();
    let otherBlockAt: number | null = null;
    blocks.forEach((block, blockIndex) => {
      const where = `messages[${index}].content[${blockIndex}]`;
      if (blockType(block) !== 'tool_result') {
        otherBlockAt ??= blockIndex;
        return;
      }
      const id = String((block as Obj)['tool_use_id']);
      if (otherBlockAt !== null) problems.add(where, `tool_result for ${id} comes after other content (content[${otherBlockAt}]); tool_results must come first`);
      if (!previousIds.has(id)) problems.add(where, `tool_result for ${id} has no tool_use in the previous assistant message`);
      else if (answered.has(id)) problems.add(where, `second tool_result for ${id}`);
      answered.add(id);
    });
  });
}

function checkToolUsesAnswered(messages: readonly unknown[], index: number, problems: Problems): void {
  const ids = toolUseIds(messages[index]);
  if (ids.length === 0 || index === messages.length - 1) return;
  const next = messages[index + 1];
  const answered = new Set(
    isObj(next) && next['role'] === 'user' ? blockArray(next).flatMap((block) => (isObj(block) && block['type'] === 'tool_result' ? [String(block['tool_use_id'])] : [])) : [],
  );
  for (const id of ids) {
    if (!answered.has(id)) problems.add(`messages[${index}]`, `tool_use ${id} has no tool_result in the next message (messages[${index + 1}])`);
  }
}

function checkAnthropicTools(tools: unknown, problems: Problems): ToolNames {
  const names = new ToolNames(problems);
  forEachTool(tools, problems, 'a tool object', (tool, at) => {
    checkCacheControl(tool, at, problems);
    const type = tool['type'];
    const name = tool['name'];
    if (typeof name !== 'string' || !TOOL_NAME.test(name)) {
      problems.add(`${at}.name`, `invalid tool name ${describe(name)}`);
      return;
    }
    if (type === undefined || type === 'custom') {
      const schema = tool['input_schema'];
      if (!isObj(schema) || schema['type'] !== 'object') problems.add(`${at}.input_schema`, 'expected a JSON schema object with type "object"');
      checkOptionalString(tool, 'description', at, problems);
    } else if (typeof type !== 'string' || !ANTHROPIC_TYPED_TOOL.test(type)) {
      problems.add(`${at}.type`, `${describe(type)} is not a tool type (custom, or a versioned tool such as web_search_20250305)`);
    }
    names.add(name, at);
  });
  return names;
}

/**
 * At most four cache breakpoints, and a 1-hour breakpoint may not follow a
 * 5-minute one (the prompt is read as tools, then system, then messages).
 */
function checkAnthropicCacheBreakpoints(body: Obj, problems: Problems): void {
  const breakpoints: Array<{ where: string; ttl: string }> = [];
  const visit = (block: unknown, where: string): void => {
    if (!isObj(block)) return;
    const cache = block['cache_control'];
    if (isObj(cache)) breakpoints.push({ where, ttl: cache['ttl'] === '1h' ? '1h' : '5m' });
    if (block['type'] === 'tool_result' && Array.isArray(block['content'])) {
      block['content'].forEach((inner, index) => visit(inner, `${where}.content[${index}]`));
    }
  };
  if (Array.isArray(body['tools'])) body['tools'].forEach((tool, index) => visit(tool, `tools[${index}]`));
  if (Array.isArray(body['system'])) body['system'].forEach((block, index) => visit(block, `system[${index}]`));
  if (Array.isArray(body['messages'])) {
    body['messages'].forEach((message, index) => blockArray(message).forEach((block, blockIndex) => visit(block, `messages[${index}].content[${blockIndex}]`)));
  }
  if (breakpoints.length > MAX_CACHE_BREAKPOINTS) {
    problems.add('cache_control', `${breakpoints.length} blocks carry cache_control (at most ${MAX_CACHE_BREAKPOINTS}): ${breakpoints.map((b) => b.where).join(', ')}`);
  }
  let fiveMinute: string | null = null;
  for (const breakpoint of breakpoints) {
    if (breakpoint.ttl === '5m') fiveMinute ??= breakpoint.where;
    else if (fiveMinute) problems.add(`${breakpoint.where}.cache_control`, `ttl "1h" comes after a 5-minute breakpoint (${fiveMinute})`);
  }
}

// ---------------------------------------------------------------------------
// Gemini generateContent

/** Part data fields, camelCase and snake_case (the REST API reads both). */
const GEMINI_DATA_FIELDS: Record<string, string> = {
  text: 'text',
  inlineData: 'inlineData',
  inline_data: 'inlineData',
  fileData: 'fileData',
  file_data: 'fileData',
  functionCall: 'functionCall',
  function_call: 'functionCall',
  functionResponse: 'functionResponse',
  function_response: 'functionResponse',
  executableCode: 'executableCode',
  executable_code: 'executableCode',
  codeExecutionResult: 'codeExecutionResult',
  code_execution_result: 'codeExecutionResult',
};
const GEMINI_TOOL_KINDS: Record<string, string> = {
  functionDeclarations: 'functionDeclarations',
  function_declarations: 'functionDeclarations',
  googleSearch: 'googleSearch',
  google_search: 'googleSearch',
  googleSearchRetrieval: 'googleSearchRetrieval',
  google_search_retrieval: 'googleSearchRetrieval',
  codeExecution: 'codeExecution',
  code_execution: 'codeExecution',
  urlContext: 'urlContext',
  url_context: 'urlContext',
  retrieval: 'retrieval',
  computerUse: 'computerUse',
  computer_use: 'computerUse',
  fileSearch: 'fileSearch',
  file_search: 'fileSearch',
  googleMaps: 'googleMaps',
  google_maps: 'googleMaps',
  enterpriseWebSearch: 'enterpriseWebSearch',
};

interface GeminiPart {
  field: string;
  value: unknown;
}

/** The one data field of a part (normalized to camelCase), or null after reporting. */
function geminiPartData(part: unknown, where: string, problems: Problems): GeminiPart | null {
  if (!isObj(part)) {
    problems.add(where, `expected a part object, got ${describe(part)}`);
    return null;
  }
  const fields = Object.keys(part).filter((key) => key in GEMINI_DATA_FIELDS);
  if (fields.length !== 1) {
    problems.add(
      where,
      fields.length === 0 ? 'part has no data field (text, inlineData, fileData, functionCall, functionResponse, …)' : `part has several data fields (${fields.join(', ')})`,
    );
    return null;
  }
  const key = fields[0] as string;
  return { field: GEMINI_DATA_FIELDS[key] as string, value: part[key] };
}

function checkGemini(body: Obj, problems: Problems): void {
  const systemKey = 'systemInstruction' in body ? 'systemInstruction' : 'system_instruction';
  if (systemKey in body) checkGeminiSystem(body[systemKey], systemKey, problems);
  const contents = requireNonEmptyArray(body, 'contents', 'contents', problems);
  if (contents) {
    contents.forEach((content, index) => checkGeminiContent(content, contents.length, `contents[${index}]`, problems));
    checkGeminiFunctionPairing(contents, problems);
  }
  checkGeminiTools(body['tools'], problems);
}

function checkGeminiSystem(system: unknown, key: string, problems: Problems): void {
  if (!isObj(system)) {
    problems.add(key, `expected a Content object with text parts, got ${describe(system)}`);
    return;
  }
  const parts = requireNonEmptyArray(system, 'parts', `${key}.parts`, problems);
  parts?.forEach((part, index) => {
    const data = geminiPartData(part, `${key}.parts[${index}]`, problems);
    if (data && data.field !== 'text') problems.add(`${key}.parts[${index}]`, `system instruction parts must be text, not ${data.field}`);
  });
}

function checkGeminiContent(content: unknown, count: number, where: string, problems: Problems): void {
  if (!isObj(content)) {
    problems.add(where, `expected a Content object, got ${describe(content)}`);
    return;
  }
  const role = content['role'];
  // A lone content may omit its role (single-turn requests).
  if (!(role === 'user' || role === 'model' || (role === undefined && count === 1))) {
    problems.add(`${where}.role`, `${describe(role)} is not a contents role (user, model)`);
    return;
  }
  const parts = requireNonEmptyArray(content, 'parts', `${where}.parts`, problems);
  parts?.forEach((part, index) => {
    const at = `${where}.parts[${index}]`;
    const data = geminiPartData(part, at, problems);
    if (data) checkGeminiPart(data, role === 'model' ? 'model' : 'user', at, problems);
  });
}

function checkGeminiPart(data: GeminiPart, role: 'user' | 'model', where: string, problems: Problems): void {
  const { field, value } = data;
  switch (field) {
    case 'text':
      if (typeof value !== 'string' || value.length === 0) problems.add(`${where}.text`, 'text parts must be non-empty strings');
      return;
    case 'functionCall':
      if (role !== 'model') problems.add(where, 'functionCall parts belong in model turns');
      if (!isObj(value) || typeof value['name'] !== 'string' || !GEMINI_FUNCTION_NAME.test(value['name'])) {
        problems.add(`${where}.functionCall`, 'functionCall needs a valid name');
      } else if ('args' in value && !isObj(value['args'])) {
        problems.add(`${where}.functionCall.args`, `expected an object, got ${describe(value['args'])}`);
      }
      return;
    case 'functionResponse':
      if (role !== 'user') problems.add(where, 'functionResponse parts belong in user turns');
      if (!isObj(value) || !isNonEmptyString(value['name'])) problems.add(`${where}.functionResponse`, 'functionResponse needs a name');
      else if (!isObj(value['response'])) problems.add(`${where}.functionResponse.response`, `expected an object, got ${describe(value['response'])}`);
      return;
    case 'inlineData':
    case 'fileData':
      if (!isObj(value)) problems.add(`${where}.${field}`, `expected an object, got ${describe(value)}`);
      return;
  }
}

interface GeminiCall {
  name: string;
  id: string | null;
  where: string;
}

function geminiCalls(content: unknown, index: number, field: 'functionCall' | 'functionResponse'): GeminiCall[] {
  if (!isObj(content) || !Array.isArray(content['parts'])) return [];
  const out: GeminiCall[] = [];
  content['parts'].forEach((part, partIndex) => {
    if (!isObj(part)) return;
    const value = part[field] ?? part[field === 'functionCall' ? 'function_call' : 'function_response'];
    if (!isObj(value) || typeof value['name'] !== 'string') return;
    out.push({ name: value['name'], id: typeof value['id'] === 'string' ? value['id'] : null, where: `contents[${index}].parts[${partIndex}]` });
  });
  return out;
}

/**
 * functionResponse parts answer the functionCall parts of the previous model
 * turn (by id when both have one, otherwise by name), one response per call;
 * a model turn's calls are all answered by the next turn unless it is the last.
 */
function checkGeminiFunctionPairing(contents: readonly unknown[], problems: Problems): void {
  contents.forEach((content, index) => {
    const responses = geminiCalls(content, index, 'functionResponse');
    const calls = geminiCalls(content, index, 'functionCall');
    if (calls.length > 0 && index < contents.length - 1 && geminiCalls(contents[index + 1], index + 1, 'functionResponse').length === 0) {
      for (const call of calls) problems.add(call.where, `functionCall "${call.name}" is not answered in contents[${index + 1}]`);
    }
    if (responses.length === 0) return;
    const previous = contents[index - 1];
    const open = isObj(previous) && previous['role'] === 'model' ? geminiCalls(previous, index - 1, 'functionCall') : [];
    for (const response of responses) {
      const match = open.findIndex((call) => (call.id !== null && response.id !== null ? call.id === response.id : call.name === response.name));
      if (match < 0) problems.add(response.where, `functionResponse "${response.name}" answers no functionCall of the previous model turn`);
      else open.splice(match, 1);
    }
    for (const call of open) problems.add(call.where, `functionCall "${call.name}" has no functionResponse in contents[${index}]`);
  });
}

function checkGeminiTools(tools: unknown, problems: Problems): void {
  const names = new ToolNames(problems);
  forEachTool(tools, problems, 'a Tool object', (tool, at) => {
    const kinds = Object.keys(tool).filter((key) => key in GEMINI_TOOL_KINDS);
    if (kinds.length !== 1) {
      problems.add(at, kinds.length === 0 ? 'tool has no known kind (functionDeclarations, googleSearch, codeExecution, …)' : `tool has several kinds (${kinds.join(', ')})`);
      return;
    }
    const key = kinds[0] as string;
    if (GEMINI_TOOL_KINDS[key] !== 'functionDeclarations') {
      if (!isObj(tool[key])) problems.add(`${at}.${key}`, `expected an object, got ${describe(tool[key])}`);
      return;
    }
    const declarations = requireNonEmptyArray(tool, key, `${at}.${key}`, problems);
    declarations?.forEach((declaration, declarationIndex) => {
      const where = `${at}.${key}[${declarationIndex}]`;
      const name = isObj(declaration) ? declaration['name'] : undefined;
      if (!isObj(declaration) || typeof name !== 'string' || !GEMINI_FUNCTION_NAME.test(name)) {
        problems.add(where, `invalid function name ${describe(name)}`);
        return;
      }
      checkJsonSchemaObject(declaration['parameters'], `${where}.parameters`, problems);
      checkJsonSchemaObject(declaration['parametersJsonSchema'], `${where}.parametersJsonSchema`, problems);
      names.add(name, where);
    });
  });
}
