/**
 * OpenAI bills function tools as a TypeScript-like rendering of their schema,
 * not as the JSON text. These tests pin the rendering on hand-built
 * definitions and its token counts against what OpenAI billed on recorded
 * captures (pydantic-ai's openai_chat_mcp_toolset, first call, gpt-4o).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { functionOf, renderFunctions, FUNCTIONS_FRAMING } from '../../src/formats/openai-chat/function-rendering.js';
import type { JsonObject } from '../../src/formats/types.js';
import { getTokenCounter } from '../../src/tokens/counter.js';
import { runMain } from '../cli/run-main.js';

const render = (tools: JsonObject[]): string => renderFunctions(tools.map((tool) => functionOf(tool, 'tools')).filter((fn) => fn !== null));

const fn = (name: string, description: string, parameters: JsonObject | null): JsonObject => ({
  type: 'function',
  function: parameters ? { name, description, parameters } : { name, description },
});

describe('OpenAI function rendering', () => {
  it('renders optional and required properties, enums, arrays, nested objects and descriptions', async () => {
    const tool = fn('search_orders', 'Find orders.\n    Args:\n        status: order status', {
      type: 'object',
      properties: {
        status: { type: 'string', enum: ['open', 'closed'], description: 'Order status' },
        limit: { type: 'integer', description: 'Max results' },
        tags: { type: 'array', items: { type: 'string' } },
        ids: { type: 'array' },
        exact: { type: 'boolean' },
        page: { type: 'number', enum: [1, 2] },
        filter: {
          type: 'object',
          description: 'Filter',
          properties: { from: { type: 'string', description: 'not shown: nested' }, to: { type: ['string', 'null'] } },
          required: ['from'],
        },
        any: {},
      },
      required: ['status'],
    });
    const text = render([tool]);
    assert.equal(
      text,
      [
        'namespace functions {',
        '',
        '// Find orders.',
        'Args:',
        'status: order status',
        'type search_orders = (_: {',
        '// Order status',
        'status: "open" | "closed",',
        '// Max results',
        'limit?: number,',
        'tags?: string[],',
        'ids?: any[],',
        'exact?: boolean,',
        'page?: 1 | 2,',
        '// Filter',
        'filter?: {',
        '  from: string,',
        '  to?: string | null,',
        '},',
        'any?: any,',
        '}) => any;',
        '',
        '} // namespace functions',
      ].join('\n'),
    );
    const counter = await getTokenCounter('o200k_base');
    assert.equal(counter.count(text), 89);
  });

  it('renders a function without parameters (or with none declared) as a nullary type', () => {
    const text = render([fn('ping', '', null), fn('now', 'Current time.', { type: 'object', properties: {} })]);
    assert.equal(text, 'namespace functions {\n\ntype ping = () => any;\n\n// Current time.\ntype now = () => any;\n\n} // namespace functions');
  });

  it('resolves $ref to $defs, and reads Responses and legacy function shapes', () => {
    const parameters: JsonObject = {
      $defs: { Answer: { type: 'object', properties: { label: { type: 'string' } }, required: ['label'] } },
      type: 'object',
      properties: { answers: { type: 'array', items: { $ref: '#/$defs/Answer' } } },
      required: ['answers'],
    };
    const chat = render([fn('final_result', '', parameters)]);
    assert.match(chat, /answers: \{\n {2}label: string,\n\}\[\],/);
    const responses = functionOf({ type: 'function', name: 'final_result', parameters }, 'tools');
    const legacy = functionOf({ name: 'final_result', parameters }, 'functions');
    assert.deepEqual(responses, legacy);
    assert.equal(functionOf({ type: 'web_search' }, 'tools'), null);
  });
});

/** The tools of pydantic-ai's openai_chat_mcp_toolset capture (first chat call: 213 prompt tokens billed). */
const MCP_TOOLS: JsonObject[] = [
  fn('read_wiki_structure', 'Get a list of documentation topics for a GitHub repository.\n\nArgs:\n    repoName: GitHub repository in owner/repo format (e.g. "facebook/react")', {
    additionalProperties: false,
    properties: { repoName: { type: 'string' } },
    required: ['repoName'],
    type: 'object',
  }),
  fn('read_wiki_contents', 'View documentation about a GitHub repository.\n\nArgs:\n    repoName: GitHub repository in owner/repo format (e.g. "facebook/react")', {
    additionalProperties: false,
    properties: { repoName: { type: 'string' } },
    required: ['repoName'],
    type: 'object',
  }),
  fn(
    'ask_question',
    'Ask any question about a GitHub repository and get an AI-powered, context-grounded response.\n\nArgs:\n    repoName: GitHub repository or list of repositories (max 10) in owner/repo format\n    question: The question to ask about the repository',
    {
      additionalProperties: false,
      properties: { question: { type: 'string' }, repoName: { anyOf: [{ type: 'string' }, { items: { type: 'string' }, type: 'array' }] } },
      required: ['repoName', 'question'],
      type: 'object',
    },
  ),
];
const MCP_USER = 'Can you tell me more about the pydantic/pydantic-ai repo? Keep your answer short';

describe('OpenAI tool definitions in audit', () => {
  it('counts function tools as OpenAI renders them: the billed prompt minus the message', async () => {
    const counter = await getTokenCounter('o200k_base');
    // Billed 213 = tools + the user message as OpenAI's cookbook counts it (3 + role + content) + 3 to prime the reply.
    const billedTools = 213 - (3 + counter.count('user') + counter.count(MCP_USER) + 3);
    assert.equal(counter.count(render(MCP_TOOLS)) + FUNCTIONS_FRAMING, billedTools);

    const body = { model: 'gpt-4o', messages: [{ role: 'user', content: MCP_USER }], tools: MCP_TOOLS };
    const run = await runMain(['audit', '--ndjson'], { input: JSON.stringify(body) });
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout.split('\n')[0] ?? '') as { tokens_by_kind: { tool_definitions: number }; estimated_kinds: string[] };
    assert.equal(report.tokens_by_kind.tool_definitions, billedTools);
    assert.deepEqual(report.estimated_kinds, []);
  });

  it('labels tool calls an estimate: they are counted as name(arguments), not as OpenAI renders them', async () => {
    const body = {
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      ],
    };
    const run = await runMain(['audit', '--ndjson'], { input: JSON.stringify(body) });
    const report = JSON.parse(run.stdout.split('\n')[0] ?? '') as { estimated_kinds: string[] };
    assert.deepEqual(report.estimated_kinds, ['tool_call']);
  });

  it('labels per kind what is estimated: media, non-function tools, and every count of a model without a public tokenizer', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Pages /Count 1>> endobj\n2 0 obj <</Type /Page>> endobj\n%%EOF').toString('base64');
    const lines = [
      {
        model: 'gpt-4o',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Summarize.' },
              { type: 'file', file: { filename: 'a.pdf', file_data: `data:application/pdf;base64,${pdf}` } },
            ],
          },
        ],
        tools: [MCP_TOOLS[0], { type: 'web_search' }],
      },
      { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }], tools: [{ name: 't', input_schema: { type: 'object' } }] },
    ];
    const run = await runMain(['audit', '--json', '--per-request'], { input: lines.map((line) => JSON.stringify(line)).join('\n') });
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { summary: { tokens: { estimated_kinds: string[] } }; requests: Array<{ estimated_kinds: string[] }> };
    assert.deepEqual(report.requests[0]?.estimated_kinds, ['tool_definitions', 'user']);
    assert.deepEqual(report.requests[1]?.estimated_kinds, ['tool_definitions', 'user']);
    assert.deepEqual(report.summary.tokens.estimated_kinds, ['tool_definitions', 'user']);

    const table = await runMain(['audit'], { input: lines.map((line) => JSON.stringify(line)).join('\n') });
    assert.match(table.stdout, /tool definitions \(estimate\)/);
  });
});
