/**
 * JSON compared as values are written, not as laid out, for oracles that
 * restore what a compressor changed.
 */
import { splice, type Splice } from '../../src/ccr/selections.js';
import { minifyJson, parseRawJson, type RawNode } from '../../src/json/index.js';

/**
 * JSON compared as values are written, not laid out: minified, and JSON held
 * in a string minified and re-escaped too (a crusher rewrites such a string
 * that way, and restoring gives it back that way). Non-JSON text is itself.
 */
export function normalizedJson(text: string): string {
  const doc = parseRawJson(text);
  if (doc === null) return text;
  const edits: Splice[] = [];
  const visit = (node: RawNode): void => {
    if (node.type === 'array') node.items.forEach(visit);
    else if (node.type === 'object') for (const entry of node.entries) visit(entry.value);
    else if (node.type === 'string' && /^\s*[[{]/.test(node.value) && parseRawJson(node.value) !== null) {
      edits.push({ start: node.start, end: node.end, text: JSON.stringify(normalizedJson(node.value)) });
    }
  };
  visit(doc.root);
  return minifyJson(splice(text, edits)) ?? text;
}
