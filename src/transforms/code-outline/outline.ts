/**
 * Which lines of a parsed source file an outline elides: the inside of every
 * function body of at least `minBodyLines` lines. Everything else — imports,
 * type, class, interface and struct declarations, signatures, decorators,
 * doc comments, module-level statements — is kept. Bodies nested in an
 * elided body go with it; bodies of functions inside kept code (methods in a
 * class, closures passed at module level) are elided on their own. A
 * function whose parse holds a syntax error keeps its body (the parser may
 * have misread it); functions inside it that parsed cleanly are still elided.
 */
import type { SyntaxNode } from './grammars.js';

/** A run of elided rows (0-based, inclusive) and the function whose body it is. */
export interface ElidedBody {
  readonly first: number;
  readonly last: number;
  readonly name: string | null;
}

/** Node types whose `body` field is a function body, per grammar family. */
const FUNCTION_TYPES = new Set([
  // JavaScript, TypeScript, TSX
  'function_declaration',
  'function',
  'function_expression',
  'generator_function',
  'generator_function_declaration',
  'arrow_function',
  'method_definition',
  // Python
  'function_definition',
  // Go (function_declaration above)
  'method_declaration',
  'func_literal',
  // Rust
  'function_item',
  'closure_expression',
  // Java (method_declaration above)
  'constructor_declaration',
  'compact_constructor_declaration',
  'lambda_expression',
]);

/** Elided bodies of the tree under `root`, in source order. */
export function elidedBodies(root: SyntaxNode, language: string, minBodyLines: number): ElidedBody[] {
  const bodies: ElidedBody[] = [];
  // A cursor walk, depth first: it allocates a node object only for function nodes, which keeps a 1 MB file fast.
  const cursor = root.walk();
  try {
    let visit = true;
    for (;;) {
      if (visit && descendInto() && cursor.gotoFirstChild()) continue;
      if (cursor.gotoNextSibling()) {
        visit = true;
        continue;
      }
      if (!cursor.gotoParent()) break;
      visit = false; // back at a node whose children are done
    }
  } finally {
    cursor.delete();
  }
  return bodies;

  /** Whether the walk goes into this node: not when it is too short to hold a body to elide, nor when its body was elided. */
  function descendInto(): boolean {
    // The rows first: most nodes are too short, and their type need not be read.
    if (cursor.endPosition.row - cursor.startPosition.row < minBodyLines) return false;
    if (!FUNCTION_TYPES.has(cursor.nodeType)) return true;
    const fn = cursor.currentNode;
    if (fn.hasError) return true;
    const body = fn.childForFieldName('body');
    const run = body === null ? null : bodyRun(fn, body, language);
    if (run === null) return true;
    if (run.last - run.first + 1 >= minBodyLines) bodies.push({ ...run, name: functionName(fn) });
    return false;
  }
}

/**
 * The rows of a body to elide. Brace languages keep the lines holding `{` and
 * `}` (they carry the signature's end and what follows the body); Python
 * keeps the docstring, and elides from the statement after it to the block's end.
 */
function bodyRun(fn: SyntaxNode, body: SyntaxNode, language: string): { first: number; last: number } | null {
  if (language === 'python') {
    if (body.startPosition.row <= fn.startPosition.row) return null; // `def f(): return 1`
    const statements = body.namedChildren;
    const docstring = statements[0] !== undefined && isDocstring(statements[0]) ? statements[0] : null;
    const first = docstring === null ? body.startPosition.row : docstring.endPosition.row + 1;
    return first <= body.endPosition.row ? { first, last: body.endPosition.row } : null;
  }
  const first = body.startPosition.row + 1;
  const last = body.endPosition.row - 1;
  return first <= last ? { first, last } : null;
}

function isDocstring(statement: SyntaxNode): boolean {
  return statement.type === 'expression_statement' && statement.namedChildCount === 1 && statement.firstNamedChild?.type === 'string';
}

/** The function's name: its own, or that of the variable, field or key it is assigned to. */
function functionName(fn: SyntaxNode): string | null {
  const own = fn.childForFieldName('name');
  if (own !== null) return own.text;
  const parent = fn.parent;
  if (parent === null) return null;
  const holder = parent.childForFieldName('name') ?? parent.childForFieldName('key') ?? parent.childForFieldName('left');
  return holder !== null && holder.endIndex - holder.startIndex <= 80 ? holder.text : null;
}
