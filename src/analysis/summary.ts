/**
 * Folds request reports into one run summary: totals, waste, recorded usage,
 * cache behaviour, the biggest offenders and a row per input file.
 *
 * The summary is built incrementally so requests can stream through; the
 * per-content maps it keeps are pruned to their largest entries, so memory
 * stays bounded however long the input is.
 */
import { CacheForensicsCollector, type CacheForensicsReport } from './cache-forensics.js';
import { usageReport, type AnalyzedRequest } from './request-analysis.js';
import { emptyContentKindTotals, emptyKindTokens, type ContentKindTotals, KIND_COLUMNS, type KindTokens, type Location, type RequestReport, type UsageReport } from './report-types.js';
import { emptyWaste, wasteTotal, WASTE_KEYS, type WasteCounts } from './waste/types.js';
import type { EncodingName } from '../tokens/models.js';
import { emptyUsage } from '../formats/types.js';

/** Content sent to the model, ranked by the tokens it cost over the whole run. */
export interface OffenderReport {
  kind: string;
  tool: string | null;
  file_path: string | null;
  /** Tokens of one copy (text plus framing). */
  tokens_each: number;
  /** How many requests sent it. */
  times_sent: number;
  /** tokens_each × times_sent. */
  tokens_total: number;
  /** Waste found inside one copy. */
  waste_each: number;
  first_seen: Location;
  first_request: string;
  preview: string;
}

export interface RunUsageReport extends Omit<UsageReport, 'iterations'> {
  requests_with_usage: number;
  /**
   * Requests whose recorded usage sums server-side iterations (Anthropic
   * compaction), and the iterations by type; null when no request had any.
   */
  server_iterations: { requests: number; by_type: Record<string, number> } | null;
  /** cache_read ÷ prompt: the share of the prompt served from the provider's cache. */
  cache_read_share: number;
  /** Our estimate for the same requests, to compare with what the provider recorded. */
  estimated_prompt: number;
}

export interface FileRow {
  file: string;
  requests: number;
  tokens: number;
  waste: number;
  usage: RunUsageReport | null;
}

export interface AuditSummary {
  type: 'summary';
  /** Version of this JSON shape; bumped only for incompatible changes. */
  schema: 1;
  tokenizer: { encodings: EncodingName[]; estimate: boolean };
  requests: number;
  /** Requests per input format (`claude-code`, `openai-chat`, …). */
  formats: Record<string, number>;
  conversations: number;
  files: number;
  problems: { errors: number; notes: number };
  tokens: {
    total: number;
    by_kind: KindTokens;
    /** Kinds whose count is an estimate in at least one request (see the request's `estimated_kinds`). */
    estimated_kinds: Array<keyof KindTokens>;
    average_per_request: number;
    largest_request: { id: string; tokens: number; where: Location } | null;
    media: number;
    opaque_bytes: number;
  };
  waste: WasteCounts & { total: number; share: number };
  usage: RunUsageReport | null;
  cache: {
    /** Requests compared with the previous request of their conversation. */
    requests_compared: number;
    /** How many of those had a different prefix (tools + system) than the call before. */
    prefix_changes: number;
    /** Of the compared requests, those whose prefix matched the call before (the provider could read it from cache). */
    estimated_cache_hits: number;
    /** Most dynamic values seen in one request's prefix. */
    max_dynamic_values: number;
    /** The lowest `cache_alignment_score` (0-1) of any request; null when there were none. */
    min_cache_alignment_score: number | null;
    /** Credentials found in prefixes (counted per request that sent them). */
    secrets: number;
  };
  /**
   * Cache forensics over recorded usage, per conversation and per call: hit
   * rate, every call that read less from the cache than the call before had
   * cached and its likely cause, what that cost, and the hidden prefix.
   * Null when no request recorded its usage.
   */
  cache_forensics: CacheForensicsReport | null;
  top_offenders: OffenderReport[];
  largest_tool_outputs: OffenderReport[];
  stale_reads: {
    /** Distinct file reads made stale by a later read or edit. */
    count: number;
    /** Tokens spent resending stale reads, over all requests that carried them. */
    tokens: number;
    top: StaleReadSummary[];
  };
  budget: { limit: number; exceeded: number; worst: { id: string; tokens: number; basis: string } | null } | null;
  by_file: FileRow[];
  /**
   * Tool outputs by detected content kind, every kind present: a tool output
   * sent in several requests counts in each, like its tokens.
   */
  tool_outputs_by_kind: ContentKindTotals;
}

export interface StaleReadSummary {
  file_path: string;
  reason: string;
  tokens_each: number;
  times_sent: number;
  where: Location;
}

export interface SummaryOptions {
  topOffenders: number;
  budgetTokens: number | null;
}

/** When a ranking map grows past this, it is pruned to its largest entries. */
const RANKING_SOFT_LIMIT = 50_000;
const RANKING_KEEP = 10_000;
const PREVIEW_CHARS = 80;

export class SummaryBuilder {
  private requests = 0;
  private readonly formats: Record<string, number> = {};
  private readonly conversations = new Set<string>();
  private readonly encodings = new Set<EncodingName>();
  private estimate = false;
  private readonly byKind = emptyKindTokens();
  private readonly estimatedKinds = new Set<keyof KindTokens>();
  private totalTokens = 0;
  private mediaTokens = 0;
  private opaqueBytes = 0;
  private largest: AuditSummary['tokens']['largest_request'] = null;
  private readonly waste = emptyWaste();
  private readonly usage = new UsageTotals();
  private requestsCompared = 0;
  private prefixChanges = 0;
  private maxDynamicValues = 0;
  private minAlignment: number | null = null;
  private cacheHits = 0;
  private secrets = 0;
  private readonly offenders = new Map<string, OffenderReport>();
  private readonly stale = new Map<string, StaleReadSummary>();
  private budgetExceeded = 0;
  private budgetWorst: { id: string; tokens: number; basis: string } | null = null;
  private readonly files = new Map<string, { requests: number; tokens: number; waste: number; usage: UsageTotals }>();
  private readonly contentKinds = emptyContentKindTotals();
  private readonly forensics = new CacheForensicsCollector();

  constructor(private readonly options: SummaryOptions) {}

  add(analyzed: AnalyzedRequest): void {
    const { report, blocks, blockWaste } = analyzed;
    this.requests++;
    this.formats[report.format] = (this.formats[report.format] ?? 0) + 1;
    if (report.conversation) this.conversations.add(report.conversation);
    this.encodings.add(report.tokenizer.encoding);
    if (!report.tokenizer.exact) this.estimate = true;
    for (const kind of Object.keys(this.byKind) as Array<keyof KindTokens>) this.byKind[kind] += report.tokens_by_kind[kind];
    for (const kind of report.estimated_kinds) this.estimatedKinds.add(kind);
    this.totalTokens += report.tokens;
    this.mediaTokens += report.media.tokens;
    this.opaqueBytes += report.opaque_bytes;
    if (!this.largest || report.tokens > this.largest.tokens) this.largest = { id: report.id, tokens: report.tokens, where: report.where };
    for (const key of WASTE_KEYS) this.waste[key] += report.waste[key];
    if (report.usage) this.usage.add(report.usage, report.tokens);
    this.addCache(report);
    this.addBudget(report);
    this.addFile(report);
    this.forensics.add(analyzed);
    for (const output of report.tool_outputs) {
      const totals = this.contentKinds[output.kind];
      totals.count++;
      totals.tokens += output.tokens;
    }

    blocks.forEach((block, index) => {
      if (block.tokensEst === 0) return;
      const key = `${block.kind}:${block.contentHash}`;
      const entry = this.offenders.get(key);
      if (entry) {
        entry.times_sent++;
        entry.tokens_total += entry.tokens_each;
        return;
      }
      this.offenders.set(key, {
        kind: block.kind,
        tool: block.flags.toolName ?? null,
        file_path: block.flags.filePath ?? null,
        tokens_each: block.tokensEst,
        times_sent: 1,
        tokens_total: block.tokensEst,
        waste_each: blockWaste[index] ?? 0,
        first_seen: { file: block.origin.file, line: block.origin.line ?? null },
        first_request: report.id,
        preview: preview(block.media ? `[${block.media.type} ${block.media.mediaType ?? ''}]` : block.text),
      });
    });
    if (this.offenders.size > RANKING_SOFT_LIMIT) prune(this.offenders, (entry) => entry.tokens_total);

    for (const read of report.stale_reads) {
      const key = `${report.conversation ?? report.where.file}:${read.message_index}:${read.file_path}`;
      const entry = this.stale.get(key);
      if (entry) {
        entry.times_sent++;
        continue;
      }
      const block = blocks.find((candidate) => candidate.sourceIndex === read.message_index);
      this.stale.set(key, {
        file_path: read.file_path,
        reason: read.reason,
        tokens_each: read.tokens,
        times_sent: 1,
        where: { file: block?.origin.file ?? report.where.file, line: block?.origin.line ?? null },
      });
    }
    if (this.stale.size > RANKING_SOFT_LIMIT) prune(this.stale, (entry) => entry.tokens_each * entry.times_sent);
  }

  finish(problems: { errors: number; notes: number }): AuditSummary {
    const top = this.options.topOffenders;
    const offenders = [...this.offenders.values()];
    const staleReads = [...this.stale.values()];
    const wasteSum = wasteTotal(this.waste);
    return {
      type: 'summary',
      schema: 1,
      tokenizer: { encodings: [...this.encodings].sort(), estimate: this.estimate },
      requests: this.requests,
      formats: { ...this.formats },
      conversations: this.conversations.size,
      files: this.files.size,
      problems,
      tokens: {
        total: this.totalTokens,
        by_kind: { ...this.byKind },
        estimated_kinds: KIND_COLUMNS.filter((kind) => this.estimatedKinds.has(kind)),
        average_per_request: this.requests ? Math.round(this.totalTokens / this.requests) : 0,
        largest_request: this.largest,
        media: this.mediaTokens,
        opaque_bytes: this.opaqueBytes,
      },
      waste: { ...this.waste, total: wasteSum, share: this.totalTokens ? round4(wasteSum / this.totalTokens) : 0 },
      usage: this.usage.report(),
      cache: {
        requests_compared: this.requestsCompared,
        prefix_changes: this.prefixChanges,
        estimated_cache_hits: this.cacheHits,
        max_dynamic_values: this.maxDynamicValues,
        min_cache_alignment_score: this.minAlignment,
        secrets: this.secrets,
      },
      cache_forensics: this.forensics.finish(),
      top_offenders: topBy(offenders, top, (entry) => entry.tokens_total),
      largest_tool_outputs: topBy(
        offenders.filter((entry) => entry.kind === 'tool_result'),
        top,
        (entry) => entry.tokens_each,
      ),
      stale_reads: {
        count: staleReads.length,
        tokens: staleReads.reduce((sum, entry) => sum + entry.tokens_each * entry.times_sent, 0),
        top: topBy(staleReads, top, (entry) => entry.tokens_each * entry.times_sent),
      },
      budget: this.options.budgetTokens === null ? null : { limit: this.options.budgetTokens, exceeded: this.budgetExceeded, worst: this.budgetWorst },
      by_file: [...this.files.entries()].map(([file, totals]) => ({
        file,
        requests: totals.requests,
        tokens: totals.tokens,
        waste: totals.waste,
        usage: totals.usage.report(),
      })),
      tool_outputs_by_kind: Object.fromEntries(Object.entries(this.contentKinds).map(([kind, totals]) => [kind, { ...totals }])) as ContentKindTotals,
    };
  }

  private addCache(report: RequestReport): void {
    const prefix = report.cache_prefix;
    if (prefix.changed !== null) {
      this.requestsCompared++;
      if (prefix.changed) this.prefixChanges++;
    }
    if (prefix.estimated_cache_hit === true) this.cacheHits++;
    this.secrets += prefix.secrets.length;
    this.maxDynamicValues = Math.max(this.maxDynamicValues, prefix.dynamic_values);
    this.minAlignment = this.minAlignment === null ? prefix.cache_alignment_score : Math.min(this.minAlignment, prefix.cache_alignment_score);
  }

  private addBudget(report: RequestReport): void {
    const check = report.budget;
    if (!check?.exceeded) return;
    this.budgetExceeded++;
    if (!this.budgetWorst || check.tokens > this.budgetWorst.tokens) this.budgetWorst = { id: report.id, tokens: check.tokens, basis: check.basis };
  }

  private addFile(report: RequestReport): void {
    let totals = this.files.get(report.where.file);
    if (!totals) {
      totals = { requests: 0, tokens: 0, waste: 0, usage: new UsageTotals() };
      this.files.set(report.where.file, totals);
    }
    totals.requests++;
    totals.tokens += report.tokens;
    totals.waste += report.waste.total;
    if (report.usage) totals.usage.add(report.usage, report.tokens);
  }
}

class UsageTotals {
  private requests = 0;
  private estimated = 0;
  private readonly sum: Omit<UsageReport, 'iterations'> = withoutIterations(usageReport(emptyUsage()));
  private iterationRequests = 0;
  private readonly iterationsByType: Record<string, number> = {};

  add(usage: UsageReport, estimatedTokens: number): void {
    this.requests++;
    this.estimated += estimatedTokens;
    if (usage.iterations) {
      this.iterationRequests++;
      for (const iteration of usage.iterations) this.iterationsByType[iteration.type] = (this.iterationsByType[iteration.type] ?? 0) + 1;
    }
    this.sum.input += usage.input;
    this.sum.cache_read += usage.cache_read;
    this.sum.cache_write_5m += usage.cache_write_5m;
    this.sum.cache_write_1h += usage.cache_write_1h;
    this.sum.output += usage.output;
    this.sum.reasoning += usage.reasoning;
    this.sum.prompt += usage.prompt;
  }

  report(): RunUsageReport | null {
    if (this.requests === 0) return null;
    return {
      ...this.sum,
      requests_with_usage: this.requests,
      server_iterations: this.iterationRequests ? { requests: this.iterationRequests, by_type: { ...this.iterationsByType } } : null,
      cache_read_share: this.sum.prompt ? round4(this.sum.cache_read / this.sum.prompt) : 0,
      estimated_prompt: this.estimated,
    };
  }
}

function withoutIterations({ iterations: _iterations, ...counts }: UsageReport): Omit<UsageReport, 'iterations'> {
  return counts;
}

function topBy<T>(entries: readonly T[], limit: number, score: (entry: T) => number): T[] {
  return [...entries].sort((a, b) => score(b) - score(a)).slice(0, limit);
}

function prune<T>(map: Map<string, T>, score: (entry: T) => number): void {
  const kept = [...map.entries()].sort((a, b) => score(b[1]) - score(a[1])).slice(0, RANKING_KEEP);
  map.clear();
  for (const [key, value] of kept) map.set(key, value);
}

function preview(text: string): string {
  // Only the start is needed; tool outputs can be megabytes.
  const line = text
    .slice(0, PREVIEW_CHARS * 4)
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > PREVIEW_CHARS ? `${line.slice(0, PREVIEW_CHARS - 1)}…` : line;
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
