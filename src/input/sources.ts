/**
 * Turns command-line path arguments into an ordered list of sources: files,
 * files found under directories, glob matches, or stdin.
 *
 * Sources are named the way the user named them: an absolute argument gives
 * absolute names (for the files under it and its glob matches too), a
 * relative one gives names relative to the working directory.
 */
import { promises as fs, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
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

/** `name` is how the input is named in request ids and problems (a library caller's body is `<request>`). */
export function stdinSource(name: string = STDIN_NAME): Source {
  return { name, kind: 'stdin', path: null, discovered: false };
}

export interface ResolvedSources {
  sources: Source[];
  problems: InputProblem[];
}

export interface ResolveOptions {
  /**
   * Absolute paths never read as inputs: optimize's output file and its
   * temporary file, which may sit in a directory being walked. A walk or glob
   * that finds one skips it with a note.
   */
  exclude?: readonly string[];
  /** Lists a directory; `fs.readdir` unless a test needs a directory that cannot be read (root reads everything). */
  listDirectory?: (directory: string) => Promise<Dirent[]>;
}

export async function resolveSources(args: readonly string[], cwd: string, options: ResolveOptions = {}): Promise<ResolvedSources> {
  const sources: Source[] = [];
  const problems: InputProblem[] = [];
  const seen = new Set<string>();
  const excluded = new Set(await Promise.all((options.exclude ?? []).map(canonicalPath)));
  const add = async (source: Source): Promise<void> => {
    const key = source.path ? await canonicalPath(source.path) : source.name;
    if (seen.has(key)) return;
    seen.add(key);
    if (source.discovered && excluded.has(key)) {
      problems.push({ file: source.name, message: 'skipped: it is the output file (-o)', severity: 'note', skipped: true });
      return;
    }
    sources.push(source);
  };

  for (const arg of args) {
    if (arg === '-') {
      await add(stdinSource());
      continue;
    }
    const absolute = path.resolve(cwd, arg);
    const stat = await fs.stat(absolute).catch((error: NodeJS.ErrnoException) => error);
    if (stat instanceof Error) {
      // Only a path that does not exist may be a pattern: tinyglobby (~14 ms to load) is loaded for those alone.
      const { isDynamicPattern } = await import('tinyglobby');
      if (isDynamicPattern(arg)) {
        const matches = await expandGlob(arg, cwd);
        if (matches.length === 0) problems.push({ file: arg, message: 'no files match this pattern', severity: 'error' });
        for (const match of matches) await add({ name: match, kind: 'file', path: path.resolve(cwd, match), discovered: true });
      } else {
        problems.push({ file: arg, message: describePathError(stat), severity: 'error' });
      }
    } else if (stat.isDirectory()) {
      const walk = new DirectoryWalk(arg, absolute, options.listDirectory ?? ((directory) => fs.readdir(directory, { withFileTypes: true })));
      await walk.run();
      problems.push(...walk.problems);
      if (walk.files.length === 0) {
        problems.push({ file: arg, message: 'directory has no .json, .jsonl or .ndjson files', severity: 'error' });
      }
      for (const file of walk.files) await add({ name: file.name, kind: 'file', path: file.path, discovered: true });
    } else if (isReadable(stat)) {
      await add({ name: arg, kind: 'file', path: absolute, discovered: false });
    } else {
      problems.push({ file: arg, message: 'not a file, directory or pipe', severity: 'error' });
    }
  }
  return { sources, problems };
}

/**
 * Regular files, and streams named as paths: FIFOs and process substitution
 * (`<(zcat log.gz)` is `/dev/fd/63`), `/dev/stdin`, character devices.
 */
function isReadable(stat: Stats): boolean {
  return stat.isFile() || stat.isFIFO() || stat.isCharacterDevice() || stat.isSocket();
}

/** Glob matches, sorted, named in the form of the pattern (absolute stays absolute). */
async function expandGlob(pattern: string, cwd: string): Promise<string[]> {
  const { glob } = await import('tinyglobby');
  const matches = await glob(pattern, { cwd, onlyFiles: true, dot: true, expandDirectories: false, absolute: path.isAbsolute(pattern) });
  return matches.sort();
}

/** One line for a path that cannot be looked at. */
function describePathError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'ELOOP':
      return 'symbolic link loop (a link that points back to itself)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'no such file or directory (a part of the path is not a directory)';
    case 'ENAMETOOLONG':
      return 'path too long';
    default:
      return `cannot read (${error.code ?? error.message})`;
  }
}

/** The real path of an existing file (links resolved), else the path as given. */
async function canonicalPath(file: string): Promise<string> {
  return fs.realpath(file).catch(() => path.resolve(file));
}

/**
 * All conversation-like files under a directory, sorted for a deterministic
 * order. Links to files are followed; links to directories are followed once
 * (a link back to a directory already being walked is a loop, noted and
 * skipped). A subdirectory that cannot be read is noted, not silently lost.
 */
class DirectoryWalk {
  readonly files: { name: string; path: string }[] = [];
  readonly problems: InputProblem[] = [];
  private readonly walking = new Set<string>();

  constructor(
    private readonly name: string,
    private readonly root: string,
    private readonly listDirectory: (directory: string) => Promise<Dirent[]>,
  ) {}

  async run(): Promise<void> {
    await this.walk(this.root, this.name);
  }

  private async walk(directory: string, name: string): Promise<void> {
    const real = await canonicalPath(directory);
    if (this.walking.has(real)) {
      this.problems.push({ file: name, message: 'symbolic link loop (links back to a directory being searched); skipped', severity: 'note' });
      return;
    }
    this.walking.add(real);
    try {
      let entries;
      try {
        entries = await this.listDirectory(directory);
      } catch (error) {
        this.problems.push({ file: name, message: `cannot read this directory (${describePathError(error as NodeJS.ErrnoException)}); skipped`, severity: 'note' });
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const full = path.join(directory, entry.name);
        const entryName = path.join(name, entry.name);
        let isDirectory = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
          const target = await fs.stat(full).catch((error: NodeJS.ErrnoException) => error);
          if (target instanceof Error) {
            if (target.code === 'ELOOP') this.problems.push({ file: entryName, message: 'symbolic link loop; skipped', severity: 'note' });
            continue;
          }
          isDirectory = target.isDirectory();
          isFile = target.isFile();
        }
        if (isDirectory) {
          if (!SKIPPED_DIRECTORIES.has(entry.name)) await this.walk(full, entryName);
        } else if (isFile && CONVERSATION_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
          this.files.push({ name: entryName, path: full });
        }
      }
    } finally {
      this.walking.delete(real);
    }
  }
}
