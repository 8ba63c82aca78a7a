/**
 * Character ranges inside one text. The text detectors claim the ranges they
 * account for, so a later detector never counts the same characters again
 * (whitespace inside pretty JSON is json_bloat, not whitespace waste).
 */

/** Half-open range [start, end) of UTF-16 offsets. */
export interface Span {
  start: number;
  end: number;
}

/** A set of claimed ranges, kept sorted and merged so lookups are a binary search. */
export class SpanSet {
  private spans: Span[] = [];

  addAll(spans: readonly Span[]): void {
    if (spans.length === 0) return;
    const all = [...this.spans, ...spans].sort((a, b) => a.start - b.start);
    const merged: Span[] = [];
    for (const span of all) {
      const last = merged[merged.length - 1];
      if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
      else merged.push({ start: span.start, end: span.end });
    }
    this.spans = merged;
  }

  get isEmpty(): boolean {
    return this.spans.length === 0;
  }

  /** True when [start, end) shares at least one character with a claimed range. */
  overlaps(start: number, end: number): boolean {
    // Find the first claimed span that ends after `start`.
    let low = 0;
    let high = this.spans.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.spans[middle] as Span).end <= start) low = middle + 1;
      else high = middle;
    }
    const candidate = this.spans[low];
    return candidate !== undefined && candidate.start < end;
  }
}

/** `text` with each (sorted, disjoint) span replaced by `replacement(span)`. */
export function replaceSpans(text: string, spans: readonly Span[], replacement: (span: Span) => string): string {
  const pieces: string[] = [];
  let position = 0;
  for (const span of spans) {
    pieces.push(text.slice(position, span.start), replacement(span));
    position = span.end;
  }
  pieces.push(text.slice(position));
  return pieces.join('');
}
