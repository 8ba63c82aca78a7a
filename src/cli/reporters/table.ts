/**
 * The table reporter: the terminal report of each mode, fitted to the width
 * (audit and simulate on stdout, optimize's on stderr).
 */
import { renderAuditTables } from '../audit-table.js';
import { nothingSavedReason, renderOptimizeReport } from '../optimize-report.js';
import { renderReplay } from '../replay-table.js';
import { renderSimulation } from '../simulate-table.js';
import { wrapText } from '../table.js';
import type { Reporter } from './reporter.js';

export const tableReporter: Reporter = {
  // Problems are printed as they are found, beside the tables.
  selfContained: false,
  request: () => '',
  render: (report, view, style) => {
    switch (report.mode) {
      case 'audit':
        return renderAuditTables(report.summary, report.requests, style, { cwd: view.cwd, perFile: view.perFile });
      case 'optimize':
        return renderOptimizeReport(report.summary, style, view.diff, report.diffs);
      case 'simulate': {
        // A total row over no requests would read as "simulated, saved nothing";
        // the exit message says that nothing was found (exit 2).
        const replay = report.replay ? renderReplay(report.replay, style, { all: view.allRequests, cwd: view.cwd }) : '';
        if (report.total.requests === 0) return replay;
        const table = replay + renderSimulation(report.requests, report.total, style, { cwd: view.cwd, all: view.allRequests });
        const nothing = report.total.tokens_saved === 0 ? `${wrapText(`nothing saved: ${nothingSavedReason(report.summary)}`, style.width)}\n` : '';
        return table + nothing;
      }
    }
  },
};
