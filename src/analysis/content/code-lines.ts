/**
 * Source code versus prose, and the language of code, from cheap signals:
 * shebangs, keywords at the start of lines, braces, semicolons and
 * indentation. No pattern has two adjacent quantifiers that can match the
 * same characters unbounded (`[\w-]+[\w-]*`): those backtrack
 * quadratically or worse on long lines.
 */

interface LanguageSignals {
  language: string;
  patterns: readonly RegExp[];
}

const LANGUAGES: readonly LanguageSignals[] = [
  {
    language: 'python',
    patterns: [
      /^\s*def \w+\(.*\)(?:\s*->.+)?:\s*$/,
      /^\s*class \w+(?:\(.*\))?:\s*$/,
      /^\s*from [\w.]+ import /,
      /^import \w+(?:\.\w+)*(?: as \w+)?$/,
      /^\s*(?:elif .+|else|try|except(?: .+)?|finally):\s*$/,
      /^if __name__ == /,
      /^\s*@\w+(?:\.\w+)*(?:\(.*\))?$/,
      /\bself\.\w+/,
      /^\s*(?:async )?def \w+\(/,
      /^\s*"""/,
    ],
  },
  {
    language: 'typescript',
    patterns: [
      /^\s*(?:export )?(?:interface|type) \w+(?:<.*>)? (?:\{|=)/,
      /^\s*(?:export )?(?:abstract )?class \w+.*\{$/,
      /^\s*(?:export )?enum \w+ \{/,
      /^\s*(?:public|private|protected|readonly) \w+[?!]?:/,
      /\w\)?: (?:string|number|boolean|void|unknown|any|never)\b/,
      /^import type /,
      /\bas const\b|<\w+(?:\[\])?>\(/,
    ],
  },
  {
    language: 'javascript',
    patterns: [
      /^\s*(?:const|let|var) \w+ = (?:require\(|async |function|\(|\[|\{|['"`\w])/,
      /^\s*(?:async )?function\*? \w+\(/,
      /\brequire\(['"][^'"]+['"]\)/,
      /^\s*module\.exports\b|^\s*exports\.\w+ =/,
      /=> \{$|=> \w/,
      /^import (?:\{[^}]*\}|\* as \w+|\w+)(?:, \{[^}]*\})? from ['"]|^import ['"]/,
      /^\s*export (?:default |const |function |async function |class |\{)/,
      /\bconsole\.(?:log|error|warn)\(/,
    ],
  },
  {
    language: 'go',
    patterns: [
      /^package \w+$/,
      /^func (?:\(\w+ \*?\w+(?:\[.*\])?\) )?\w+\(/,
      /^import \($|^import "[^"]+"$/,
      /^type \w+ (?:struct|interface) \{/,
      /\bif err != nil \{/,
      /^\s*\w+(?:, \w+)* := /,
      /^\s*defer /,
    ],
  },
  {
    language: 'rust',
    patterns: [
      /^\s*(?:pub(?:\(\w+\))? )?(?:async )?fn \w+/,
      /^\s*use \w+(?:::[\w{}, *]+)+;$/,
      /^\s*(?:pub )?(?:struct|enum|trait|mod) \w+/,
      /^\s*impl(?:<.*>)? \w+/,
      /^\s*let (?:mut )?\w+(?:: [\w<>&]+)? = /,
      /^\s*#\[(?:derive|cfg|test|allow)/,
      /\b[a-z_]\w*!\(/,
    ],
  },
  {
    language: 'java',
    patterns: [
      /^package [\w.]+;$/,
      /^import (?:static )?[\w.]+(?:\.\*)?;$/,
      /^\s*(?:public|private|protected) (?:static )?(?:final )?(?:class|interface|enum|abstract|[\w<>[\], ]{1,80} \w+\()/,
      /^\s*@Override\b/,
      /\bSystem\.out\.print/,
    ],
  },
  {
    language: 'c',
    patterns: [/^#include [<"]/, /^#define \w+/, /^(?:static )?(?:int|void|char|unsigned|size_t|struct \w+) \*?\w+\(/, /\bprintf\(|\bmalloc\(/, /^#if(?:n?def)? /],
  },
  { language: 'cpp', patterns: [/\bstd::\w+/, /^template ?</, /^namespace \w+/, /^#include <\w+>$/] },
  {
    language: 'csharp',
    patterns: [/^using System(?:\.\w+)*;$/, /^namespace [\w.]+/, /^\s*(?:public|private|internal) (?:sealed |static |partial )*class \w+/, /\{ get; (?:private )?set; \}/],
  },
  {
    language: 'ruby',
    patterns: [
      /^\s*def \w+[?!]?(?:\(.*\))?$/,
      /^\s*end$/,
      /^require ['"]/,
      /^\s*(?:module|class) [A-Z]\w*(?: < [\w:]+)?$/,
      /\bdo \|\w+(?:, \w+)*\|$/,
      /^\s*attr_(?:reader|writer|accessor) /,
    ],
  },
  { language: 'php', patterns: [/^<\?php/, /\$this->\w+/, /^\s*(?:public |private |protected )?function \w+\(/, /^namespace [\w\\]+;$/, /^use [\w\\]+;$/] },
  {
    language: 'shell',
    patterns: [/^\s*(?:fi|done|esac)$/, /^\s*(?:if|elif) \[\[? .+\]\]?; then$/, /^\s*(?:for|while) .+; do$/, /^\s*export \w+=/, /^\s*echo /, /^\s*\w+\(\) \{$/, /^set -[euxo]/],
  },
  {
    language: 'sql',
    patterns: [/^\s*(?:SELECT|INSERT INTO|UPDATE|DELETE FROM|CREATE (?:TABLE|INDEX|VIEW)|ALTER TABLE|DROP TABLE)\b/, /^\s*(?:FROM|WHERE|JOIN|GROUP BY|ORDER BY|LIMIT)\b/],
  },
  {
    language: 'css',
    patterns: [
      // Class and id selectors, and element selectors a stylesheet starts with (Go's `if x {` must not count).
      /^\s*[.#][\w-][^{};()]{0,200}\{$/,
      /^\s*(?:html|body|h[1-6]|ul|ol|li|a|p|div|span|table|button|input|:root)(?:[ ,:.#>[][^{};()]{0,200})?\{$/,
      /^\s*(?:[a-z]+-[a-z-]+|color|margin|padding|display|width|height|position|border|background|font|top|left|right|bottom|flex|gap|content|cursor|opacity|overflow|transition|transform|outline): [^;]+;$/,
      /^@(?:media|import|font-face|keyframes)\b/,
    ],
  },
  { language: 'yaml', patterns: [/^[\w.-]+:(?: .*)?$/, /^\s+[\w.-]+:(?: .*)?$/, /^\s*- [\w.-]+:(?: .*)?$/, /^---$/, /^apiVersion: /] },
];

const LANGUAGE_TESTS = LANGUAGES.map(({ language, patterns }) => ({ language, test: (line: string) => patterns.some((pattern) => pattern.test(line)) }));
/** Language signals are counted on at most this many lines: enough to tell, bounded in cost. */
const LANGUAGE_LINES = 150;

const SHEBANG: ReadonlyArray<[RegExp, string]> = [
  [/python/, 'python'],
  [/node|deno|bun/, 'javascript'],
  [/\b(?:ba|z|k|da)?sh\b/, 'shell'],
  [/ruby/, 'ruby'],
  [/perl/, 'perl'],
  [/php/, 'php'],
];

/** The language of sampled code lines, or undefined when no language stands out. */
export function codeLanguage(lines: readonly string[]): string | undefined {
  const first = lines.find((line) => line.trim().length > 0) ?? '';
  if (first.startsWith('#!')) {
    for (const [pattern, language] of SHEBANG) if (pattern.test(first)) return language;
  }
  if (first.startsWith('<?php')) return 'php';
  const hits = new Map<string, number>();
  let counted = 0;
  for (const line of lines) {
    if (line.length === 0) continue;
    if (++counted > LANGUAGE_LINES) break;
    for (const { language, test } of LANGUAGE_TESTS) {
      if (test(line)) hits.set(language, (hits.get(language) ?? 0) + 1);
    }
  }
  // TypeScript is JavaScript plus types: its own signals decide, and JS signals count for it too.
  const ts = hits.get('typescript') ?? 0;
  if (ts >= 1) hits.set('typescript', ts + (hits.get('javascript') ?? 0));
  // C++ reads as C too.
  const cpp = hits.get('cpp') ?? 0;
  if (cpp >= 1) hits.set('cpp', cpp + (hits.get('c') ?? 0));
  // YAML's key: value shape also matches prose labels and other languages' lines: it wins only clearly.
  const yaml = hits.get('yaml') ?? 0;
  hits.delete('yaml');
  let best: string | undefined;
  let bestHits = 1;
  for (const [language, count] of hits) {
    if (count > bestHits) {
      best = language;
      bestHits = count;
    }
  }
  if (yaml >= 3 && yaml > bestHits * 3) return 'yaml';
  if (best === 'typescript' && lines.some((line) => /^\s*<\/?[A-Z]\w*[\s/>]|return \($/.test(line))) return 'tsx';
  return best;
}

/** Lines only code has: brackets closing or opening a block, statement ends, assignments, calls. */
const CODE_STRONG = [
  /^\s*[}\])]+[;,)]*\s*$/,
  /[{[(]\s*$/,
  /;\s*(?:\/\/.*)?$/,
  /^\s*[\w.[\]'"]+\s*(?:[+\-*/|&]?=|:=)\s*\S/,
  /^\s+[\w.]+\(.*\)[;,]?$/,
  /^\s*(?:(?:export |pub |async |public |private |static )*(?:def|func|fn|function|class|struct|interface|enum|impl|type))\b.*[({:}]\s*$/,
  // Declarations that read as nothing but code: `package main`, `import os`, `use std::fmt;`, `#include <x>`.
  /^(?:package [\w.]+;?|import [\w.]+;?|import [({"'*]|from [\w.]+ import |use [\w:]+(?:::[\w{}*, ]+)?;|#include [<"]|#define \w|#!\/|<\?php|namespace [\w.\\]+)/,
  /^\s*(?:let|const|var) (?:mut )?\w+(?::[^=]{1,60})? = /,
  /^\s*@\w+(?:\.\w+)*(?:\(.*\))?$/,
];

/** Lines code usually has but prose can too: comments, leading keywords, `key: value`, list items. */
const CODE_WEAK = [
  /^\s*(?:\/\/|\/\*|\*(?:\/|\s|$)|#(?![#\s])|#\s|--\s)/, // comments; `**bold**` is Markdown, not a block comment
  /^\s*(?:import|from|export|return|const|let|var|func|fn|def|class|struct|enum|interface|type|package|use|pub|impl|if|else|elif|for|while|switch|case|try|catch|except|raise|throw|async|await|public|private|protected|static|#include|#define|@\w+)\b/,
  /^\s*[\w.-]+:(?: .*)?$/,
  /^\s*- \S/,
];

/** Also true for a line any language's own signals match (`package main`, `type Foo struct { … }`). */
export function isStrongCodeLine(line: string): boolean {
  return CODE_STRONG.some((pattern) => pattern.test(line));
}

/** A C-style comment line (a line comment, or a block comment's opening, continuation or end): code, however much it reads like a sentence. */
const C_COMMENT = /^\s*(?:\/\/|\/\*|\*\/|\* |\*$)/;

export function isCommentLine(line: string): boolean {
  return C_COMMENT.test(line);
}

export function isWeakCodeLine(line: string): boolean {
  return CODE_WEAK.some((pattern) => pattern.test(line));
}

/** Markdown structure counts as prose: headings, list items, quotes. */
const MARKDOWN = /^\s*(?:#{2,6} \S|> |\*\*[^*\s])/;
/** A list item whose text reads as a sentence (not `- name: value`). */
const LIST_ITEM = /^\s*(?:[-*+]|\d{1,3}[.)]) (\S.*)$/;

/** A line of natural language: mostly letters and spaces, several words, few code symbols. */
export function isProseLine(line: string): boolean {
  const trimmed = line.trim();
  if (MARKDOWN.test(trimmed) && !/[;{}]$/.test(trimmed)) return true;
  const item = LIST_ITEM.exec(trimmed);
  if (item) return isSentence(item[1]!, 12);
  return isSentence(trimmed, 20);
}

function isSentence(trimmed: string, minLength: number): boolean {
  if (trimmed.length < minLength) return false;
  let letters = 0;
  let spaces = 0;
  let symbols = 0;
  // Markdown emphasis and code spans (`*`, `` ` ``) are neither letters nor code symbols: left out of the share.
  let markup = 0;
  for (let i = 0; i < trimmed.length; i++) {
    const c = trimmed.charCodeAt(i);
    if (c === 0x2a || c === 0x60) markup++;
    else if (c === 0x20) spaces++;
    else if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c > 0x7f) letters++;
    else if ('{}[]();=<>$|\\_'.includes(trimmed[i]!)) symbols++;
  }
  const words = spaces + 1;
  const length = trimmed.length - markup;
  // Two column bars make a table row, however wordy its cells.
  if (trimmed.indexOf('|') !== trimmed.lastIndexOf('|')) return false;
  return words >= 4 && (letters + spaces) / length >= 0.8 && symbols / length < 0.05 && length / words < 12;
}
