/**
 * TOIN, headroom's local learned feedback: which fields and values of a
 * tool's output were asked for when its dropped items were retrieved, and the
 * hints that make later compression keep such items.
 */
export { itemsShape } from './shape.js';
export { confidenceOf, hintsFrom, LearnedSnapshot, MAX_HINT_FIELDS, MAX_VALUES_PER_FIELD } from './learned.js';
export type { LearnedHint, LearnedOutput, LearnedValue } from './learned.js';
export { MAX_LEARNED_VALUE_LENGTH, MAX_VALUES_PER_RETRIEVAL, recordRetrieval, retrievalEvent } from './record.js';
export type { FeedbackRecorder, RetrievalEvent, RetrievedOriginal } from './record.js';
export { MemoryFeedbackStore } from './memory-store.js';
export type { ClearedFeedback } from './memory-store.js';
export { readLearned, SqliteFeedbackWriter, TOIN_SCHEMA_VERSION } from './sqlite-store.js';
export { openFeedbackReader } from './open.js';
