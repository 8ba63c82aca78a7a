/**
 * Learned feedback in memory, with the same counting as the SQLite store:
 * for tests and for library callers that keep their CCR originals in a
 * MemoryCcrStore and answer the retrieval tool themselves.
 */
import type { FeedbackReader } from './types.js';
import { hintsFrom, outputKey, sortOutputs, type LearnedHint, type LearnedOutput } from './learned.js';
import type { FeedbackRecorder, RetrievalEvent } from './record.js';

/** What `clear` forgot. */
export interface ClearedFeedback {
  /** Tool outputs (tool and shape) that had counts. */
  outputs: number;
  /** Learned field values. */
  values: number;
}

interface Counts {
  toolName: string | null;
  shape: string;
  fullRetrievals: number;
  queryRetrievals: number;
  /** field → value → count */
  values: Map<string, Map<string, number>>;
}

export class MemoryFeedbackStore implements FeedbackRecorder, FeedbackReader {
  private readonly outputs = new Map<string, Counts>();

  record(event: RetrievalEvent): void {
    const key = outputKey(event.toolName, event.shape);
    let counts = this.outputs.get(key);
    if (!counts) {
      counts = { toolName: event.toolName, shape: event.shape, fullRetrievals: 0, queryRetrievals: 0, values: new Map() };
      this.outputs.set(key, counts);
    }
    if (event.kind === 'full') counts.fullRetrievals += 1;
    else counts.queryRetrievals += 1;
    for (const { field, values } of event.fields) {
      const byValue = counts.values.get(field) ?? new Map<string, number>();
      for (const value of new Set(values)) byValue.set(value, (byValue.get(value) ?? 0) + 1);
      counts.values.set(field, byValue);
    }
  }

  hintsFor(toolName: string | null, shape: string): readonly LearnedHint[] {
    const counts = this.outputs.get(outputKey(toolName, shape));
    return counts ? hintsFrom(learnedOf(counts).values) : [];
  }

  /** Everything learned, in a stable order. */
  list(): LearnedOutput[] {
    return sortOutputs([...this.outputs.values()].map(learnedOf));
  }

  clear(): ClearedFeedback {
    const cleared = {
      outputs: this.outputs.size,
      values: [...this.outputs.values()].reduce((sum, counts) => sum + [...counts.values.values()].reduce((n, byValue) => n + byValue.size, 0), 0),
    };
    this.outputs.clear();
    return cleared;
  }
}

function learnedOf(counts: Counts): LearnedOutput {
  const values = [...counts.values.entries()].flatMap(([field, byValue]) => [...byValue.entries()].map(([value, count]) => ({ field, value, count })));
  return { toolName: counts.toolName, shape: counts.shape, fullRetrievals: counts.fullRetrievals, queryRetrievals: counts.queryRetrievals, values };
}
