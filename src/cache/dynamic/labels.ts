/**
 * Labelled values: `session: 7f3a…`, `"request_id": "abc-123"`,
 * `Current date: Monday`. The label says the value is dynamic even when its
 * shape does not. Only structural labels count — at the start of a line or
 * after `{`, `,`, `(`, `;`, `|` or a quote, followed by `:` or `=` — so the
 * same word in prose (`do it now: …`) is not a label.
 *
 * The reference matches 54 labels as substrings anywhere (`name` inside
 * `filename`, `key` inside `monkey`), which flags every tool definition's
 * `"name"`. Ours are the labels of values that change per request or
 * session; a built-in label's value must contain a digit (`session: 42`,
 * not `session: interactive`). The user's `extra_dynamic_labels` take any
 * value: the user said it changes.
 */

const BUILT_IN_LABELS: readonly string[] = [
  'session',
  'session id',
  'request id',
  'trace id',
  'span id',
  'correlation id',
  'transaction id',
  'conversation id',
  'run id',
  'nonce',
  'timestamp',
  'current date',
  'current time',
  "today's date",
  'today',
  'date',
  'time',
  'now',
  'last updated',
  'updated at',
  'created at',
  'generated at',
];

export interface LabelledValue {
  start: number;
  end: number;
  label: string;
}

/** The longest value a label is taken to cover; beyond that it is text, not a value. */
const MAX_VALUE_CHARS = 120;

export class LabelMatcher {
  private readonly regex: RegExp;
  private readonly extra: ReadonlySet<string>;

  constructor(extraLabels: readonly string[]) {
    const extra = extraLabels.map((label) => label.trim()).filter((label) => label.length > 0);
    this.extra = new Set(extra.map(normalizeLabel));
    // Longest first, so `session id` is preferred to `session`.
    const labels = [...new Set([...BUILT_IN_LABELS, ...extra])].sort((a, b) => b.length - a.length);
    const alternatives = labels
      .map((label) =>
        label
          .split(/[\s_-]+/)
          .map(escapeRegex)
          .join('[ _-]?'),
      )
      .join('|');
    this.regex = new RegExp(`(?:^|[\\n{,(;|"'])[ \\t]*(?:[-*][ \\t]+)?["']?((?:x-)?(?:${alternatives}))["']?[ \\t]*[:=][ \\t]*["']?([^\\n,;"'{}\\[\\]]+)`, 'gi');
  }

  find(text: string): LabelledValue[] {
    const found: LabelledValue[] = [];
    this.regex.lastIndex = 0;
    for (let match = this.regex.exec(text); match; match = this.regex.exec(text)) {
      const label = match[1] ?? '';
      const raw = match[2] ?? '';
      const value = raw.replace(/[\s.]+$/, '');
      const leading = raw.length - raw.trimStart().length;
      const trimmed = value.trimStart();
      if (trimmed.length === 0 || trimmed.length > MAX_VALUE_CHARS) continue;
      const isExtra = this.extra.has(normalizeLabel(label.replace(/^x-/i, '')));
      if (!isExtra && !/\d/.test(trimmed)) continue;
      const start = match.index + match[0].length - raw.length + leading;
      found.push({ start, end: start + trimmed.length, label });
      // The value may itself end where the next label starts (`a: 1, b: 2`): resume right after it.
      this.regex.lastIndex = start + trimmed.length;
    }
    return found;
  }
}

function normalizeLabel(label: string): string {
  return label.toLowerCase().replace(/[\s_-]+/g, ' ');
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
