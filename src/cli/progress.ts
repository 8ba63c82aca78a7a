/**
 * A one-line progress display on stderr for long runs. It only appears on a
 * terminal, only after the run has taken a moment, and erases itself.
 */
import type { AuditProgress } from '../pipeline/audit.js';
import { formatBytes, formatCount, lineWidth } from './style.js';
import { displayWidth, shorten } from './table.js';

const SHOW_AFTER_MS = 1000;
const REDRAW_EVERY_MS = 200;

export class ProgressLine {
  private readonly started = Date.now();
  private lastDraw = 0;
  private visible = false;

  /** `verb` names the run: `auditing`, `optimizing`, `simulating`. */
  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly verb: string,
  ) {}

  static enabled(stream: NodeJS.WriteStream, quiet: boolean): boolean {
    return !quiet && stream.isTTY === true;
  }

  update(progress: AuditProgress): void {
    const now = Date.now();
    if (now - this.started < SHOW_AFTER_MS || now - this.lastDraw < REDRAW_EVERY_MS) return;
    this.lastDraw = now;
    const percent = progress.totalBytes > 0 ? ` ${Math.min(100, Math.floor((progress.bytes / progress.totalBytes) * 100))}%` : '';
    const counts = `${this.verb}${percent}  ${formatBytes(progress.bytes)}  ${formatCount(progress.requests)} requests  `;
    const width = this.width();
    // The file's name is at the end of its path: elide the middle, not the end.
    const line = shorten(`${counts}${shorten(progress.file, Math.max(1, width - displayWidth(counts)), 'middle')}`, width, 'end');
    this.stream.write(`\r${line}${' '.repeat(Math.max(0, width - displayWidth(line)))}`);
    this.visible = true;
  }

  /** One less than the terminal's width, so the line never wraps. */
  private width(): number {
    return lineWidth(this.stream, {}) - 1;
  }

  /** Erases the line so problems and the report print on a clean line. */
  clear(): void {
    if (!this.visible) return;
    this.stream.write(`\r${' '.repeat(this.width())}\r`);
    this.visible = false;
  }
}
