/**
 * Code outlines (issue 11, item 4): a large source-file read becomes its
 * outline — imports, type, class and function signatures, decorators, doc
 * comments — with each function body elided behind a marker that retrieves
 * it. Off unless tool results are intercepted (`intercept_tool_results` or
 * `HEADROOM_INTERCEPT_ENABLED=1`): users asked for file reads to pass
 * through untouched by default. Only function bodies a tree-sitter grammar
 * parsed without an error are elided; anything else passes through.
 */
import type { CodeAwareConfig } from '../../config/headroom-config.js';
import { findMarkers } from '../../ccr/markers.js';
import { omitLines, protectedLineFlags, savesEnough, splitLines, type DroppedRun, type RunDescription } from '../lines.js';
import type { Decline, ProducingCall, Rewrite, TransformBlock, TransformContext, TransformFactory } from '../types.js';
import type { ElidedBody } from './outline.js';

const NAME = 'code_outline';

/** File extensions that name a language more surely than the router's guess from the text. */
const EXTENSION_LANGUAGES: Readonly<Record<string, string>> = {
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'tsx',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascript',
  py: 'python',
  pyi: 'python',
  go: 'go',
  rs: 'rust',
  java: 'java',
};

/** Grammars to try after the first fails: TypeScript files with JSX, and TSX detected as TypeScript. */
const FALLBACK_LANGUAGES: Readonly<Record<string, string>> = { typescript: 'tsx', tsx: 'typescript' };

export const codeOutlineFactory: TransformFactory = {
  name: NAME,
  reads: ['intercept_tool_results', 'code_aware.enabled', 'code_aware.min_savings_ratio', 'code_aware.min_body_lines'],
  create(config) {
    if (!config.interceptToolResults || !config.codeAware.enabled) return null;
    const settings = config.codeAware;
    return {
      name: NAME,
      lossless: false,
      accepts: ['code'],
      apply: (block, context) => outline(block, context, settings),
    };
  },
};

/** Arguments by which file-reading tools ask for a range of lines (Claude Code's Read, OpenHands' editor, MCP file servers). */
const RANGE_ARGUMENTS = ['offset', 'limit', 'view_range', 'start_line', 'end_line', 'line_start', 'line_end', 'start', 'end'];
/** Shell commands that print part of a file: `sed -n 40,90p`, `head -n 50`, `tail -n +200`, `awk 'NR>=10'`. */
const RANGE_COMMAND = /\bsed\s+-n\b|\bhead\b|\btail\b|\bawk\b[^|]*\bNR\b/;

/**
 * Whether the read is of a range of lines the call asked for, or starts past
 * line 1 of a numbered read: the agent navigated to those lines to read them
 * as they are, so an outline of them would hide what it asked for.
 */
function isPartialRead(call: ProducingCall | null, numbers: readonly number[] | null): boolean {
  if (numbers !== null && (numbers[0] as number) > 1) return true;
  const args = call?.arguments;
  if (args === null || args === undefined || typeof args !== 'object' || Array.isArray(args)) return false;
  if (RANGE_ARGUMENTS.some((name) => args[name] !== undefined && args[name] !== null)) return true;
  const command = args['command'] ?? args['cmd'];
  return typeof command === 'string' && RANGE_COMMAND.test(command);
}

async function outline(block: TransformBlock, context: TransformContext, settings: CodeAwareConfig): Promise<Rewrite | Decline> {
  if (block.structured) return { decline: 'unsupported-shape' };
  const language = languageOf(context.filePath, block.content.language);
  if (language === null) return { decline: 'unsupported-shape' };
  if (findMarkers(block.text).length > 0) return { decline: 'already-marked' };
  const lines = splitLines(block.text);
  // Loaded here, not at the top: the parser's WASM runtime is paid for only by runs that outline.
  const { sourceLines } = await import('./numbered.js');
  const { parse } = await import('./grammars.js');
  const { elidedBodies } = await import('./outline.js');
  const source = sourceLines(lines);
  if (isPartialRead(context.call, source.numbers)) return { decline: 'partial-read' };
  // TypeScript files may hold JSX and TSX may be detected as TypeScript: the grammar that parses cleanly wins.
  const candidates = [language, ...(FALLBACK_LANGUAGES[language] === undefined ? [] : [FALLBACK_LANGUAGES[language]])];
  let parsedAs = language;
  let bodies: ElidedBody[] = [];
  let clean = false;
  for (const candidate of candidates) {
    const tree = await parse(source.source, candidate);
    if (tree === null) return { decline: 'unsupported-shape' };
    try {
      const found = elidedBodies(tree.rootNode, candidate, settings.minBodyLines);
      if (candidate === language || !tree.rootNode.hasError) {
        parsedAs = candidate;
        bodies = found;
        clean = !tree.rootNode.hasError;
      }
      if (clean) break;
    } finally {
      tree.delete();
    }
  }
  // Nothing parsed cleanly enough to outline: pass it through.
  if (bodies.length === 0 && !clean) return { decline: 'unsupported-shape' };
  if (bodies.length === 0) return { decline: 'already-compact' };
  if (!context.canOffload) return { decline: 'needs-offload' };
  const keep = new Uint8Array(lines.length).fill(1);
  const owner = new Map<number, ElidedBody>();
  for (const body of bodies) {
    keep.fill(0, body.first, body.last + 1);
    owner.set(body.first, body);
  }
  // An agent's tag pair (a `<system-reminder>` in or after the read) stays whatever the parser made of it. Only tags:
  // JSON-like literals and fences in docstrings are the source's own text, elided with their body.
  const guard = protectedLineFlags(lines, block.text, ['tag']);
  for (let i = 0; i < keep.length; i++) if (guard[i]) keep[i] = 1;
  const shown = (row: number): number => (source.numbers === null ? row + 1 : (source.numbers[row] as number));
  const describe = (run: DroppedRun): RunDescription => {
    const count = run.last - run.first + 1;
    const name = owner.get(run.first)?.name ?? null;
    const where = count === 1 ? `line ${shown(run.first)}` : `lines ${shown(run.first)}-${shown(run.last)}`;
    return { unit: 'lines', count, detail: name === null ? `function body, ${where}` : `body of ${markerSafe(name)}, ${where}` };
  };
  const text = omitLines(lines, keep, context, describe);
  if (!savesEnough(block.tokens, context.count(text), settings.minSavingsRatio)) return { decline: 'small-gain' };
  const elided = bodies.reduce((sum, body) => sum + body.last - body.first + 1, 0);
  return { text, label: `${parsedAs} outline, ${bodies.length} bodies, ${elided} lines elided` };
}

/** The language to parse with: the file's extension when the call names a file, else the router's guess. */
export function languageOf(filePath: string | null, detected: string | undefined): string | null {
  const extension = filePath === null ? undefined : /\.([A-Za-z0-9]+)$/.exec(filePath)?.[1]?.toLowerCase();
  if (extension !== undefined) return EXTENSION_LANGUAGES[extension] ?? null;
  return detected !== undefined && Object.values(EXTENSION_LANGUAGES).includes(detected) ? detected : null;
}

/** A function name as a marker detail allows it: no brackets, parentheses or line breaks, and short. */
function markerSafe(name: string): string {
  const safe = name
    .replace(/[[\]()\r\n]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return safe.length > 60 ? `${safe.slice(0, 57)}...` : safe || 'function';
}
