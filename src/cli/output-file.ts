/**
 * `-o FILE` written safely. The output goes to a temporary file beside FILE
 * and is renamed over it only when the run completes, so FILE is never seen
 * half-written: an interrupted run (Ctrl-C, a crash, a full disk) leaves FILE
 * as it was and removes the temporary file. Rename within one directory is
 * atomic on POSIX file systems.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from './context.js';

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export class OutputFile {
  readonly temporary: string;
  private readonly fd: number;
  private closed = false;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.abort();
    // Die of the same signal, as a process without a handler would.
    process.kill(process.pid, signal);
  };

  private constructor(readonly target: string) {
    this.temporary = temporaryPathFor(target);
    try {
      this.fd = fs.openSync(this.temporary, 'wx', modeOf(target));
    } catch (error) {
      throw new UsageError(`cannot write ${target}: ${describeWriteError(error)}`);
    }
    for (const signal of SIGNALS) process.once(signal, this.onSignal);
  }

  /** Opens the temporary file for `target` (an absolute path). */
  static open(target: string): OutputFile {
    const existing = fs.statSync(target, { throwIfNoEntry: false });
    if (existing?.isDirectory()) throw new UsageError(`cannot write ${target}: it is a directory`);
    return new OutputFile(target);
  }

  write(chunk: string | Uint8Array): void {
    try {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      for (let written = 0; written < bytes.length; ) written += fs.writeSync(this.fd, bytes, written);
    } catch (error) {
      this.abort();
      throw new UsageError(`cannot write ${this.target}: ${describeWriteError(error)}`);
    }
  }

  /** The run finished: the temporary file replaces the target. */
  commit(): void {
    if (this.closed) return;
    this.release();
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
    fs.rmSync(this.temporary, { force: true });
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
