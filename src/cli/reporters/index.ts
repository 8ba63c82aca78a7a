/** The reporters by name, as `--reporter` takes them. */
import { UsageError } from '../context.js';
import { jsonReporter, ndjsonReporter } from './json.js';
import { markdownReporter } from './markdown.js';
import type { Reporter } from './reporter.js';
import { tableReporter } from './table.js';

export const REPORTER_NAMES = ['table', 'json', 'ndjson', 'markdown'] as const;
export type ReporterName = (typeof REPORTER_NAMES)[number];

const REPORTERS: Record<ReporterName, Reporter> = { table: tableReporter, json: jsonReporter, ndjson: ndjsonReporter, markdown: markdownReporter };

export function reporterFor(name: ReporterName): Reporter {
  return REPORTERS[name];
}

/** A flag's value as a reporter name (`none` where the command allows no report), or a usage error naming the flag. */
export function parseReporterName<Extra extends string = never>(value: string, flag: string, extra: readonly Extra[] = []): ReporterName | Extra {
  const names: readonly string[] = [...REPORTER_NAMES, ...extra];
  const found = names.find((name) => name === value);
  if (found === undefined) throw new UsageError(`${flag} must be ${orList(names)}; got "${value}"`);
  return found as ReporterName | Extra;
}

function orList(names: readonly string[]): string {
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

export type { Reporter } from './reporter.js';
export type * from './report.js';
