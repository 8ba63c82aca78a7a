/**
 * Anthropic's `context_management`: the edits a request asks the API to make
 * to its context (`clear_tool_uses_20250919`, `clear_thinking_20251015`,
 * server-side compaction), and the `applied_edits` a response reports with
 * what each cleared. Read as recorded; nothing here applies an edit.
 */
import { arrayField, numberField, objectField, stringField } from './json-text.js';
import { isJsonObject, type ContextManagement, type ContextEditApplied, type ContextEditRequested, type JsonObject, type JsonValue } from './types.js';

/** The requested edits of a request body, or null when it asks for none. */
export function requestedContextEdits(body: JsonObject): ContextEditRequested[] | null {
  const management = objectField(body, 'context_management');
  const edits = management ? arrayField(management, 'edits')?.filter(isJsonObject) : undefined;
  if (!edits) return null;
  return edits.map((edit) => ({
    type: stringField(edit, 'type') ?? 'unknown',
    trigger: threshold(edit['trigger']),
    keep: threshold(edit['keep']),
    clear_at_least: threshold(edit['clear_at_least']),
    exclude_tools: arrayField(edit, 'exclude_tools')?.filter((name): name is string => typeof name === 'string') ?? null,
    clear_tool_inputs: typeof edit['clear_tool_inputs'] === 'boolean' || Array.isArray(edit['clear_tool_inputs']) ? edit['clear_tool_inputs'] !== false : null,
  }));
}

/** The edits a response reports as applied (an empty list: none applied), or null when it reports none. */
export function appliedContextEdits(response: JsonValue | null): ContextEditApplied[] | null {
  if (!isJsonObject(response)) return null;
  const management = objectField(response, 'context_management');
  const applied = management ? arrayField(management, 'applied_edits')?.filter(isJsonObject) : undefined;
  if (!applied) return null;
  return applied.map((edit) => ({
    type: stringField(edit, 'type') ?? 'unknown',
    cleared_tool_uses: numberField(edit, 'cleared_tool_uses') ?? null,
    cleared_thinking_turns: numberField(edit, 'cleared_thinking_turns') ?? null,
    cleared_input_tokens: numberField(edit, 'cleared_input_tokens') ?? null,
  }));
}

/** Both sides, or null when neither recorded anything. */
export function contextManagementOf(body: JsonObject | null, response: JsonValue | null): ContextManagement | null {
  const requested = body ? requestedContextEdits(body) : null;
  const applied = appliedContextEdits(response);
  return requested === null && applied === null ? null : { requested, applied };
}

/** `{type: "input_tokens", value: 100000}` → `"100000 input_tokens"`; `"all"` as is; null when absent. */
function threshold(value: JsonValue | undefined): string | null {
  if (typeof value === 'string') return value;
  if (!isJsonObject(value)) return null;
  const amount = numberField(value, 'value');
  const unit = stringField(value, 'type');
  return amount === undefined ? (unit ?? null) : `${amount}${unit ? ` ${unit}` : ''}`;
}
