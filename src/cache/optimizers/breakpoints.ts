/**
 * Anthropic's `cache_control` breakpoints as entries of the prompt prefix:
 * which entry (tool definition, system entry, content block) each part of
 * the request belongs to, which of them carry a breakpoint and with what TTL,
 * and whether the request keeps the provider's rules (at most `maxBreakpoints`
 * per request; a 1-hour breakpoint never after a 5-minute one). Audit and the
 * optimizer read the same entries.
 */
import { anthropicBreakpointTarget } from '../../formats/anthropic/parse.js';
import type { JsonPath, Request, Role } from '../../formats/types.js';
import { cacheRuleFor } from '../../pricing/cache-rules.js';
import type { PrefixUnit } from './types.js';

/** One object of the request that could carry `cache_control`, with the parts read from it. */
export interface PrefixEntry {
  section: PrefixUnit['section'];
  messageIndex: number | null;
  role: Role | null;
  /** Its path relative to the request body; null where it cannot carry a key (string content) or is not known. */
  target: JsonPath | null;
  /** Where it is, for messages: `messages[4].content[1]`, else the message or tool it belongs to. */
  label: string;
  tokensThrough: number;
  /** The TTL of the breakpoint it carries (`5m` when the marker names none), or null for none. */
  ttl: string | null;
}

/** Groups the parts of each entry (a tool result with several texts is one entry) in prefix order. */
export function prefixEntries(units: readonly PrefixUnit[], bodyPath: JsonPath | null): PrefixEntry[] {
  const entries: PrefixEntry[] = [];
  let lastKey: string | null = null;
  units.forEach((unit, index) => {
    const target = targetOf(unit, bodyPath);
    const key = target ? JSON.stringify(target) : `unit:${index}`;
    const ttl = unit.part.flags.cacheControl ? (unit.part.flags.cacheTtl ?? '5m') : null;
    const previous = entries[entries.length - 1];
    if (previous && key === lastKey) {
      previous.tokensThrough = unit.tokensThrough;
      previous.ttl = previous.ttl ?? ttl;
      return;
    }
    lastKey = key;
    entries.push({ section: unit.section, messageIndex: unit.messageIndex, role: unit.role, target, label: labelOf(unit, target), tokensThrough: unit.tokensThrough, ttl });
  });
  return entries;
}

function targetOf(unit: PrefixUnit, bodyPath: JsonPath | null): JsonPath | null {
  if (unit.section === 'tools') return unit.toolIndex === null ? null : ['tools', unit.toolIndex];
  const path = unit.part.slot?.path;
  if (!path || bodyPath === null) return null;
  if (!bodyPath.every((step, index) => path[index] === step)) return null;
  return anthropicBreakpointTarget(path.slice(bodyPath.length));
}

function labelOf(unit: PrefixUnit, target: JsonPath | null): string {
  if (target) return target.map((step, index) => (typeof step === 'number' ? `[${step}]` : index === 0 ? step : `.${step}`)).join('');
  if (unit.section === 'tools') return `tool ${unit.part.flags.toolName ?? '?'}`;
  const block = unit.part.flags.sourceType ?? 'block';
  return unit.section === 'system' ? `system (${block})` : `a ${block} block of the ${unit.role ?? 'unknown'} message`;
}

/**
 * The rules a request's own breakpoints break, one sentence each: more than
 * the provider accepts, or a 1-hour breakpoint after a 5-minute one (longer
 * TTLs must come first). Anthropic rejects such a request with a 400.
 */
export function breakpointProblems(entries: readonly PrefixEntry[], maxBreakpoints: number): string[] {
  const marked = entries.filter((entry) => entry.ttl !== null);
  const problems: string[] = [];
  if (marked.length > maxBreakpoints) {
    problems.push(
      `${marked.length} cache_control breakpoints (${marked.map((entry) => entry.label).join(', ')}): the provider accepts at most ${maxBreakpoints} per request and rejects this one`,
    );
  }
  const firstShort = marked.find((entry) => entry.ttl !== '1h');
  if (firstShort) {
    const lateLong = marked.slice(marked.indexOf(firstShort) + 1).find((entry) => entry.ttl === '1h');
    if (lateLong) {
      problems.push(
        `a 1-hour cache_control breakpoint (${lateLong.label}) follows a ${firstShort.ttl} one (${firstShort.label}): the provider requires longer TTLs first and rejects this request`,
      );
    }
  }
  return problems;
}

/**
 * The breakpoint rules an Anthropic request breaks, read from the request as
 * it arrived (audit's check; token counts play no part in it). Empty for
 * other providers and for models without a cache rule.
 */
export function requestBreakpointProblems(request: Request): string[] {
  if (request.provider !== 'anthropic') return [];
  const limit = cacheRuleFor(request.model)?.maxBreakpoints ?? null;
  if (limit === null) return [];
  const units: PrefixUnit[] = request.tools.map((part, index) => ({ section: 'tools', toolIndex: index, messageIndex: null, role: null, part, tokensThrough: 0 }));
  request.messages.forEach((message, index) => {
    const section = message.role === 'system' ? 'system' : 'messages';
    for (const part of message.parts) units.push({ section, toolIndex: null, messageIndex: index, role: message.role, part, tokensThrough: 0 });
  });
  return breakpointProblems(prefixEntries(units, request.bodyPath ?? null), limit);
}
