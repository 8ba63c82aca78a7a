/**
 * What every reporter does: text for each request as it completes (only a
 * streaming reporter writes any), and the report at the end.
 */
import type { Style } from '../style.js';
import type { ReportView, RequestItem, RunReport } from './report.js';

export interface Reporter {
  /**
   * Whether input problems and the exit message belong inside the report.
   * When such a report shares stderr with them (optimize's), it is the
   * stream's only content, so it stays parseable.
   */
  readonly selfContained: boolean;
  /** Text for one request as it completes; empty for reporters that write only at the end. */
  request(item: RequestItem): string;
  /** The report; `style` (colour and width) matters only to the table. */
  render(report: RunReport, view: ReportView, style: Style): string;
}
