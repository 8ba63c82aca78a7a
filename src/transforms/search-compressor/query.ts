/**
 * What search matches are scored against: the user's last words and the
 * pattern the search ran with — a Grep tool's `pattern` argument, or the
 * pattern of a `rg` / `grep` / `git grep` command line a shell tool ran.
 * Only the pattern is taken from a command line: its options and paths
 * (`--sort path`, `src/`) would make lines that mention them look relevant.
 */
import type { JsonValue } from '../../json/index.js';
import type { TransformContext } from '../types.js';

const SEARCH_TOOLS = new Set(['rg', 'grep', 'egrep', 'fgrep', 'ag', 'ack']);
/** Options of those tools that take a value as the next word. */
const VALUE_OPTIONS = new Set([
  '-A',
  '-B',
  '-C',
  '-m',
  '-g',
  '-t',
  '-f',
  '-j',
  '-M',
  '-d',
  '-D',
  '--after-context',
  '--before-context',
  '--context',
  '--max-count',
  '--glob',
  '--iglob',
  '--type',
  '--type-not',
  '--file',
  '--threads',
  '--max-columns',
  '--encoding',
  '--include',
  '--exclude',
  '--exclude-dir',
  '--sort',
  '--sortr',
  '--max-depth',
  '--color',
  '--colors',
  '--context-separator',
  '--field-match-separator',
  '--replace',
]);
const PATTERN_OPTIONS = new Set(['-e', '--regexp']);
const PATTERN_KEYS = ['pattern', 'query', 'regex', 'search', 'q'];

/** The user's query and the search pattern(s), one per line; null when there is neither. */
export function searchQuery(context: Pick<TransformContext, 'request' | 'call'>): string | null {
  const parts: string[] = [];
  const query = context.request.query?.trim();
  if (query) parts.push(query);
  if (context.call) parts.push(...callPatterns(context.call.arguments));
  const text = parts.map(words).filter((part) => part !== '');
  return text.length > 0 ? text.join('\n') : null;
}

function callPatterns(args: JsonValue): string[] {
  if (typeof args === 'string') return commandPatterns(args);
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return [];
  const patterns: string[] = [];
  for (const key of PATTERN_KEYS) {
    const value = args[key];
    if (typeof value === 'string') patterns.push(value);
  }
  const command = args.command ?? args.cmd;
  if (typeof command === 'string') patterns.push(...commandPatterns(command));
  else if (Array.isArray(command)) patterns.push(...commandPatterns(command.filter((word) => typeof word === 'string').join(' ')));
  return patterns;
}

/** The patterns of each search command in a shell command line. */
export function commandPatterns(command: string): string[] {
  const patterns: string[] = [];
  const tokens = shellWords(command);
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i] as string;
    const name = word.slice(word.lastIndexOf('/') + 1);
    const gitGrep = name === 'git' && tokens[i + 1] === 'grep';
    if ((!SEARCH_TOOLS.has(name) && !gitGrep) || (name === 'grep' && tokens[i - 1] === 'git')) continue;
    const explicit: string[] = [];
    let positional: string | null = null;
    for (let j = i + (gitGrep ? 2 : 1); j < tokens.length; j++) {
      const arg = tokens[j] as string;
      if (arg === '|' || arg === '&&' || arg === '||' || arg === ';') break;
      if (PATTERN_OPTIONS.has(arg)) {
        const value = tokens[++j];
        if (value !== undefined) explicit.push(value);
      } else if (arg.startsWith('--regexp=')) {
        explicit.push(arg.slice('--regexp='.length));
      } else if (VALUE_OPTIONS.has(arg)) {
        j++;
      } else if (!arg.startsWith('-') && positional === null) {
        positional = arg;
      }
    }
    patterns.push(...(explicit.length > 0 ? explicit : positional === null ? [] : [positional]));
  }
  return patterns;
}

/** Shell words with quotes removed and `|`, `;`, `&&` as words of their own (no expansion: only the words are needed). */
function shellWords(command: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quote: string | null = null;
  let inWord = false;
  const flush = (): void => {
    if (inWord) tokens.push(current);
    current = '';
    inWord = false;
  };
  for (let i = 0; i < command.length; i++) {
    const c = command[i] as string;
    if (quote !== null) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < command.length) current += command[++i];
      else current += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < command.length) {
      current += command[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      flush();
    } else if (c === '|' || c === ';' || c === '&') {
      flush();
      const pair = command[i + 1] === c ? c + c : c;
      tokens.push(pair);
      i += pair.length - 1;
    } else {
      current += c;
      inWord = true;
    }
  }
  flush();
  return tokens;
}

/** A pattern's words: regex escapes (`\b`, `\w`, `\(`) become spaces so `\bfoo\(` scores as `foo`. */
function words(text: string): string {
  return text
    .replace(/\\[A-Za-z]/g, ' ')
    .replace(/\\/g, ' ')
    .trim();
}
