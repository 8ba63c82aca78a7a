/**
 * INTERIM (branch i9-contract only): the router's interface with JSON
 * detection alone; the full classifier lands from branch i9-router.
 */
import { isJsonContainerText, minifyJson } from '../json/index.js';

export const CONTENT_KINDS = ['json-array', 'json-object', 'build-log', 'app-log', 'search', 'diff', 'code', 'html', 'table', 'prose', 'unknown'] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];
export interface ContentClass {
  kind: ContentKind;
  confidence: number;
  language?: string;
}

export function classifyContent(text: string): ContentClass {
  if (isJsonContainerText(text) && minifyJson(text) !== null) {
    return { kind: text.trimStart().startsWith('[') ? 'json-array' : 'json-object', confidence: 1 };
  }
  return { kind: 'unknown', confidence: 0 };
}
