/**
 * The services one run lends its transforms (TransformServices): the learned
 * feedback, and a warning sink that passes each distinct message on once, so
 * a problem met on every block (a model that cannot load) is one line, not
 * one per block.
 */
import type { FeedbackReader, TransformServices } from '../transforms/types.js';

export interface ServiceOptions {
  /** Learned hints (`headroom toin`); null or absent: none. */
  feedback?: FeedbackReader | null;
  /** Where warnings go; absent: they are dropped. */
  onWarning?: (message: string) => void;
}

export function transformServices(options: ServiceOptions = {}): TransformServices {
  const seen = new Set<string>();
  const sink = options.onWarning;
  return {
    feedback: options.feedback ?? null,
    warn: (message) => {
      if (seen.has(message)) return;
      seen.add(message);
      sink?.(message);
    },
  };
}
