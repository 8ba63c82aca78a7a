/**
 * The one lossless JSON text module: scan, locate by path, splice edits,
 * minify, array element ranges, syntax error positions. It works on JSON
 * *text* and never converts numbers, so 64-bit integers and duplicate keys
 * survive everything here. It imports nothing else in the project.
 */
export type { JsonObject, JsonPath, JsonValue, TextRange } from './types.js';
export { isJsonObject, valueAt } from './types.js';
export { JsonEditError, jsonSyntaxError, lineAndColumn, type JsonSyntaxError } from './errors.js';
export { containerEnd, skipValue, skipWs } from './scan.js';
export { locateValue, locateValues } from './locate.js';
export { applyJsonEdits, type JsonEdit } from './edit.js';
export { isJsonContainerText, minifyJson, minifyJsonMapped, type Checkpoint, type MappedMinify } from './minify.js';
export { arrayElementRanges } from './elements.js';
export { isJsonSpace } from './chars.js';
export { entryOf, MAX_TREE_DEPTH, numberValue, parseRawJson, rawText, type RawDocument, type RawEntry, type RawNode, type RawNodeType } from './tree.js';
