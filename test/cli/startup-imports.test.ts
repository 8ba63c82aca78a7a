/**
 * What the CLI loads before it knows the command. Its static imports (compiled,
 * so type-only imports are gone) must not reach the tokenizer, SQLite, the
 * input readers, the pipelines or chalk: `--help`, `--version` and `config` would pay
 * for them on every start. Each command loads those in its action.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const COMPILED_SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');

/** `import … from 'x'`, `import 'x'` and `export … from 'x'` at the start of a line; not `import('x')`. */
const STATIC_IMPORT = /^(?:import|export)\s(?:[^'";]*?\sfrom\s)?['"]([^'"]+)['"]/gm;

/** Every module reached through static imports from `entry`: compiled files (relative to src/) and package names. */
function staticClosure(entry: string): Set<string> {
  const reached = new Set<string>();
  const pending = [path.join(COMPILED_SRC, entry)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    const name = path.relative(COMPILED_SRC, file);
    if (reached.has(name)) continue;
    reached.add(name);
    for (const [, specifier] of fs.readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      if (specifier === undefined || specifier.startsWith('node:')) continue;
      if (specifier.startsWith('.')) pending.push(path.resolve(path.dirname(file), specifier));
      else
        reached.add(
          specifier
            .split('/')
            .slice(0, specifier.startsWith('@') ? 2 : 1)
            .join('/'),
        );
    }
  }
  return reached;
}

/** The packages and the entry modules of what only some commands need. */
const HEAVY = [
  'better-sqlite3',
  'chalk',
  'js-tiktoken',
  'tinyglobby',
  'tokens/counter.js',
  'tokens/rank-file.js',
  'ccr/open-store.js',
  'ccr/sqlite-store.js',
  'config/load.js',
  'input/sources.js',
  'input/records.js',
  'formats/parse-source.js',
  'analysis/request-analysis.js',
  'pipeline/audit.js',
  'pipeline/optimize.js',
];

describe('startup imports', () => {
  it('the CLI loads no tokenizer, SQLite, input reader, pipeline, config loader or chalk before a command runs', () => {
    const reached = staticClosure('cli/main.js');
    assert.ok(reached.has('commander') && reached.has('cli/audit-command.js'), 'the walk follows imports');
    const heavy = [...reached].filter((name) => HEAVY.includes(name));
    assert.deepEqual(heavy, []);
  });

  it('SQLite and the glob matcher load on first use, not with the pipelines or the library', () => {
    for (const entry of ['pipeline/audit.js', 'pipeline/optimize.js', 'index.js']) {
      const reached = staticClosure(entry);
      assert.ok(reached.has('ccr/sqlite-store.js') || entry !== 'index.js', 'the walk follows imports');
      assert.deepEqual(
        [...reached].filter((name) => name === 'better-sqlite3' || name === 'tinyglobby'),
        [],
        entry,
      );
    }
  });

  it('the tree-sitter runtime of code outlines loads on first outline, not with the pipelines or the library', () => {
    for (const entry of ['pipeline/optimize.js', 'index.js']) {
      const reached = staticClosure(entry);
      assert.ok(reached.has('transforms/code-outline/index.js'), `${entry}: the walk reaches the outliner`);
      assert.deepEqual(
        [...reached].filter((name) => name === 'web-tree-sitter' || name === 'tree-sitter-wasms' || name.startsWith('transforms/code-outline/grammars')),
        [],
        entry,
      );
    }
  });

  it('the library entry does not load the CLI', () => {
    const reached = staticClosure('index.js');
    assert.ok(reached.has('pipeline/audit.js'), 'the walk follows imports');
    assert.deepEqual(
      [...reached].filter((name) => name.startsWith('cli/') || name === 'commander' || name === 'chalk'),
      [],
    );
  });
});
