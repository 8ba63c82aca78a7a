/** The files an audit of these paths reads, found the same way the CLI finds them. */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const EXTENSIONS = new Set(['.json', '.jsonl', '.ndjson']);

export function inputFiles(paths) {
  const files = [];
  const walk = (target) => {
    const stat = statSync(target);
    if (stat.isFile()) {
      files.push(target);
      return;
    }
    for (const entry of readdirSync(target, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(target, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== '.git') walk(full);
      } else if (EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
        files.push(full);
      }
    }
  };
  for (const target of paths) walk(target);
  return files;
}

export function inputBytes(paths) {
  return inputFiles(paths).reduce((sum, file) => sum + statSync(file).size, 0);
}
