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
