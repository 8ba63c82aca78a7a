/**
 * Input problems: one line each, naming where and what was expected. They are
 * collected, printed on stderr, and never stop the rest of the input from
 * being processed (unless the user asked for --strict).
 */
export interface InputProblem {
  /** File path, `<stdin>`, or a path argument. */
  file: string;
  /** 1-based line, when the problem is on a line. */
  line?: number;
  /** Element index inside a JSON array document, when that is the location. */
  element?: number;
  message: string;
  /**
   * Notes are not errors: a file skipped because it is not a conversation
   * (found while walking a directory), an HTTP exchange with a non-LLM endpoint.
   */
  severity: 'error' | 'note';
  /** Set on the note that says a whole file was skipped (not a conversation, the output file). */
  skipped?: true;
}

export function formatLocation(problem: Pick<InputProblem, 'file' | 'line' | 'element'>): string {
  if (problem.line !== undefined) return `${problem.file}:${problem.line}`;
  if (problem.element !== undefined) return `${problem.file}[${problem.element}]`;
  return problem.file;
}

export function formatProblem(problem: InputProblem): string {
  return `${formatLocation(problem)}: ${problem.message}`;
}

/** Thrown to stop processing at the first error when --strict is given. */
export class StrictModeStop extends Error {
  constructor(readonly problem: InputProblem) {
    super(formatProblem(problem));
  }
}

/**
 * Thrown by the library's one-request entry points (`auditRequest`,
 * `optimizeRequest`, `simulateRequest`) when the body is not one request
 * they can read: the message is the problem's one line, no stack needed.
 */
export class InputError extends Error {
  override readonly name = 'InputError';

  constructor(readonly problem: InputProblem) {
    super(formatProblem(problem));
  }
}
