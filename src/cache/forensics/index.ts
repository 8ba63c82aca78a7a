export { analyzeCalls, billedPrompt, CacheForensics, CALL_ROW_LIMIT, duration } from './analyze.js';
export { firstChange, type MessageShape, type PromptShape } from './prefix.js';
export { BUST_CAUSES, type BilledPrompt, type Bust, type BustCause, type CallFacts, type CallFinding, type ConversationFindings, type PrefixChange } from './types.js';
