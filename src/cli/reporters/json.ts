/**
 * The JSON reporters. One envelope for every mode: `schema` first, the mode's
 * body (audit: `summary` and `requests`; optimize: `summary` and `requests`;
 * simulate: `total` and `requests`), then `problems` and `exit`. NDJSON
 * streams the requests one per line and ends with that envelope on one line.
 */
import type { SimulationResult } from '../../pipeline/simulation.js';
import { decisionJson } from './decision.js';
import type { Reporter } from './reporter.js';
import { SCHEMAS, type OptimizeRequestEntry, type RequestItem, type RunExit, type RunReport } from './report.js';

export const jsonReporter: Reporter = {
  selfContained: true,
  request: () => '',
  render: (report) => `${JSON.stringify(envelope(report), null, 2)}\n`,
};

export const ndjsonReporter: Reporter = {
  selfContained: true,
  request: (item) => `${JSON.stringify(requestLine(item))}\n`,
  render: (report) => `${JSON.stringify(summaryLine(report))}\n`,
};

function envelope(report: RunReport): Record<string, unknown> {
  const tail = { problems: report.problems, exit: exitJson(report.exit) };
  switch (report.mode) {
    case 'audit':
      return { schema: SCHEMAS.audit, summary: report.summary, ...(report.requests ? { requests: report.requests } : {}), ...tail };
    case 'optimize':
      return { schema: SCHEMAS.optimize, summary: report.summary, requests: (report.requests ?? []).map(optimizeEntryJson), ...tail };
    case 'simulate':
      return { schema: SCHEMAS.simulate, total: report.total, ...(report.replay ? { replay: report.replay } : {}), requests: report.requests.map(simulationJson), ...tail };
  }
}

/** Audit's lines are its request reports as they are; the others are tagged like them. */
function requestLine(item: RequestItem): unknown {
  switch (item.mode) {
    case 'audit':
      return item.request;
    case 'optimize':
      return { type: 'request', ...optimizeEntryJson(item.request) };
    case 'simulate':
      return { type: 'request', ...simulationJson(item.request) };
  }
}

/** The last line. Audit's is its summary object as it always was (problems are on stderr, beside the stdout report). */
function summaryLine(report: RunReport): unknown {
  if (report.mode === 'audit') return report.summary;
  const body = report.mode === 'optimize' ? { summary: report.summary } : { total: report.total, ...(report.replay ? { replay: report.replay } : {}) };
  return { type: 'summary', schema: SCHEMAS[report.mode], ...body, problems: report.problems, exit: exitJson(report.exit) };
}

function optimizeEntryJson(entry: OptimizeRequestEntry): Record<string, unknown> {
  return { metrics: entry.metrics, result: { ...entry.result, blocks: entry.result.blocks.map(decisionJson) } };
}

function simulationJson(row: SimulationResult): Record<string, unknown> {
  return { ...row, blocks: row.blocks.map(decisionJson) };
}

function exitJson(exit: RunExit): { code: number; message: string | null } {
  return { code: exit.code, message: exit.message };
}
