/**
 * CCR (compress-cache-retrieve): keys, the marker grammar, the stores that
 * keep originals, and the retrieval tool.
 */
export { CCR_KEY_LENGTH, ccrKey, isCcrKey } from './key.js';
export { MARKER_DETAIL_MAX_LENGTH, MARKER_PATTERN, MARKER_UNIT_MAX_LENGTH, findMarkers, formatMarker } from './markers.js';
export type { MarkerInfo } from './markers.js';
export { restoreSelections, selectionChunks } from './selections.js';
export { CcrStoreError } from './store.js';
export type { CcrEntry, CcrLookup, CcrPut, CcrReader, CcrStore, CcrStoreOptions } from './store.js';
export { MemoryCcrStore } from './memory-store.js';
export { CCR_SCHEMA_VERSION, SqliteCcrReader, SqliteCcrStore } from './sqlite-store.js';
export { defaultCcrStorePath } from './data-dir.js';
export { MEMORY_STORE, openCcrReader, openCcrStore, resolveCcrStorePath } from './open-store.js';
export type { CcrStorePathOptions } from './open-store.js';
export { RETRIEVAL_TOOL_NAME, hasRetrievalTool, retrievalToolJson, retrieveItems } from './retrieval-tool.js';
