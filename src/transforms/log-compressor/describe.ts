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
const JSON_MESSAGE = /"(?:msg|message)"\s*:\s*"((?:[^"\\]|\\.){1,200})"/;

export function describeRun(log: LogLines, run: DroppedRun): RunDescription {
  const count = run.last - run.first + 1;
  const where = count === 1 ? `line ${run.first + 1}` : `lines ${run.first + 1}-${run.last + 1}`;
  const tally = new Map<string, number>();
  let errors = 0;
  let warnings = 0;
  for (let i = run.first; i <= run.last; i++) {
    const template = log.templates[i]!;
    if (template !== '') tally.set(template, (tally.get(template) ?? 0) + 1);
    if (log.roles[i]!.severity === 'error') errors++;
    else if (log.roles[i]!.severity === 'warn') warnings++;
  }
  const levels = [errors > 0 ? plural(errors, 'error') : '', warnings > 0 ? plural(warnings, 'warning') : ''].filter(Boolean).join(', ');
  let common = '';
  let commonCount = 0;
  for (const [template, n] of tally) {
    if (n > commonCount) {
      common = template;
      commonCount = n;
    }
  }
  let detail = where;
  if (commonCount >= 2 && commonCount * 2 >= count) {
    const lines: string[] = [];
    for (let i = run.first; i <= run.last; i++) if (log.templates[i] === common) lines.push(log.plain[i]!);
    const range = varyingRange(lines);
    const head = `${where}, ${commonCount === count ? 'all' : commonCount} like "`;
    const tailText = `"${range === null ? '' : ` values ${range}`}${levels ? `, ${levels}` : ''}`;
    const room = MARKER_DETAIL_MAX_LENGTH - head.length - tailText.length;
    if (room >= 12) detail = head + clip(shown(common), room) + tailText;
    else if (levels) detail = `${where}, ${levels}`;
  } else if (levels) {
    detail = `${where}, ${levels}`;
  }
  return { unit: 'lines', count, detail };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A template as the marker grammar allows it: no brackets or parentheses, whitespace runs as one space; a JSON line by its message. */
function shown(template: string): string {
  const message = template.startsWith('{') ? JSON_MESSAGE.exec(template) : null;
  const text = message ? `…"msg":"${message[1]}"…` : template;
  return text.replace(/[[(]/g, '{').replace(/[\])]/g, '}').replace(/\s+/g, ' ');
}

function clip(text: string, room: number): string {
  return text.length <= room ? text : `${text.slice(0, room - 1)}…`;
}
