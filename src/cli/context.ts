/**
 * What a command needs from the process, passed in so tests and library users
 * can run the CLI without touching the real process.
 */
export enum ExitCode {
  Ok = 0,
  /** A budget or check failed. */
  Check = 1,
  /** Usage, config or input error. */
  Usage = 2,
}

export interface CliContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Set by the command that ran. */
  exitCode: ExitCode;
  /** Help text of a command, for commands that print it instead of running. */
  helpFor(command: string): string;
}

/** A mistake in how the command was called; printed as one line, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Why a run found nothing to work on, e.g. "nothing to audit: no requests in 3
 * files (3 skipped: not a conversation)". Finding nothing is exit 2, so a CI
 * gate pointed at the wrong folder fails instead of passing.
 */
export function nothingFoundMessage(verb: string, run: { sources: number; skippedFiles: number }): string {
  const files = run.sources === 1 ? '1 file' : `${run.sources} files`;
  const skipped = run.skippedFiles > 0 ? ` (${run.skippedFiles} skipped: not a conversation or request file)` : '';
  return `nothing to ${verb}: no requests in ${run.sources === 0 ? 'the input' : files}${skipped}`;
}
