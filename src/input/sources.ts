/**
 * Turns command-line path arguments into an ordered list of sources: files,
 * files found under directories, glob matches, or stdin.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import type { InputProblem } from './problems.js';

export interface Source {
  /** How the source is named in messages: the path as the user wrote it, or `<stdin>`. */
  name: string;
  kind: 'file' | 'stdin';
  /** Absolute path for files. */
  path: string | null;
  /**
   * True when the file was found by walking a directory or expanding a glob
   * rather than named directly: a JSON file there that is not a conversation
   * is skipped with a note instead of being an error.
   */
  discovered: boolean;
}

export const STDIN_NAME = '<stdin>';
const CONVERSATION_EXTENSIONS = new Set(['.json', '.jsonl', '.ndjson']);
/** Directories that never hold conversations and can be huge. */
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

export function stdinSource(): Source {
  return { name: STDIN_NAME, kind: 'stdin', path: null, discovered: false };
}

export interface ResolvedSources {
  sources: Source[];
  problems: InputProblem[];
}

export async function resolveSources(args: readonly string[], cwd: string): Promise<ResolvedSources> {
  const sources: Source[] = [];
  const problems: InputProblem[] = [];
  const seen = new Set<string>();
  const add = (source: Source): void => {
    const key = source.path ?? source.name;
    if (seen.has(key)) return;
    seen.add(key);
    sources.push(source);
  };

  for (const arg of args) {
    if (arg === '-') {
      add(stdinSource());
      continue;
    }
    const absolute = path.resolve(cwd, arg);
    const stat = await fs.stat(absolute).catch(() => null);
    if (stat?.isFile()) {
      add({ name: arg, kind: 'file', path: absolute, discovered: false });
    } else if (stat?.isDirectory()) {
      const files = await walkDirectory(absolute);
      if (files.length === 0) {
        problems.push({
          file: arg,
          message: 'directory has no .json, .jsonl or .ndjson files',
          severity: 'error',
        });
      }
      for (const file of files) {
        add({ name: path.join(arg, path.relative(absolute, file)), kind: 'file', path: file, discovered: true });
      }
    } else if (isDynamicPattern(arg)) {
      const matches = (await glob(arg, { cwd, onlyFiles: true, dot: true, expandDirectories: false })).sort();
      if (matches.length === 0) {
        problems.push({ file: arg, message: 'no files match this pattern', severity: 'error' });
      }
      for (const match of matches) {
        add({ name: match, kind: 'file', path: path.resolve(cwd, match), discovered: true });
      }
    } else if (stat) {
      problems.push({ file: arg, message: 'not a regular file or directory', severity: 'error' });
    } else {
      problems.push({ file: arg, message: 'no such file or directory', severity: 'error' });
    }
  }
  return { sources, problems };
}

/** All conversation-like files under a directory, sorted for a deterministic order. */
async function walkDirectory(directory: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await fs.readdir(directory, { withFileTypes: true }).catch(() => []);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) found.push(...(await walkDirectory(full)));
    } else if (entry.isFile() && CONVERSATION_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
      found.push(full);
    }
  }
  return found;
}
