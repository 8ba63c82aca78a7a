/**
 * Facts about tool calls that several formats share: the canonical key that
 * identifies a re-issued call, and which file a call reads or modifies.
 */
import { contentHash } from './hash.js';
import { canonicalJson, parseMaybeJson } from './json-text.js';
import { isJsonObject, type JsonValue, type PartFlags } from './types.js';

/** Same tool + same arguments (key order and whitespace ignored) → same key. */
export function callKey(name: string, args: JsonValue): string {
  const parsed = parseMaybeJson(args);
  const canonical = typeof parsed === 'string' ? parsed : canonicalJson(parsed);
  return contentHash(`${name}\u0000${canonical}`);
}

const READ_TOOLS = new Set(['read', 'read_file', 'readfile', 'view', 'view_file', 'open_file', 'get_file', 'cat', 'notebookread']);
const WRITE_TOOLS = new Set(['edit', 'multiedit', 'write', 'write_file', 'edit_file', 'create_file', 'str_replace', 'notebookedit']);
const PATH_KEYS = ['file_path', 'notebook_path', 'path', 'filePath', 'filename', 'file'];
const SHELL_READ = /^(?:cat|nl(?:\s+-\w+)*|head(?:\s+-n?\s*\d+)?|tail(?:\s+-n?\s*\d+)?|sed\s+-n\s+'[^']*'|sed\s+-n\s+"[^"]*"|sed\s+-n\s+\S+)\s+([^\s|;&<>]+)\s*$/;
const PATCH_FILE = /^\*\*\* (?:Update|Add|Delete) File: (.+)$/m;

export interface FileAccess {
  filePath: string;
  fileAccess: 'read' | 'write';
}

/**
 * Which file a tool call reads or writes, for the stale-read finding. Covers
 * Claude Code's Read/Edit/Write family, Anthropic's text editor tool, common
 * read_file/write_file names, shell reads (`cat`, `sed -n`, `head`, `nl`) and
 * apply_patch. Returns null when the call does not name a single file.
 */
export function fileAccessOf(name: string, args: JsonValue): FileAccess | null {
  const lower = name.toLowerCase();
  const input = parseMaybeJson(args);
  if (lower === 'apply_patch') {
    const patch = typeof input === 'string' ? input : isJsonObject(input) ? stringOf(input['input'] ?? input['patch']) : null;
    const match = patch ? PATCH_FILE.exec(patch) : null;
    return match?.[1] ? { filePath: match[1].trim(), fileAccess: 'write' } : null;
  }
  if (lower === 'shell' || lower === 'bash' || lower === 'exec_command' || lower === 'local_shell') {
    return shellRead(input);
  }
  if (!isJsonObject(input)) return null;
  const filePath = PATH_KEYS.map((key) => input[key]).find((value): value is string => typeof value === 'string' && value.length > 0);
  if (!filePath) return null;
  if (lower === 'str_replace_based_edit_tool' || lower === 'str_replace_editor') {
    return { filePath, fileAccess: input['command'] === 'view' ? 'read' : 'write' };
  }
  if (READ_TOOLS.has(lower)) return { filePath, fileAccess: 'read' };
  if (WRITE_TOOLS.has(lower)) return { filePath, fileAccess: 'write' };
  return null;
}

function stringOf(value: JsonValue | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

/** `cat FILE`-style reads in a shell call (command as array or string). */
function shellRead(input: JsonValue): FileAccess | null {
  let command: JsonValue | undefined = input;
  if (isJsonObject(input)) command = input['command'] ?? input['cmd'];
  let text: string | null = null;
  if (typeof command === 'string') text = command;
  if (Array.isArray(command)) {
    const parts = command.filter((part): part is string => typeof part === 'string');
    // ["bash", "-lc", "cat x"] → the script; otherwise the argv joined.
    text = parts.length === 3 && /sh$/.test(parts[0] ?? '') && parts[1]?.startsWith('-') ? (parts[2] ?? null) : parts.join(' ');
  }
  const match = text ? SHELL_READ.exec(text.trim()) : null;
  return match?.[1] ? { filePath: match[1].replace(/^['"]|['"]$/g, ''), fileAccess: 'read' } : null;
}

/** The flags every tool-call part carries. */
export function toolCallFlags(name: string, id: string | undefined, args: JsonValue, sourceType: string): PartFlags {
  const flags: PartFlags = { toolName: name, callKey: callKey(name, args), sourceType };
  if (id) flags.toolCallId = id;
  const access = fileAccessOf(name, args);
  if (access) Object.assign(flags, access);
  return flags;
}

/** The text a tool call costs: its name and its arguments as sent. */
export function toolCallText(name: string, args: JsonValue): string {
  return `${name}(${typeof args === 'string' ? args : JSON.stringify(args)})`;
}
