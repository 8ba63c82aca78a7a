/**
 * The tree-sitter grammars code outlines parse with: WASM files shipped in
 * npm packages (`web-tree-sitter`, `tree-sitter-wasms`), so nothing is
 * downloaded at run time. This module is loaded only when a code block
 * reaches the outliner (a dynamic import in its `apply`): the WASM runtime
 * costs nothing to a run that never outlines.
 */
import { createRequire } from 'node:module';
import Parser from 'web-tree-sitter';

export type SyntaxNode = Parser.SyntaxNode;
export type Tree = Parser.Tree;

/** Our language name → the grammar file's name in `tree-sitter-wasms/out/`. */
const GRAMMAR_FILES: Readonly<Record<string, string>> = {
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  python: 'tree-sitter-python.wasm',
  go: 'tree-sitter-go.wasm',
  rust: 'tree-sitter-rust.wasm',
  java: 'tree-sitter-java.wasm',
};

export const OUTLINE_LANGUAGES: readonly string[] = Object.keys(GRAMMAR_FILES);

const require = createRequire(import.meta.url);
let runtime: Promise<void> | null = null;
const languages = new Map<string, Promise<Parser.Language>>();

function loadLanguage(language: string): Promise<Parser.Language> | null {
  const file = GRAMMAR_FILES[language];
  if (file === undefined) return null;
  let loaded = languages.get(language);
  if (loaded === undefined) {
    runtime ??= Parser.init();
    loaded = runtime.then(() => Parser.Language.load(require.resolve(`tree-sitter-wasms/out/${file}`)));
    // A failed load is not cached: the next block may try again.
    loaded.catch(() => languages.delete(language));
    languages.set(language, loaded);
  }
  return loaded;
}

/**
 * `source` parsed as `language`, or null when the language has no grammar
 * here. The tree may hold syntax errors (a read of part of a file starts and
 * ends mid-function): the outliner elides only function bodies that parsed
 * without one. The caller must `delete()` the tree.
 */
export async function parse(source: string, language: string): Promise<Tree | null> {
  const grammar = loadLanguage(language);
  if (grammar === null) return null;
  const loaded = await grammar; // also waits for the runtime, which `new Parser()` needs
  const parser = new Parser();
  try {
    parser.setLanguage(loaded);
    return parser.parse(source);
  } finally {
    parser.delete();
  }
}
