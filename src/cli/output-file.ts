/**
 * `-o FILE` written safely. The output goes to a temporary file beside FILE
 * and is renamed over it only when the run completes, so FILE is never seen
 * half-written: an interrupted run (Ctrl-C, a crash, a full disk) leaves FILE
 * as it was and removes the temporary file. Rename within one directory is
 * atomic on POSIX file systems. A target that is a pipe or a device
 * (`-o /dev/stdout`) is written directly: there is no file to replace.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from './context.js';

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export class OutputFile {
  private readonly fd: number;
  private closed = false;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.abort();
    // Die of the same signal, as a process without a handler would.
    process.kill(process.pid, signal);
  };

  /**
   * @param target the file written (links resolved)
   * @param temporary where the output goes until commit, or null to write the target directly
   */
  private constructor(
    readonly target: string,
    readonly temporary: string | null,
  ) {
    try {
      this.fd = temporary === null ? fs.openSync(target, 'w') : fs.openSync(temporary, 'wx', modeOf(target));
    } catch (error) {
      throw new UsageError(`cannot write ${target}: ${describeWriteError(error)}`);
    }
    if (temporary !== null) for (const signal of SIGNALS) process.once(signal, this.onSignal);
  }

  /** Opens the output for `target` (an absolute path). */
  static open(target: string): OutputFile {
    const existing = fs.statSync(target, { throwIfNoEntry: false });
    if (existing?.isDirectory()) throw new UsageError(`cannot write ${target}: it is a directory`);
    if (existing && !existing.isFile()) return new OutputFile(target, null);
    // Through a link, the file it points to is replaced, not the link.
    const real = existing ? fs.realpathSync(target) : target;
    return new OutputFile(real, temporaryPathFor(real));
  }

  /** Paths a run must never read as inputs. */
  get paths(): string[] {
    return this.temporary === null ? [this.target] : [this.target, this.temporary];
  }

  write(chunk: string | Uint8Array): void {
    try {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      for (let written = 0; written < bytes.length;) written += fs.writeSync(this.fd, bytes, written);
    } catch (error) {
      this.abort();
      throw new UsageError(`cannot write ${this.target}: ${describeWriteError(error)}`);
    }
  }

  /** The run finished: the temporary file replaces the target. */
  commit(): void {
    if (this.closed) return;
    this.release();
    if (this.temporary === null) return;
    try {
      fs.renameSync(this.temporary, this.target);
    } catch (error) {
      fs.rmSync(this.temporary, { force: true });
      throw new UsageError(`cannot write ${this.target}: ${describeWriteError(error)}`);
    }
  }

  /** The run failed: the target is left untouched and the temporary file removed. */
  abort(): void {
    if (this.closed) return;
    this.release();
    if (this.temporary !== null) fs.rmSync(this.temporary, { force: true });
  }

  private release(): void {
    this.closed = true;
    for (const signal of SIGNALS) process.removeListener(signal, this.onSignal);
    fs.closeSync(this.fd);
  }
}

/** A hidden name beside the target that no walk reads (not a .json/.jsonl name) and no other run shares. */
export function temporaryPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.headroom-${process.pid}.tmp`);
}

/** Keep an existing output's permissions; a new file gets the usual 0666 less umask. */
function modeOf(target: string): number {
  return (fs.statSync(target, { throwIfNoEntry: false })?.mode ?? 0o666) & 0o7777;
}

function describeWriteError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return 'no such directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'EROFS') return 'read-only file system';
  return error instanceof Error ? error.message : String(error);
}

/**
 * True when the output path names one of the input arguments (after following
 * links): writing it would replace an input that has not been read yet.
 */
export function outputIsInput(output: string, inputs: readonly string[], cwd: string): boolean {
  const real = realOrResolved(output);
  return inputs.some((input) => input !== '-' && realOrResolved(path.resolve(cwd, input)) === real);
}

function realOrResolved(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}
