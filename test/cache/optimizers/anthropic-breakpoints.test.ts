/**
 * Breakpoint placement on a laid-out prefix: where headroom adds Anthropic
 * `cache_control` breakpoints, and where it must not.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { planBreakpoints } from '../../../src/cache/optimizers/anthropic.js';
import { breakpointProblems, type PrefixEntry } from '../../../src/cache/optimizers/breakpoints.js';
import type { Role } from '../../../src/formats/types.js';

const LIMITS = { maxBreakpoints: 4, minTokens: 1024 };

interface Spec {
  section: PrefixEntry['section'];
  message?: number;
  role?: Role;
  tokens: number;
  ttl?: string;
  /** A string system prompt or string content: nothing to set a key on. */
  noTarget?: boolean;
}

/** Entries from specs; targets are `system[i]`, `tools[i]` or `messages[m].content[0]`. */
function entries(specs: readonly Spec[]): PrefixEntry[] {
  let system = 0;
  let tool = 0;
  return specs.map((spec) => {
    const target =
      spec.noTarget === true ? null : spec.section === 'system' ? ['system', system++] : spec.section === 'tools' ? ['tools', tool++] : ['messages', spec.message ?? 0, 'content', 0];
    return {
      section: spec.section,
      messageIndex: spec.section === 'tools' ? null : (spec.message ?? 0),
      role: spec.role ?? (spec.section === 'system' ? 'system' : null),
      target,
      label: target ? target.join('.') : 'string',
      tokensThrough: spec.tokens,
      ttl: spec.ttl ?? null,
    };
  });
}

/** A conversation: tools, a system entry, then user/assistant turns of 200 tokens each. */
function conversation(turns: number, systemTokens = 2000, marks: Record<number, string> = {}): PrefixEntry[] {
  const specs: Spec[] = [
    { section: 'tools', tokens: 300 },
    { section: 'system', tokens: 300 + systemTokens },
  ];
  for (let index = 0; index < turns * 2; index++) {
    const message = index + 1;
    specs.push({
      section: 'messages',
      message,
      role: index % 2 === 0 ? 'user' : 'assistant',
      tokens: 300 + systemTokens + 200 * (index + 1),
      ...(marks[message] ? { ttl: marks[message] } : {}),
    });
  }
  return entries(specs);
}

const labels = (plan: ReturnType<typeof planBreakpoints>): string[] => plan.insert.map((entry) => entry.label);

describe('Anthropic breakpoint placement', () => {
  it('a conversation with none: the last message, the system prompt, then earlier user turns, at most 4, in prefix order', () => {
    const plan = planBreakpoints(conversation(4), LIMITS);
    // Messages 1..8: users at 1, 3, 5, 7; the last message (8) is the assistant's.
    assert.deepEqual(labels(plan), ['system.0', 'messages.5.content.0', 'messages.7.content.0', 'messages.8.content.0']);
    assert.equal(plan.cacheableTokens, 300 + 2000 + 200 * 8);
    assert.deepEqual(plan.warnings, []);
    assert.ok(plan.breakpoints.every((breakpoint) => breakpoint.placed_by === 'headroom' && breakpoint.ttl === '5m'));
  });

  it('more than 4 candidates: the ones kept are the latest turns and the system prompt', () => {
    const plan = planBreakpoints(conversation(10), LIMITS);
    assert.equal(plan.insert.length, 4);
    assert.deepEqual(labels(plan), ['system.0', 'messages.17.content.0', 'messages.19.content.0', 'messages.20.content.0']);
  });

  it('a one-shot request without tools gets the system breakpoint only: its question is not resent', () => {
    const plan = planBreakpoints(
      entries([
        { section: 'system', tokens: 3000 },
        { section: 'messages', message: 1, role: 'user', tokens: 3100 },
      ]),
      LIMITS,
    );
    assert.deepEqual(labels(plan), ['system.0']);
    assert.equal(plan.cacheableTokens, 3000);
    // With tools, a tool call's result will come back behind this whole prompt: the message is marked too.
    const withTools = planBreakpoints(
      entries([
        { section: 'tools', tokens: 500 },
        { section: 'system', tokens: 3000 },
        { section: 'messages', message: 1, role: 'user', tokens: 3100 },
      ]),
      LIMITS,
    );
    assert.deepEqual(labels(withTools), ['system.0', 'messages.1.content.0']);
  });

  it('below the model minimum: no breakpoint where the prefix is too small, and none at all when all are', () => {
    const small = planBreakpoints(conversation(2, 100), LIMITS);
    // Through the system prompt: 400 tokens; the messages reach 1,024 from message 4 (400 + 800).
    assert.deepEqual(labels(small), ['messages.4.content.0']);
    const tiny = planBreakpoints(conversation(1, 10), LIMITS);
    assert.deepEqual(tiny.insert, []);
    assert.equal(tiny.cacheableTokens, 0);
    // The configured floor raises the minimum further.
    assert.deepEqual(labels(planBreakpoints(conversation(4), { maxBreakpoints: 4, minTokens: 3500 })), ['messages.7.content.0', 'messages.8.content.0']);
  });

  it("existing breakpoints: never moved or removed; ours only before the client's last, within the limit", () => {
    const plan = planBreakpoints(conversation(4, 2000, { 6: '5m' }), LIMITS);
    assert.deepEqual(labels(plan), ['system.0', 'messages.3.content.0', 'messages.5.content.0']);
    assert.deepEqual(
      plan.breakpoints.map((breakpoint) => `${breakpoint.at}:${breakpoint.placed_by}`),
      ['system.0:headroom', 'messages.3.content.0:headroom', 'messages.5.content.0:headroom', 'messages.6.content.0:client'],
    );
    // Three client breakpoints leave one slot.
    const full = planBreakpoints(conversation(4, 2000, { 2: '5m', 4: '5m', 8: '5m' }), LIMITS);
    assert.deepEqual(labels(full), ['system.0']);
    // Four: none.
    assert.deepEqual(planBreakpoints(conversation(4, 2000, { 2: '5m', 4: '5m', 6: '5m', 8: '5m' }), LIMITS).insert, []);
  });

  it('TTL order: added 5-minute breakpoints go only after the last 1-hour one', () => {
    const plan = planBreakpoints(conversation(4, 2000, { 3: '1h', 8: '5m' }), LIMITS);
    assert.deepEqual(labels(plan), ['messages.5.content.0', 'messages.7.content.0']);
    assert.ok(plan.insert.every((entry) => (entry.messageIndex ?? 0) > 3));
  });

  it('a request that breaks the rules is reported and left alone', () => {
    const five = planBreakpoints(conversation(4, 2000, { 1: '5m', 2: '5m', 3: '5m', 4: '5m', 5: '5m' }), LIMITS);
    assert.deepEqual(five.insert, []);
    assert.match(five.warnings[0] ?? '', /^5 cache_control breakpoints \(.*\): the provider accepts at most 4 per request and rejects this one; no breakpoints added$/);
    const order = planBreakpoints(conversation(4, 2000, { 3: '5m', 6: '1h' }), LIMITS);
    assert.deepEqual(order.insert, []);
    assert.match(order.warnings[0] ?? '', /a 1-hour cache_control breakpoint \(messages\.6\.content\.0\) follows a 5m one \(messages\.3\.content\.0\)/);
    assert.deepEqual(breakpointProblems(conversation(4, 2000, { 3: '1h', 6: '5m' }), 4), []);
  });

  it("a client's breakpoint below the minimum is reported: it caches nothing", () => {
    const plan = planBreakpoints(conversation(1, 10, { 1: '5m' }), LIMITS);
    assert.match(plan.warnings[0] ?? '', /breakpoint at messages\.1\.content\.0 covers about 510 tokens, below the 1024 the model caches/);
  });

  it('entries with no object to carry a key (string content) are never targets', () => {
    const plan = planBreakpoints(
      entries([
        { section: 'system', tokens: 3000, noTarget: true },
        { section: 'messages', message: 1, role: 'user', tokens: 3100 },
        { section: 'messages', message: 2, role: 'assistant', tokens: 3200 },
        { section: 'messages', message: 3, role: 'user', tokens: 3300, noTarget: true },
      ]),
      LIMITS,
    );
    assert.deepEqual(labels(plan), ['messages.1.content.0', 'messages.2.content.0']);
  });

  it('properties: never more than the limit in all, never a moved client breakpoint, deterministic, TTL order kept', () => {
    const arbitrary = fc.record({
      turns: fc.integer({ min: 0, max: 8 }),
      system: fc.integer({ min: 0, max: 3000 }),
      marks: fc.dictionary(fc.integer({ min: 1, max: 16 }).map(String), fc.constantFrom('5m', '1h')),
      limit: fc.integer({ min: 1, max: 4 }),
    });
    fc.assert(
      fc.property(arbitrary, ({ turns, system, marks, limit }) => {
        const prefix = conversation(turns, system, Object.fromEntries(Object.entries(marks).map(([key, ttl]) => [Number(key), ttl])));
        const options = { maxBreakpoints: limit, minTokens: 1024 };
        const plan = planBreakpoints(prefix, options);
        const existing = prefix.filter((entry) => entry.ttl !== null);
        assert.deepEqual(planBreakpoints(prefix, options), plan);
        if (existing.length <= limit) assert.ok(existing.length + plan.insert.length <= limit);
        else assert.equal(plan.insert.length, 0);
        for (const entry of plan.insert) {
          assert.equal(entry.ttl, null);
          assert.ok(entry.tokensThrough >= 1024);
        }
        // Marking what was planned leaves a request that keeps the rules, if it kept them before.
        if (breakpointProblems(prefix, limit).length === 0) {
          const marked = prefix.map((entry) => (plan.insert.includes(entry) ? { ...entry, ttl: '5m' } : entry));
          assert.deepEqual(breakpointProblems(marked, limit), []);
        }
      }),
      { numRuns: 40 },
    );
  });
});
