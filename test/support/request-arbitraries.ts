/**
 * fast-check arbitraries for the inputs `headroom optimize` reads: request
 * bodies of every provider (one JSON document, or JSONL logs of several), and
 * Claude Code / Codex transcripts. Every generated input is what a user could
 * really have on disk, and every request in it is valid for its provider
 * (test/support/provider-validity.ts checks that).
 *
 * Generation is two-stage: a format-neutral conversation `Plan` (system
 * prompt, tools, turns of user text, tool-call rounds with realistic outputs,
 * assistant replies, plus random style bits), then a renderer per format that
 * lays the plan out the way that provider or tool writes it.
 *
 * Values are `Gen` trees that may hold `bigint`s: JSON.stringify cannot write
 * 64-bit integers as raw literals, so a `Writer` stringifies them as a marker
 * string and then replaces the quoted marker with the digits, recording each
 * literal it places (`GeneratedInput.bigIds`).
 */
import fc from 'fast-check';
import type { Dialect, FormatId } from '../../src/formats/types.js';

export type GeneratedFormat = Exclude<FormatId, 'message-lines'>;
export type GeneratedBodyFormat = Dialect;
export type GeneratedTranscriptFormat = Extract<FormatId, 'claude-code' | 'codex'>;

export const BODY_FORMATS: readonly GeneratedBodyFormat[] = ['openai-chat', 'openai-responses', 'anthropic', 'gemini'];
export const TRANSCRIPT_FORMATS: readonly GeneratedTranscriptFormat[] = ['claude-code', 'codex'];

export interface GeneratedInput {
  format: GeneratedFormat;
  /** File content exactly as a user would have it. */
  text: string;
  /** e.g. request.json, requests.jsonl, <session>.jsonl */
  fileName: string;
  /** Every 64-bit integer literal placed in the text, as written (in order of placement). */
  bigIds: string[];
}

/** One request body as a JSON document, pretty-printed (2, 4, tab) or compact. */
export function requestBodyArb(format: GeneratedBodyFormat): fc.Arbitrary<GeneratedInput> {
  return fc.tuple(planArb({ maxTurns: 6 }), fc.constantFrom<Indent>(2, 2, 4, '\t', 0), fc.boolean()).map(([plan, indent, newline]) => {
    const writer = new Writer();
    const text = writer.json(renderBody(format, plan, writer), indent) + (newline ? '\n' : '');
    return { format, text, fileName: 'request.json', bigIds: writer.bigIds };
  });
}

/** JSONL: 1–4 compact request bodies, one per line. */
export function requestLogArb(format: GeneratedBodyFormat): fc.Arbitrary<GeneratedInput> {
  return fc
    .tuple(fc.array(planArb({ maxTurns: 3 }), { minLength: 1, maxLength: 4 }), fc.boolean(), fc.constantFrom('requests.jsonl', 'log.jsonl', 'calls.ndjson'))
    .map(([plans, newline, fileName]) => {
      const writer = new Writer();
      const lines = plans.map((plan) => writer.json(renderBody(format, plan, writer)));
      return { format, text: lines.join('\n') + (newline ? '\n' : ''), fileName, bigIds: writer.bigIds };
    });
}

/** A Claude Code session transcript or a Codex rollout. */
export function transcriptArb(format: GeneratedTranscriptFormat): fc.Arbitrary<GeneratedInput> {
  return planArb({ maxTurns: 4 }).map((plan) => {
    const writer = new Writer();
    if (format === 'claude-code') {
      const { lines, sessionId } = renderClaudeCode(plan, writer);
      return { format, text: lines.join('\n') + '\n', fileName: `${sessionId}.jsonl`, bigIds: writer.bigIds };
    }
    const { lines, sessionId } = renderCodex(plan, writer);
    return { format, text: lines.join('\n') + '\n', fileName: `rollout-2026-03-14T09-30-00-${sessionId}.jsonl`, bigIds: writer.bigIds };
  });
}

/** Any of the above, every format. */
export function anyInputArb(): fc.Arbitrary<GeneratedInput> {
  return fc.oneof(
    ...BODY_FORMATS.map((format) => requestBodyArb(format)),
    ...BODY_FORMATS.map((format) => requestLogArb(format)),
    ...TRANSCRIPT_FORMATS.map((format) => transcriptArb(format)),
  );
}

// ---------------------------------------------------------------------------
// Values with raw 64-bit integers

type Gen = string | number | boolean | null | bigint | Gen[] | GenObject;
interface GenObject {
  [key: string]: Gen;
}
type Indent = 0 | 2 | 4 | '\t';

const BIG_MARKER = /"@@big:(-?\d+)@@"/g;

/** Stringifies `Gen` values, writing bigints as raw literals and recording each. */
class Writer {
  readonly bigIds: string[] = [];

  json(value: Gen, indent: Indent = 0): string {
    const text = JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? `@@big:${item.toString()}@@` : item), indent === 0 ? undefined : indent);
    return text.replace(BIG_MARKER, (_match, digits: string) => {
      this.bigIds.push(digits);
      return digits;
    });
  }
}

/** Optional record keys come out missing, never undefined: safe to read as a GenObject. */
function asGen<T extends object>(arb: fc.Arbitrary<T>): fc.Arbitrary<GenObject> {
  return arb as unknown as fc.Arbitrary<GenObject>;
}

/** Integers beyond 2^53 (and the usual 64-bit extremes), as JSON number literals. */
const bigIdArb: fc.Arbitrary<bigint> = fc.oneof(
  fc.constantFrom(9007199254740993n, 9223372036854775807n, 18446744073709551615n, -9223372036854775808n, 12345678901234567891n),
  fc.bigInt({ min: 2n ** 53n + 1n, max: 2n ** 64n - 1n }),
  fc.bigInt({ min: -(2n ** 63n), max: -(2n ** 53n) - 1n }),
);

/** Adds `key: <64-bit literal>` to about one record in `oneIn`. */
function withRareBigId(arb: fc.Arbitrary<GenObject>, key: string, oneIn: number): fc.Arbitrary<GenObject> {
  return fc
    .tuple(arb, fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: bigIdArb }))
    .map(([record, id]) => (id === null ? record : { ...record, [key]: id }));
}

/** Length of a value's JSON at `indent`, bigints counted as their digits. */
function jsonLength(value: Gen, indent: Indent): number {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? Number(item) : item), indent === 0 ? undefined : indent).length;
}

// ---------------------------------------------------------------------------
// Text

const WORDS = [
  'order',
  'invoice',
  'shipment',
  'refund',
  'tent',
  'backpack',
  'trail',
  'boots',
  'warehouse',
  'carrier',
  'delayed',
  'customer',
  'rounding',
  'tax',
  'region',
  'cache',
  'deploy',
  'latency',
  'timeout',
  'retry',
  'the',
  'a',
  'is',
  'was',
  'for',
  'with',
  'on',
  'after',
  'please',
  'check',
  'why',
  'still',
  'failing',
  'pod',
  'namespace',
  'restart',
  'config',
  'test',
  'build',
  'branch',
  'error',
  'total',
  'cents',
  'today',
];
const NON_ASCII = ['Größe', 'café', '登山靴', '寝袋', 'テント', '✅', '🚚', '⛺', '🏔️', 'naïve', 'Zürich', '東京', '数量', '😀', 'ñandú', 'Ελλάδα', '👩‍💻'];
/** Words that stress escaping: quotes, backslashes, control characters, line separators. */
const TRICKY = ['"quoted"', 'C:\\Users\\dev\\notes.txt', 'tab\there', 'line\nbreak', '<b>bold</b>', '50%', 'a\u2028b', '{curly}', '[x]', "it's"];

const wordArb = fc.oneof(
  { weight: 16, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 2, arbitrary: fc.constantFrom(...NON_ASCII) },
  { weight: 1, arbitrary: fc.constantFrom(...TRICKY) },
);

function sentenceArb(minWords = 3, maxWords = 12): fc.Arbitrary<string> {
  return fc.array(wordArb, { minLength: minWords, maxLength: maxWords }).map((words) => {
    const text = words.join(' ');
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  });
}

const proseArb = fc.array(sentenceArb(), { minLength: 1, maxLength: 3 }).map((sentences) => sentences.join(' '));
const shortArb = sentenceArb(2, 6);

const EPOCH = Date.UTC(2026, 2, 14, 9, 30);
const dateArb = fc.integer({ min: 0, max: 86_400 * 60 }).map((seconds) => new Date(EPOCH + seconds * 1000).toISOString());
const hexArb = (length: number): fc.Arbitrary<string> => fc.array(fc.constantFrom(...'0123456789abcdef'), { minLength: length, maxLength: length }).map((chars) => chars.join(''));
const priceArb = fc.integer({ min: 99, max: 49_999 }).map((cents) => cents / 100);
const productArb = fc.constantFrom(
  'Ridgeline 2P Tent',
  'Summit 45L Pack',
  'Trailhead Boots',
  '登山靴 Alpine GTX',
  'Down Sleeping Bag −5°C',
  'Camp Stove',
  'Headlamp 400',
  'Rain Shell ☔',
);
const personArb = fc.constantFrom('Dana Kim', 'José Álvarez', '田中 さくら', 'Priya Nair', 'Ola Nordmann', 'Chen Wei');

// ---------------------------------------------------------------------------
// Tool outputs: JSON records of a few kinds, log lines, shell output, files

const lineItemArb = fc.record({
  sku: fc.integer({ min: 10_000, max: 99_999 }).map((n) => `SKU-${n}`),
  name: productArb,
  qty: fc.integer({ min: 1, max: 5 }),
  unit_price: priceArb,
});

const orderArb = asGen(
  fc.record(
    {
      order_id: fc.integer({ min: 1000, max: 99_999 }).map((n) => `A-${n}`),
      status: fc.constantFrom('pending', 'shipped', 'delivered', 'refunded', 'on_hold'),
      customer: fc.record({ id: fc.integer({ min: 1, max: 999_999 }), name: personArb, tier: fc.constantFrom('basic', 'plus', 'pro') }),
      items: fc.array(lineItemArb, { minLength: 1, maxLength: 2 }),
      total: priceArb,
      currency: fc.constantFrom('USD', 'EUR', 'JPY'),
      created_at: dateArb,
      note: shortArb,
      shipping: fc.option(fc.record({ carrier: fc.constantFrom('UPS', 'DHL', 'ヤマト運輸'), tracking: hexArb(12), eta: dateArb }), { nil: null }),
    },
    { requiredKeys: ['order_id', 'status', 'customer', 'items', 'total', 'currency', 'created_at'] },
  ),
);

const logRecordArb = asGen(
  fc.record(
    {
      ts: dateArb,
      level: fc.constantFrom('debug', 'info', 'warn', 'error'),
      service: fc.constantFrom('checkout', 'billing', 'inventory', 'gateway'),
      message: shortArb,
      trace_id: hexArb(16),
      duration_ms: fc.integer({ min: 0, max: 30_000 }),
    },
    { requiredKeys: ['ts', 'level', 'service', 'message'] },
  ),
);

const fileRecordArb = asGen(
  fc.record({
    path: fc.constantFrom('src/billing/invoice.ts', 'src/billing/tax.ts', 'README.md', 'docs/設計.md', 'test/invoice.test.ts', 'package.json'),
    size: fc.integer({ min: 0, max: 200_000 }),
    modified: dateArb,
    kind: fc.constantFrom('file', 'dir', 'symlink'),
  }),
);

const podRecordArb = asGen(
  fc.record(
    {
      name: fc.tuple(fc.constantFrom('checkout', 'billing', 'gateway'), hexArb(5)).map(([app, id]) => `${app}-7d9f-${id}`),
      namespace: fc.constantFrom('shop', 'default', 'payments'),
      phase: fc.constantFrom('Running', 'Pending', 'CrashLoopBackOff'),
      restarts: fc.integer({ min: 0, max: 40 }),
      labels: fc.record({ app: fc.constantFrom('checkout', 'billing'), tier: fc.constantFrom('web', 'worker') }),
      containers: fc.array(fc.record({ image: fc.constantFrom('acme/checkout:1.4.2', 'acme/billing:2.0.0'), ready: fc.boolean() }), { minLength: 1, maxLength: 2 }),
    },
    { requiredKeys: ['name', 'namespace', 'phase', 'restarts', 'labels', 'containers'] },
  ),
);

const searchHitArb = asGen(
  fc.record({
    title: shortArb,
    url: fc.constantFrom('https://example.com/tents', 'https://docs.example.org/billing/rounding', 'https://例え.jp/登山'),
    score: fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000),
    snippet: proseArb,
  }),
);

const metricsArb = asGen(
  fc.record({
    metric: fc.constantFrom('http_request_duration_seconds', 'queue_depth', 'cpu_usage'),
    unit: fc.constantFrom('s', 'count', 'cores'),
    points: fc.array(
      fc.tuple(
        fc.integer({ min: 1_773_000_000, max: 1_774_000_000 }),
        fc.integer({ min: 0, max: 10_000 }).map((n) => n / 100),
      ),
      { minLength: 1, maxLength: 12 },
    ),
  }),
);

const recordArb: fc.Arbitrary<GenObject> = fc.oneof(
  withRareBigId(orderArb, 'external_id', 6),
  withRareBigId(logRecordArb, 'event_id', 6),
  fileRecordArb,
  withRareBigId(podRecordArb, 'uid', 6),
  searchHitArb,
  metricsArb,
);

const tinyJsonArb: fc.Arbitrary<Gen> = fc.oneof(
  fc.constantFrom<Gen>({ ok: true }, {}, [], { count: 0, items: [] }, { status: 'ok', code: 200 }, [1, 2, 3], { message: 'Not found ✗' }),
  bigIdArb.map((id): Gen => ({ id, created: true })),
);

const envelopeArb: fc.Arbitrary<Gen> = asGen(
  fc.record(
    {
      results: fc.array(recordArb, { minLength: 2, maxLength: 8 }),
      total: fc.integer({ min: 12, max: 5000 }),
      page: fc.integer({ min: 1, max: 9 }),
      next_cursor: fc.option(hexArb(20), { nil: null }),
      request_id: hexArb(24),
      snowflake: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: bigIdArb }),
    },
    { requiredKeys: ['results', 'total', 'page', 'next_cursor'] },
  ),
);

/** Upper bound on a JSON tool output pretty-printed with 4 spaces (~750 tokens). */
const MAX_JSON_OUTPUT = 3000;

/** JSON tool output values, from a few bytes to ~3 KB pretty-printed. */
const jsonValueArb: fc.Arbitrary<Gen> = fc
  .oneof(
    { weight: 3, arbitrary: tinyJsonArb },
    { weight: 4, arbitrary: recordArb },
    { weight: 3, arbitrary: fc.array(recordArb, { minLength: 1, maxLength: 4 }) },
    { weight: 2, arbitrary: envelopeArb },
  )
  .filter((value) => jsonLength(value, 4) <= MAX_JSON_OUTPUT);

const logLineArb = fc
  .tuple(dateArb, fc.constantFrom('INFO', 'WARN', 'ERROR', 'DEBUG'), fc.constantFrom('checkout', 'billing', 'gateway'), sentenceArb(2, 8))
  .map(([ts, level, service, message]) => `${ts} ${level.padEnd(5)} [${service}] ${message}`);

const CODE_LINES = [
  "import { taxFor } from './tax.js';",
  'export function invoiceTotal(items: LineItem[], region: string): number {',
  '  let subtotal = 0;',
  '  for (const item of items) subtotal += item.unitPrice * item.quantity;',
  '  return Math.round((subtotal + taxFor(subtotal, region)) * 100) / 100;',
  '}',
  '// 税込み合計を計算する',
  '',
];

const textOutputArb: fc.Arbitrary<string> = fc.oneof(
  fc.array(logLineArb, { minLength: 1, maxLength: 20 }).map((lines) => lines.join('\n')),
  fc
    .tuple(fc.constantFrom(0, 0, 1, 2), fc.integer({ min: 1, max: 90 }), fc.array(logLineArb, { minLength: 0, maxLength: 6 }))
    .map(([code, tenths, lines]) => `Exit code: ${code}\nWall time: ${tenths / 10} seconds\nOutput:\n${lines.join('\n')}`),
  fc.array(fc.constantFrom(...CODE_LINES), { minLength: 1, maxLength: 30 }).map((lines) => lines.map((line, i) => `${String(i + 1).padStart(6)}→${line}`).join('\n')),
  proseArb,
);

/**
 * A tool's output. `json` is the value itself rendered at `layout`; `text` is
 * plain text; `mixed` is text followed by a JSON rendering (not JSON as a whole).
 */
interface ToolOutput {
  kind: 'json' | 'text' | 'mixed';
  value: Gen;
  layout: Indent;
  text: string;
  isError: boolean;
}

const layoutArb = fc.constantFrom<Indent>(2, 2, 4, 4, '\t', 0);

const toolOutputArb: fc.Arbitrary<ToolOutput> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('json' as const), value: jsonValueArb, layout: layoutArb, text: fc.constant(''), isError: fc.constant(false) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('text' as const), value: fc.constant(null), layout: fc.constant<Indent>(0), text: textOutputArb, isError: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('mixed' as const),
      value: recordArb,
      layout: fc.constantFrom<Indent>(2, 4),
      text: fc.constantFrom('Found 1 match:', 'Result:', 'Response body (200 OK):', '結果:'),
      isError: fc.constant(false),
    }),
  },
);

function renderOutput(output: ToolOutput, writer: Writer): string {
  switch (output.kind) {
    case 'json':
      return writer.json(output.value, output.layout);
    case 'text':
      return output.text;
    case 'mixed':
      return `${output.text}\n${writer.json(output.value, output.layout)}`;
  }
}

// ---------------------------------------------------------------------------
// User text (sometimes with pretty JSON, which optimize must leave alone)

interface UserText {
  lead: string;
  json: Gen | null;
  layout: Indent;
  fenced: boolean;
}

const userTextArb: fc.Arbitrary<UserText> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ lead: proseArb, json: fc.constant(null), layout: fc.constant<Indent>(0), fenced: fc.constant(false) }) },
  { weight: 1, arbitrary: fc.record({ lead: proseArb, json: recordArb as fc.Arbitrary<Gen>, layout: fc.constantFrom<Indent>(2, 4, '\t'), fenced: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ lead: fc.constant(''), json: jsonValueArb, layout: fc.constantFrom<Indent>(2, 4), fenced: fc.constant(false) }) },
);

function renderUser(user: UserText, writer: Writer): string {
  if (user.json === null) return user.lead;
  const json = writer.json(user.json, user.layout);
  if (!user.lead) return json;
  return user.fenced ? `${user.lead}\n\n\`\`\`json\n${json}\n\`\`\`` : `${user.lead}\n${json}`;
}

// ---------------------------------------------------------------------------
// Tools the conversations can call

interface ToolSpec {
  name: string;
  description: string;
  properties: GenObject;
  required: string[];
  /** Example arguments a model would send. */
  args: GenObject[];
}

const TOOLS: readonly ToolSpec[] = [
  {
    name: 'get_order',
    description: 'Look up an order by its number.',
    properties: { order_id: { type: 'string', description: 'Order number, e.g. A-20417' } },
    required: ['order_id'],
    args: [{ order_id: 'A-20417' }, { order_id: 'A-1042' }, { order_id: 'A-77310' }],
  },
  {
    name: 'search_products',
    description: 'Search the catalog.',
    properties: { query: { type: 'string' }, limit: { type: 'integer' } },
    required: ['query'],
    args: [{ query: 'waterproof tent', limit: 5 }, { query: '登山靴 size 42' }, { query: 'stove "butane"', limit: 20 }],
  },
  {
    name: 'read_file',
    description: 'Read a file from the repository.',
    properties: { path: { type: 'string' } },
    required: ['path'],
    args: [{ path: 'src/billing/invoice.ts' }, { path: 'config/settings.json' }, { path: 'docs/設計.md' }],
  },
  {
    name: 'run_shell',
    description: 'Run a shell command in the workspace and return its output.',
    properties: { command: { type: 'string' }, timeout_ms: { type: 'integer' } },
    required: ['command'],
    args: [{ command: 'npm test -- invoice' }, { command: 'kubectl get pods -n shop -o json', timeout_ms: 20_000 }, { command: 'grep -rn "round(" src' }],
  },
  {
    name: 'list_pods',
    description: 'List Kubernetes pods in a namespace.',
    properties: { namespace: { type: 'string' }, selector: { type: 'string' } },
    required: ['namespace'],
    args: [{ namespace: 'shop' }, { namespace: 'payments', selector: 'app=billing' }],
  },
  {
    name: 'query_logs',
    description: 'Query service logs.',
    properties: { service: { type: 'string' }, since: { type: 'string' }, level: { type: 'string', enum: ['info', 'warn', 'error'] } },
    required: ['service'],
    args: [
      { service: 'checkout', since: '1h' },
      { service: 'billing', level: 'error', since: '15m' },
    ],
  },
  {
    name: 'get_weather',
    description: 'Mountain forecast for a location.',
    properties: { city: { type: 'string' }, days: { type: 'integer' } },
    required: ['city'],
    args: [{ city: 'Zürich', days: 2 }, { city: '東京' }, { city: 'Mount Hood, OR', days: 3 }],
  },
  {
    name: 'lookup_customer',
    description: 'Find a customer by email address.',
    properties: { email: { type: 'string' } },
    required: ['email'],
    args: [{ email: 'dana@example.com' }, { email: 'sakura.tanaka@example.jp' }],
  },
];

function schemaOf(tool: ToolSpec): GenObject {
  return { type: 'object', properties: tool.properties, required: tool.required };
}

// ---------------------------------------------------------------------------
// The format-neutral plan

interface CallPlan {
  tool: number;
  arg: number;
  output: ToolOutput;
  style: number;
}

interface RoundPlan {
  preamble: string | null;
  calls: CallPlan[];
  style: number;
}

interface TurnPlan {
  user: UserText;
  rounds: RoundPlan[];
  reply: string;
  style: number;
}

interface Plan {
  seed: number;
  system: string;
  /** Indices into TOOLS (unique). */
  tools: number[];
  turns: TurnPlan[];
  /** A raw 64-bit integer for an unknown top-level field, or null. */
  seq: bigint | null;
  trace: GenObject | null;
  /** Random bits deciding layout choices the renderers make. */
  style: number;
}

const styleArb = fc.integer({ min: 0, max: 0x3fffffff });

/** Bit `bit` of a style word. */
function flag(style: number, bit: number): boolean {
  return ((style >>> bit) & 1) === 1;
}

/** A choice among `n` from the byte of `style` starting at `shift`. */
function choice(style: number, shift: number, n: number): number {
  return ((style >>> shift) & 0xff) % n;
}

function pickFrom<T>(items: readonly T[], style: number, shift: number): T {
  return items[choice(style, shift, items.length)] as T;
}

const callArb: fc.Arbitrary<CallPlan> = fc.record({ tool: fc.nat(99), arg: fc.nat(99), output: toolOutputArb, style: styleArb });

const roundArb: fc.Arbitrary<RoundPlan> = fc.record({
  preamble: fc.option(shortArb, { nil: null, freq: 2 }),
  calls: fc.oneof({ weight: 3, arbitrary: fc.array(callArb, { minLength: 1, maxLength: 1 }) }, { weight: 1, arbitrary: fc.array(callArb, { minLength: 2, maxLength: 3 }) }),
  style: styleArb,
});

const turnArb: fc.Arbitrary<TurnPlan> = fc.record({
  user: userTextArb,
  rounds: fc.oneof(
    { weight: 3, arbitrary: fc.constant<RoundPlan[]>([]) },
    { weight: 3, arbitrary: fc.array(roundArb, { minLength: 1, maxLength: 1 }) },
    { weight: 1, arbitrary: fc.array(roundArb, { minLength: 2, maxLength: 2 }) },
  ),
  reply: proseArb,
  style: styleArb,
});

const systemArb = fc
  .tuple(
    fc.constantFrom(
      'You are ShopBot, the support assistant for Acme Outdoor.',
      'You are a coding agent working in the acme-shop repository.',
      'あなたはAcme Outdoorのサポート担当です。',
    ),
    proseArb,
  )
  .map(([intro, rules]) => `${intro} ${rules}`);

const traceArb: fc.Arbitrary<GenObject> = asGen(
  fc.record({
    span_id: fc.oneof({ weight: 2, arbitrary: hexArb(16).map((s): Gen => s) }, { weight: 1, arbitrary: bigIdArb }),
    sampled: fc.boolean(),
    tags: fc.array(fc.constantFrom('replay', 'canary', 'eu-west'), { maxLength: 2 }),
  }),
);

function planArb(options: { maxTurns: number }): fc.Arbitrary<Plan> {
  return fc.record({
    seed: fc.nat(),
    system: systemArb,
    tools: fc.uniqueArray(fc.integer({ min: 0, max: TOOLS.length - 1 }), { minLength: 1, maxLength: 5 }),
    turns: fc.oneof(
      { weight: 4, arbitrary: fc.array(turnArb, { minLength: 1, maxLength: Math.min(2, options.maxTurns) }) },
      { weight: 1, arbitrary: fc.array(turnArb, { minLength: 1, maxLength: options.maxTurns }) },
    ),
    seq: fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: bigIdArb }),
    trace: fc.option(traceArb, { nil: null, freq: 2 }),
    style: styleArb,
  });
}

function toolOf(plan: Plan, call: CallPlan): ToolSpec {
  return TOOLS[plan.tools[call.tool % plan.tools.length] as number] as ToolSpec;
}

function argsOf(tool: ToolSpec, call: CallPlan): GenObject {
  return tool.args[call.arg % tool.args.length] as GenObject;
}

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Unique, random-looking ids: `prefix` + a counter in base 62 + seed-derived filler. */
function idMaker(prefix: string, seed: number, length: number): () => string {
  let counter = 0;
  return () => {
    const n = counter++;
    let out = `${B62[n % 62]}${B62[Math.floor(n / 62) % 62]}`;
    let x = (seed ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0;
    while (out.length < length) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      out += B62[(x >>> 16) % 62];
    }
    return prefix + out;
  };
}

function uuidMaker(seed: number): () => string {
  const next = idMaker('', seed, 32);
  return () => {
    const h = [...next()].map((c) => (B62.indexOf(c) % 16).toString(16)).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
}

function clockFrom(seed: number): () => string {
  let t = EPOCH + (seed % 86_400) * 1000;
  return () => {
    t += 700 + (t % 1900);
    return new Date(t).toISOString();
  };
}

/** Whether this is the last turn (a request ends with the user's side, not a reply). */
function isLast<T>(items: readonly T[], index: number): boolean {
  return index === items.length - 1;
}

/** An unknown field to put on one message / block / line: `x_trace` or `metadata`. */
function extraField(plan: Plan, index: number): [string, Gen] {
  return flag(plan.style, 20)
    ? ['x_trace', { hop: index, span: `sp-${(plan.seed % 9999).toString(16)}`, sampled: true }]
    : ['metadata', { source: 'replay', turn: index, labels: ['ops', '🚦'] }];
}

/** Adds an unknown field to one of the objects, chosen by the plan. */
function decorate(plan: Plan, objects: GenObject[], shift: number): void {
  if (objects.length === 0 || !flag(plan.style, shift)) return;
  const index = choice(plan.style, shift + 1, objects.length);
  const [key, value] = extraField(plan, index);
  (objects[index] as GenObject)[key] = value;
}

/** Unknown top-level fields: a trace object and a 64-bit sequence number. */
function topLevelExtras(plan: Plan): GenObject {
  const extras: GenObject = {};
  if (plan.trace) extras['x_trace'] = plan.trace;
  if (plan.seq !== null) extras['request_seq'] = plan.seq;
  return extras;
}

// ---------------------------------------------------------------------------
// Request bodies

function renderBody(format: GeneratedBodyFormat, plan: Plan, writer: Writer): GenObject {
  switch (format) {
    case 'openai-chat':
      return renderChat(plan, writer);
    case 'openai-responses':
      return renderResponses(plan, writer);
    case 'anthropic':
      return renderAnthropic(plan, writer);
    case 'gemini':
      return renderGemini(plan, writer);
  }
}

function renderChat(plan: Plan, writer: Writer): GenObject {
  const nextId = idMaker('call_', plan.seed, 24);
  const messages: GenObject[] = [];
  const systemRole = flag(plan.style, 0) ? 'developer' : 'system';
  messages.push({ role: systemRole, content: flag(plan.style, 1) ? [{ type: 'text', text: plan.system }] : plan.system });
  plan.turns.forEach((turn, t) => {
    const text = renderUser(turn.user, writer);
    const user: GenObject = { role: 'user', content: flag(turn.style, 0) ? [{ type: 'text', text }] : text };
    if (flag(turn.style, 1)) user['name'] = 'dana_k';
    messages.push(user);
    for (const round of turn.rounds) {
      const calls = round.calls.map((call) => ({ call, id: nextId(), tool: toolOf(plan, call) }));
      const assistant: GenObject = { role: 'assistant' };
      if (round.preamble !== null) assistant['content'] = round.preamble;
      else if (flag(round.style, 0)) assistant['content'] = null;
      assistant['tool_calls'] = calls.map(({ call, id, tool }) => ({ id, type: 'function', function: { name: tool.name, arguments: JSON.stringify(argsOf(tool, call)) } }));
      messages.push(assistant);
      for (const { call, id } of calls) {
        const output = renderOutput(call.output, writer);
        const content: Gen = flag(call.style, 0) ? chatTextParts(output, call.style) : output;
        messages.push({ role: 'tool', tool_call_id: id, content });
      }
    }
    if (!isLast(plan.turns, t)) messages.push({ role: 'assistant', content: turn.reply });
  });
  decorate(plan, messages, 2);

  const body: GenObject = { model: pickFrom(['gpt-4o', 'gpt-4.1-mini', 'gpt-5'], plan.style, 4) };
  if (flag(plan.style, 12)) body['temperature'] = 0.2;
  body['messages'] = messages;
  body['tools'] = plan.tools.map((index) => {
    const tool = TOOLS[index] as ToolSpec;
    return { type: 'function', function: { name: tool.name, description: tool.description, parameters: schemaOf(tool) } };
  });
  if (flag(plan.style, 13)) body['tool_choice'] = 'auto';
  if (flag(plan.style, 14)) body['parallel_tool_calls'] = true;
  return { ...body, ...topLevelExtras(plan) };
}

/** A chat tool message as text parts: one part, or split after the first line. */
function chatTextParts(output: string, style: number): Gen {
  const newline = output.indexOf('\n');
  if (!flag(style, 1) || newline <= 0 || newline === output.length - 1) return [{ type: 'text', text: output }];
  return [
    { type: 'text', text: output.slice(0, newline) },
    { type: 'text', text: output.slice(newline + 1) },
  ];
}

function renderResponses(plan: Plan, writer: Writer): GenObject {
  const nextCall = idMaker('call_', plan.seed, 24);
  const nextItem = idMaker('', plan.seed + 1, 40);
  const body: GenObject = { model: pickFrom(['gpt-5', 'o4-mini', 'gpt-4.1'], plan.style, 4) };
  const items: GenObject[] = [];
  // The system prompt: `instructions`, or a developer message first in the input.
  if (flag(plan.style, 0)) items.push({ role: 'developer', content: plan.system });
  else body['instructions'] = plan.system;
  let usedReasoning = false;
  // A lone user turn can be sent as `input: "text"`.
  const first = plan.turns[0] as TurnPlan;
  const inputAsText = plan.turns.length === 1 && first.rounds.length === 0 && items.length === 0 && flag(plan.style, 8);

  (inputAsText ? [] : plan.turns).forEach((turn, t) => {
    const text = renderUser(turn.user, writer);
    items.push(flag(turn.style, 0) ? { role: 'user', content: text } : { type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
    for (const round of turn.rounds) {
      if (flag(round.style, 1)) {
        usedReasoning = true;
        items.push({
          type: 'reasoning',
          id: `rs_${nextItem()}`,
          summary: [{ type: 'summary_text', text: `**${round.preamble ?? 'Checking the data'}**` }],
          encrypted_content: `gAAAAA${nextItem()}${nextItem()}==`,
        });
      }
      if (round.preamble !== null) items.push(assistantItem(round.preamble, `msg_${nextItem()}`));
      const calls = round.calls.map((call) => ({ call, callId: nextCall(), tool: toolOf(plan, call) }));
      const callItems = calls.map(({ call, callId, tool }): GenObject => {
        const item: GenObject = { type: 'function_call' };
        if (flag(round.style, 2)) item['id'] = `fc_${nextItem()}`;
        return { ...item, call_id: callId, name: tool.name, arguments: JSON.stringify(argsOf(tool, call)) };
      });
      const outputItems = calls.map(({ call, callId }): GenObject => {
        const output = renderOutput(call.output, writer);
        return { type: 'function_call_output', call_id: callId, output: flag(call.style, 0) ? [{ type: 'input_text', text: output }] : output };
      });
      // Parallel calls: all calls then all outputs, or each call followed by its output.
      if (flag(round.style, 3)) callItems.forEach((item, i) => items.push(item, outputItems[i] as GenObject));
      else items.push(...callItems, ...outputItems);
    }
    if (!isLast(plan.turns, t)) items.push(assistantItem(turn.reply, `msg_${nextItem()}`));
  });
  decorate(plan, items, 2);

  body['input'] = inputAsText ? renderUser(first.user, writer) : items;
  body['tools'] = [
    ...plan.tools.map((index): Gen => {
      const tool = TOOLS[index] as ToolSpec;
      return { type: 'function', name: tool.name, description: tool.description, parameters: schemaOf(tool), strict: false };
    }),
    ...(flag(plan.style, 9) ? [{ type: 'web_search' }] : []),
  ];
  if (usedReasoning) {
    body['include'] = ['reasoning.encrypted_content'];
    body['store'] = false;
  }
  if (flag(plan.style, 14)) body['parallel_tool_calls'] = true;
  if (flag(plan.style, 15)) body['max_output_tokens'] = 2048;
  return { ...body, ...topLevelExtras(plan) };
}

function assistantItem(text: string, id: string): GenObject {
  return { type: 'message', id, role: 'assistant', status: 'completed', content: [{ type: 'output_text', annotations: [], text }] };
}

function renderAnthropic(plan: Plan, writer: Writer): GenObject {
  const nextId = idMaker('toolu_01', plan.seed, 22);
  const messages: GenObject[] = [];
  const blocks: GenObject[] = [];
  /** Candidates for late cache breakpoints. */
  const late: { toolResult: GenObject | null; userText: GenObject | null } = { toolResult: null, userText: null };

  plan.turns.forEach((turn, t) => {
    const text = renderUser(turn.user, writer);
    if (flag(turn.style, 0)) {
      messages.push({ role: 'user', content: text });
    } else {
      const block: GenObject = { type: 'text', text };
      blocks.push(block);
      late.userText = block;
      messages.push({ role: 'user', content: [block] });
    }
    turn.rounds.forEach((round, r) => {
      const content: GenObject[] = [];
      if (round.preamble !== null) content.push({ type: 'text', text: round.preamble });
      const calls = round.calls.map((call) => ({ call, id: nextId(), tool: toolOf(plan, call) }));
      for (const { call, id, tool } of calls) content.push({ type: 'tool_use', id, name: tool.name, input: argsOf(tool, call) });
      blocks.push(...content);
      messages.push({ role: 'assistant', content });

      const results: GenObject[] = calls.map(({ call, id }) => {
        const result: GenObject = { type: 'tool_result', tool_use_id: id, content: anthropicResultContent(renderOutput(call.output, writer), call) };
        if (call.output.isError) result['is_error'] = true;
        return result;
      });
      late.toolResult = results[results.length - 1] ?? null;
      blocks.push(...results);
      // Sometimes the user adds a note after the results (results still come first).
      const note: GenObject[] = isLast(plan.turns, t) && isLast(turn.rounds, r) && flag(round.style, 4) ? [{ type: 'text', text: 'Continue, please.' }] : [];
      if (note[0]) late.userText = note[0];
      messages.push({ role: 'user', content: [...results, ...note] });
    });
    if (!isLast(plan.turns, t)) {
      messages.push(flag(turn.style, 2) ? { role: 'assistant', content: turn.reply } : { role: 'assistant', content: [{ type: 'text', text: turn.reply }] });
    }
  });
  decorate(plan, messages, 2);
  decorate(plan, blocks, 10);

  // Cache breakpoints (at most four): tools, system, a late tool_result, the last user text.
  const tools: GenObject[] = plan.tools.map((index) => {
    const tool = TOOLS[index] as ToolSpec;
    return { name: tool.name, description: tool.description, input_schema: schemaOf(tool) };
  });
  if (flag(plan.style, 16)) (tools[tools.length - 1] as GenObject)['cache_control'] = { type: 'ephemeral' };
  if (flag(plan.style, 9)) tools.push({ type: 'web_search_20250305', name: 'web_search', max_uses: 3 });
  if (late.toolResult && flag(plan.style, 17)) late.toolResult['cache_control'] = { type: 'ephemeral' };
  if (late.userText && flag(plan.style, 18)) late.userText['cache_control'] = { type: 'ephemeral' };

  let system: Gen = plan.system;
  if (flag(plan.style, 0)) {
    const block: GenObject = { type: 'text', text: plan.system };
    // A 1-hour breakpoint must not follow a 5-minute one; only the tools come before the system.
    if (flag(plan.style, 1)) block['cache_control'] = flag(plan.style, 19) && !flag(plan.style, 16) ? { type: 'ephemeral', ttl: '1h' } : { type: 'ephemeral' };
    system = [block];
  }

  const body: GenObject = {
    model: pickFrom(['claude-sonnet-4-5-20250929', 'claude-opus-4-1', 'claude-haiku-4-5'], plan.style, 4),
    max_tokens: pickFrom([1024, 4096, 8192], plan.style, 24),
    system,
    messages,
    tools,
  };
  if (flag(plan.style, 13)) body['tool_choice'] = { type: 'auto' };
  if (flag(plan.style, 12)) body['metadata'] = { user_id: `user-${plan.seed % 10_000}` };
  return { ...body, ...topLevelExtras(plan) };
}

/** tool_result content: a string, or text blocks (mixed output split into lead and JSON). */
function anthropicResultContent(output: string, call: CallPlan): Gen {
  if (!flag(call.style, 0)) return output;
  if (call.output.kind === 'mixed' && flag(call.style, 1)) {
    const newline = output.indexOf('\n');
    return [
      { type: 'text', text: output.slice(0, newline) },
      { type: 'text', text: output.slice(newline + 1) },
    ];
  }
  return flag(call.style, 2) && output.trim() !== ''
    ? [
        { type: 'text', text: output },
        { type: 'text', text: '(output truncated to 50 rows)' },
      ]
    : [{ type: 'text', text: output || '(empty)' }];
}

function renderGemini(plan: Plan, writer: Writer): GenObject {
  const nextId = idMaker('fc-', plan.seed, 12);
  const contents: GenObject[] = [];
  const parts: GenObject[] = [];
  plan.turns.forEach((turn, t) => {
    const userPart: GenObject = { text: renderUser(turn.user, writer) };
    parts.push(userPart);
    contents.push({ role: 'user', parts: [userPart] });
    for (const round of turn.rounds) {
      const modelParts: GenObject[] = [];
      if (round.preamble !== null) modelParts.push(flag(round.style, 5) ? { text: round.preamble, thought: true } : { text: round.preamble });
      const withIds = flag(round.style, 6);
      const calls = round.calls.map((call) => ({ call, id: withIds ? nextId() : null, tool: toolOf(plan, call) }));
      for (const { call, id, tool } of calls) {
        const functionCall: GenObject = { name: tool.name, args: argsOf(tool, call) };
        if (id) functionCall['id'] = id;
        modelParts.push({ functionCall });
      }
      contents.push({ role: 'model', parts: modelParts });
      const responseParts = calls.map(({ call, id, tool }): GenObject => {
        const functionResponse: GenObject = { name: tool.name, response: geminiResponse(call, writer) };
        if (id) functionResponse['id'] = id;
        return { functionResponse };
      });
      parts.push(...modelParts, ...responseParts);
      contents.push({ role: 'user', parts: responseParts });
    }
    if (!isLast(plan.turns, t)) contents.push({ role: 'model', parts: [{ text: turn.reply }] });
  });
  decorate(plan, contents, 2);
  decorate(plan, parts, 10);

  const tools: Gen[] = [
    {
      functionDeclarations: plan.tools.map((index): Gen => {
        const tool = TOOLS[index] as ToolSpec;
        return { name: tool.name, description: tool.description, parameters: schemaOf(tool) };
      }),
    },
  ];
  if (flag(plan.style, 9)) tools.push({ googleSearch: {} });
  const body: GenObject = {
    systemInstruction: flag(plan.style, 0) ? { role: 'user', parts: [{ text: plan.system }] } : { parts: [{ text: plan.system }] },
    contents,
    tools,
  };
  if (flag(plan.style, 13)) body['toolConfig'] = { functionCallingConfig: { mode: 'AUTO' } };
  if (flag(plan.style, 12)) body['generationConfig'] = { temperature: 0.4, maxOutputTokens: 1024 };
  return { ...body, ...topLevelExtras(plan) };
}

/** functionResponse.response: always an object, holding the output's JSON or its text. */
function geminiResponse(call: CallPlan, writer: Writer): GenObject {
  const { output } = call;
  const value = output.value;
  if (output.kind === 'json' && !flag(call.style, 3)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && flag(call.style, 4)) return value;
    return { result: value };
  }
  const text = renderOutput(output, writer);
  return output.isError ? { error: text } : { output: text };
}

// ---------------------------------------------------------------------------
// Claude Code session transcripts

const CLAUDE_MODEL = 'claude-sonnet-4-5-20250929';

function renderClaudeCode(plan: Plan, writer: Writer): { lines: string[]; sessionId: string } {
  const nextUuid = uuidMaker(plan.seed);
  const nextToolId = idMaker('toolu_01', plan.seed, 22);
  const nextMessageId = idMaker('msg_01', plan.seed + 7, 22);
  const nextRequestId = idMaker('req_011C', plan.seed + 13, 20);
  const tick = clockFrom(plan.seed);
  const sessionId = nextUuid();
  const lines: GenObject[] = [];
  const common: GenObject = { isSidechain: false, userType: 'external', cwd: '/home/dev/acme-shop', sessionId, version: '2.0.76', gitBranch: 'main' };
  let parent: string | null = null;
  // What the provider had cached at each call: the previous call's prompt (its messages, about 4 characters a
  // token), plus, in some sessions, the system prompt and tools Claude Code sends but does not record.
  const hidden = flag(plan.style, 8) ? 9000 + (plan.seed % 5000) : 0;
  let sentChars = 0;
  let previousPrompt = 0;
  const issued: string[] = [];

  if (flag(plan.style, 0)) lines.push({ type: 'summary', summary: 'Fix invoice half-cent rounding', leafUuid: nextUuid() });
  if (flag(plan.style, 1)) {
    const messageId = nextUuid();
    lines.push({ type: 'file-history-snapshot', messageId, snapshot: { messageId, trackedFileBackups: {}, timestamp: tick() }, isSnapshotUpdate: false });
  }

  /** Writes an entry under `parent` and makes it the new parent; returns its uuid. */
  const entry = (type: string, fields: GenObject): string => {
    const uuid = nextUuid();
    lines.push({ parentUuid: parent, ...common, type, ...fields, uuid, timestamp: tick() });
    parent = uuid;
    const message = fields['message'];
    if (message && typeof message === 'object' && !Array.isArray(message) && typeof message !== 'bigint') sentChars += jsonLength(message['content'] ?? '', 0);
    return uuid;
  };

  /** One API response, streamed as one chained line per content block; returns each block's entry uuid. */
  const response = (blocks: GenObject[], stop: 'tool_use' | 'end_turn'): string[] => {
    const id = nextMessageId();
    const requestId = nextRequestId();
    const cacheRead = hidden + previousPrompt;
    previousPrompt = Math.floor(sentChars / 4);
    const input = 3 + (cacheRead % 7);
    const creation = 200 + (cacheRead % 900);
    const uuids = blocks.map((block, i) => {
      const usage: GenObject = {
        input_tokens: input,
        cache_creation_input_tokens: creation,
        cache_read_input_tokens: cacheRead,
        cache_creation: { ephemeral_5m_input_tokens: creation, ephemeral_1h_input_tokens: 0 },
        output_tokens: 8 + i * 40,
        service_tier: 'standard',
      };
      const message: GenObject = {
        id,
        type: 'message',
        role: 'assistant',
        model: CLAUDE_MODEL,
        content: [block],
        stop_reason: i === blocks.length - 1 ? stop : null,
        stop_sequence: null,
        usage,
      };
      return entry('assistant', { message, requestId });
    });
    return uuids;
  };

  plan.turns.forEach((turn, t) => {
    if (t > 0 && issued.length > 0 && flag(turn.style, 4)) {
      // Microcompact: Claude Code clears old tool results and sends a placeholder instead from here on.
      const compactedToolIds = issued.slice(0, Math.ceil(issued.length / 2));
      entry('system', {
        subtype: 'microcompact_boundary',
        content: 'Context microcompacted',
        isMeta: false,
        level: 'info',
        microcompactMetadata: { trigger: 'auto', preTokens: 4000, tokensSaved: 3000, compactedToolIds },
      });
    }
    const userFields: GenObject = { message: { role: 'user', content: renderUser(turn.user, writer) } };
    if (t === 0 && plan.seq !== null) userFields['x_seq'] = plan.seq;
    entry('user', userFields);
    for (const round of turn.rounds) {
      const blocks: GenObject[] = [];
      if (flag(round.style, 5)) blocks.push({ type: 'thinking', thinking: 'Look at the data before answering.', signature: `Ep${nextToolId().slice(8)}==` });
      // Claude Code records streamed whitespace-only text blocks it does not send back.
      if (flag(round.style, 6)) blocks.push({ type: 'text', text: '\n\n' });
      if (round.preamble !== null) blocks.push({ type: 'text', text: round.preamble });
      const calls = round.calls.map((call) => ({ call, id: nextToolId(), tool: toolOf(plan, call) }));
      const firstCall = blocks.length;
      for (const { call, id, tool } of calls) blocks.push({ type: 'tool_use', id, name: tool.name, input: argsOf(tool, call) });
      const uuids = response(blocks, 'tool_use');
      // As Claude Code writes parallel calls: each result (and hook progress) hangs off the entry of its own
      // tool_use, results are written as the tools finish, and what follows hangs off the last one written.
      const order = calls.map((_call, i) => i);
      if (flag(round.style, 7)) order.reverse();
      for (const i of order) {
        const { call, id } = calls[i] as (typeof calls)[number];
        const toolEntry = uuids[firstCall + i] as string;
        issued.push(id);
        if (flag(call.style, 5)) {
          parent = toolEntry;
          entry('progress', { data: { type: 'hook_progress', hookEvent: 'PostToolUse', hookName: 'PostToolUse:*', command: 'echo ok' }, toolUseID: id, parentToolUseID: id });
        }
        const output = renderOutput(call.output, writer);
        const result: GenObject = { tool_use_id: id, type: 'tool_result', content: flag(call.style, 0) ? [{ type: 'text', text: output }] : output };
        if (call.output.isError) result['is_error'] = true;
        parent = toolEntry;
        entry('user', { message: { role: 'user', content: [result] }, toolUseResult: { type: 'text', durationMs: 40 + (call.style % 900) }, sourceToolAssistantUUID: toolEntry });
      }
    }
    response([{ type: 'text', text: turn.reply }], 'end_turn');
    if (flag(turn.style, 3)) entry('system', { subtype: 'turn_duration', durationMs: 1000 + (turn.style % 60_000), isMeta: false });
  });
  return { lines: lines.map((line) => writer.json(line)), sessionId };
}

// ---------------------------------------------------------------------------
// Codex rollouts

function renderCodex(plan: Plan, writer: Writer): { lines: string[]; sessionId: string } {
  const sessionId = uuidMaker(plan.seed)();
  const nextCall = idMaker('call_', plan.seed, 12);
  const nextBlob = idMaker('', plan.seed + 3, 48);
  const tick = clockFrom(plan.seed);
  const lines: GenObject[] = [];
  const line = (type: string, payload: GenObject): void => {
    lines.push({ timestamp: tick(), type, payload });
  };
  const totals = { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0 };
  const rateLimits: GenObject = { primary: { used_percent: 11, window_minutes: 300, resets_in_seconds: 14_400 } };
  /** One API call: the cumulative totals move (so the parser sees a new call). */
  const tokenCount = (output: number, repeat: boolean): void => {
    const last = {
      input_tokens: 4000 + totals.output_tokens,
      cached_input_tokens: totals.input_tokens > 0 ? 3584 : 0,
      output_tokens: output,
      reasoning_output_tokens: Math.floor(output / 2),
    };
    totals.input_tokens += last.input_tokens;
    totals.cached_input_tokens += last.cached_input_tokens;
    totals.output_tokens += last.output_tokens;
    totals.reasoning_output_tokens += last.reasoning_output_tokens;
    const info: GenObject = {
      total_token_usage: { ...totals, total_tokens: totals.input_tokens + totals.output_tokens },
      last_token_usage: { ...last, total_tokens: last.input_tokens + last.output_tokens },
      model_context_window: 272_000,
    };
    line('event_msg', { type: 'token_count', info, rate_limits: rateLimits });
    // Codex repeats the count when only the rate limits changed: not a new call.
    if (repeat) line('event_msg', { type: 'token_count', info, rate_limits: { primary: { used_percent: 12, window_minutes: 300, resets_in_seconds: 14_000 } } });
  };

  const meta: GenObject = { id: sessionId, timestamp: tick(), cwd: '/home/dev/acme-shop', originator: 'codex_cli_rs', cli_version: '0.58.0' };
  if (flag(plan.style, 0)) meta['instructions'] = plan.system;
  else meta['base_instructions'] = { text: plan.system };
  if (plan.seq !== null) meta['x_seq'] = plan.seq;
  line('session_meta', meta);
  if (flag(plan.style, 1)) {
    line('response_item', {
      type: 'message',
      role: 'user',
      content: [{ type: 'input_text', text: '<environment_context>\n  <cwd>/home/dev/acme-shop</cwd>\n  <shell>bash</shell>\n</environment_context>' }],
    });
  }
  line('turn_context', {
    cwd: '/home/dev/acme-shop',
    approval_policy: 'on-request',
    sandbox_policy: { mode: 'workspace-write' },
    model: pickFrom(['gpt-5-codex', 'gpt-5'], plan.style, 4),
    effort: 'medium',
    summary: 'auto',
  });
  if (flag(plan.style, 2)) line('event_msg', { type: 'token_count', info: null, rate_limits: rateLimits });

  plan.turns.forEach((turn) => {
    const text = renderUser(turn.user, writer);
    line('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
    line('event_msg', { type: 'user_message', message: text, images: [] });
    for (const round of turn.rounds) {
      if (flag(round.style, 1)) {
        line('response_item', {
          type: 'reasoning',
          summary: [{ type: 'summary_text', text: `**${round.preamble ?? 'Inspecting the output'}**` }],
          content: null,
          encrypted_content: `gAAAAA${nextBlob()}==`,
        });
      }
      if (round.preamble !== null) line('response_item', { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: round.preamble }] });
      const calls = round.calls.map((call) => ({ call, callId: nextCall(), tool: toolOf(plan, call) }));
      for (const { call, callId, tool } of calls) {
        line('response_item', { type: 'function_call', name: tool.name, arguments: JSON.stringify(argsOf(tool, call)), call_id: callId });
      }
      tokenCount(40 + (round.style % 300), flag(round.style, 7));
      for (const { call, callId } of calls) {
        const output = renderOutput(call.output, writer);
        // Codex wraps shell output as {"output": …, "metadata": …} JSON text, or writes it plain.
        const wrapped = flag(call.style, 0) ? writer.json({ output, metadata: { exit_code: call.output.isError ? 1 : 0, duration_seconds: 0.4 } }) : output;
        line('response_item', { type: 'function_call_output', call_id: callId, output: wrapped });
      }
    }
    line('response_item', { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: turn.reply }] });
    line('event_msg', { type: 'agent_message', message: turn.reply });
    tokenCount(60 + (turn.style % 400), false);
  });
  return { lines: lines.map((value) => writer.json(value)), sessionId };
}
