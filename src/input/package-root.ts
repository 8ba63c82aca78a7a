/**
 * The installed headroom package's directory. Found by walking up from the
 * calling module, because compiled code sits at different depths in `dist/`
 * and in the compiled tests (`dist-test/src/`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageRoot {
  dir: string;
  version: string;
}

let found: PackageRoot | null | undefined;

/** headroom's package directory and version, or null when this code runs outside its package. */
export function packageRoot(): PackageRoot | null {
  if (found !== undefined) return found;
  found = null;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (json.name === 'headroom' && json.version) return (found = { dir, version: json.version });
    }
    dir = path.dirname(dir);
  }
  return found;
}
