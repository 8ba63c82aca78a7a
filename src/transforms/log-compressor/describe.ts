/**
 * The marker detail of a dropped run of log lines: which lines, the kind of
 * line most of them are (a template, with the range of its varying value),
 * and how many errors and warnings it holds, so the model can tell from the
 * marker alone whether the run is worth retrieving:
 * `lines 3-414, 412 like "GET /api/v1/items/<n> 200" values 1..412, 2 warnings`.
 */
import { MARKER_DETAIL_MAX_LENGTH } from '../../ccr/markers.js';
import type { DroppedRun, RunDescription } from '../lines.js';
import type { LogLines } from './select.js';
import { varyingRange } from './template.js';

/** The message of a JSON log line names its kind better than its first keys do. */
/** Fewest characters of a template worth showing; and the most one of several may take. */
const MIN_SHOWN = 12;
const SHARED_ROOM = 40;

/** What starts most log lines and says nothing of their kind: timestamps, addresses, pids, access-log identities. */
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\\b';
const STAMP_PART = `<n>|<hex>|[-\\s:.,/+TZ]|${MONTH}`;
const LINE_STAMP = new RegExp(`^(?:${STAMP_PART}|\\[(?:${STAMP_PART})*\\])+`);

const JSON_MESSAGE = /"(?:msg|message)"\s*:\s*"((?:[^"\\]|\\.){1,200})"/;

/** Describes runs of one log; what a template shows is worked out once per template. */
export function runDescriber(log: LogLines): (run: DroppedRun) => RunDescription {
  const shownOf = new Map<string, string>();
  const kindOf = (template: string): string => {
    let key = shownOf.get(template);
    if (key === undefined) {
      key = clip(shown(template), SHARED_ROOM);
      shownOf.set(template, key);
    }
    return key;
  };
  return (run) => describeRun(log, run, kindOf);
}

function describeRun(log: LogLines, run: DroppedRun, kindOf: (template: string) => string): RunDescription {
  const count = run.last - run.first + 1;
  const where = count === 1 ? `line ${run.first + 1}` : `lines ${run.first + 1}-${run.last + 1}`;
  // Kinds of line by what the marker shows of them: a JSON log line by its message, others by template.
  const kinds = new Map<string, number[]>();
  let errors = 0;
  let warnings = 0;
  for (let i = run.first; i <= run.last; i++) {
    const template = log.templates[i]!;
    const key = kindOf(template);
    if (key !== '') {
      const members = kinds.get(key);
      if (members) members.push(i);
      else kinds.set(key, [i]);
    }
    if (log.roles[i]!.severity === 'error') errors++;
    else if (log.roles[i]!.severity === 'warn') warnings++;
  }
  const levels = [errors > 0 ? plural(errors, 'error') : '', warnings > 0 ? plural(warnings, 'warning') : ''].filter(Boolean).join(', ');
  // Most frequent first; ties in order of first appearance (Map order), so the detail is deterministic.
  const ranked = [...kinds].filter(([, members]) => members.length >= 2).sort((a, b) => b[1].length - a[1].length);
  const suffix = levels ? `, ${levels}` : '';
  let detail = where;
  const top = ranked[0];
  if (top && top[1].length * 2 >= count) {
    // A range is only meaningful across lines of one template: its slots line up.
    const sameTemplate = top[1].every((i) => log.templates[i] === log.templates[top[1][0]!]);
    const range = sameTemplate ? varyingRange(top[1].map((i) => log.plain[i]!)) : null;
    const full = shown(log.templates[top[1][0]!]!);
    const head = `${where}, ${top[1].length === count ? 'all' : top[1].length} like "`;
    const tail = `"${range === null ? '' : ` values ${range}`}${suffix}`;
    const room = MARKER_DETAIL_MAX_LENGTH - head.length - tail.length;
    if (room >= MIN_SHOWN) return { unit: 'lines', count, detail: head + clip(sameTemplate ? full : top[0], room) + tail };
  } else {
    // No kind dominates: name the most frequent few, as far as the detail has room.
    for (const [kind, members] of ranked.slice(0, 3)) {
      const head = `${detail}, ${members.length} like "`;
      const room = MARKER_DETAIL_MAX_LENGTH - head.length - 1 - suffix.length;
      if (room < MIN_SHOWN) break;
      detail = `${head}${clip(kind, Math.min(room, SHARED_ROOM))}"`;
    }
  }
  return { unit: 'lines', count, detail: detail + suffix };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A template as the marker grammar allows it: no brackets or parentheses, whitespace runs as one space; a JSON line by its message. */
function shown(template: string): string {
  const message = template.startsWith('{') ? JSON_MESSAGE.exec(template) : null;
  const text = message ? `…"msg":"${message[1]}"…` : template.replace(LINE_STAMP, '');
  return text.replace(/[[(]/g, '{').replace(/[\])]/g, '}').replace(/\s+/g, ' ');
}

function clip(text: string, room: number): string {
  return text.length <= room ? text : `${text.slice(0, room - 1)}…`;
}
