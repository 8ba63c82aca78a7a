/**
 * JSON seen line by line: a stream of JSON objects is a log (objects with a
 * time or level key), ripgrep's `--json` messages, or plain records.
 */

/** What one line holding a JSON object is. */
export type JsonLineKind = 'log' | 'ripgrep' | 'record';

const TIME_KEYS = new Set(['time', 'timestamp', 'ts', '@timestamp', 'datetime', 'date', 'time_local', 'timeMillis', 'eventTime', 'logged_at', 't']);
const LEVEL_KEYS = new Set(['level', 'severity', 'lvl', 'loglevel', 'log_level', 'levelname', 'log.level', 'level_name']);
const MESSAGE_KEYS = new Set(['msg', 'message', 'log', 'event']);
const RIPGREP_TYPES = new Set(['begin', 'match', 'context', 'end', 'summary']);

/** The kind of a line that is one JSON object, or null when it is not one (or was cut by the sample). */
export function jsonLineKind(line: string): JsonLineKind | null {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return null;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const object = value as Record<string, unknown>;
  if (typeof object.type === 'string' && RIPGREP_TYPES.has(object.type) && typeof object.data === 'object') return 'ripgrep';
  let time = false;
  let level = false;
  let message = false;
  for (const key of Object.keys(object)) {
    if (TIME_KEYS.has(key)) time = true;
    else if (LEVEL_KEYS.has(key)) level = true;
    else if (MESSAGE_KEYS.has(key)) message = true;
  }
  // A timestamp makes a stream of events; a level with a message is a log line without one.
  return time || (level && message) ? 'log' : 'record';
}
