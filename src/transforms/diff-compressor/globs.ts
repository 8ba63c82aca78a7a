/**
 * The file patterns of `diff_compressor.summarize_patterns`, as users write
 * them in .gitignore-like form: a pattern without `/` matches a file name
 * (`*.min.js`, `yarn.lock`); one ending in `/` matches a directory anywhere
 * in the path (`dist/`); any other is matched against the path's end at a
 * directory boundary (`web/static/*.js`). `*` stays inside one path segment,
 * `**` crosses segments.
 */
export type PathMatcher = (path: string) => boolean;

export function pathMatcher(patterns: readonly string[]): PathMatcher {
  const regexes = patterns.filter((pattern) => pattern.trim().length > 0).map(patternRegex);
  return (path) => regexes.some((regex) => regex.test(path));
}

function patternRegex(pattern: string): RegExp {
  const trimmed = pattern.trim();
  if (trimmed.endsWith('/')) return new RegExp(`(?:^|/)${globBody(trimmed.slice(0, -1))}/`);
  if (!trimmed.includes('/')) return new RegExp(`(?:^|/)${globBody(trimmed)}$`);
  return new RegExp(`(?:^|/)${globBody(trimmed.replace(/^\//, ''))}$`);
}

function globBody(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === '*' && glob[i + 1] === '*' && glob[i + 2] === '/') {
      out += '(?:.*/)?';
      i += 2;
    } else if (ch === '*' && glob[i + 1] === '*') {
      out += '.*';
      i++;
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else out += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}
