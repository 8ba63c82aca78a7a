/**
 * Where the CCR store lives when nothing says otherwise: the user's data
 * directory, so originals outlive the working directory of a single run and
 * every project on the machine shares one store.
 */
import os from 'node:os';
import path from 'node:path';

const STORE_FILE = 'ccr.db';

/**
 * Linux and others: `$XDG_DATA_HOME/headroom/ccr.db`, else `~/.local/share/headroom/ccr.db`;
 * macOS: `~/Library/Application Support/headroom/ccr.db`;
 * Windows: `%LOCALAPPDATA%\headroom\ccr.db`, else `<home>\AppData\Local\headroom\ccr.db`.
 */
export function defaultCcrStorePath(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA && path.win32.isAbsolute(env.LOCALAPPDATA) ? env.LOCALAPPDATA : path.win32.join(home, 'AppData', 'Local');
    return path.win32.join(local, 'headroom', STORE_FILE);
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'headroom', STORE_FILE);
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  const dataHome = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.local', 'share');
  return path.posix.join(dataHome, 'headroom', STORE_FILE);
}
