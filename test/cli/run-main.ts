/**
 * Runs the CLI in-process through `main(argv, io)`, with fake streams, so a
 * CLI test costs milliseconds instead of a process spawn. Spawning the real
 * binary is kept for one smoke test per command (smoke.test.ts, `runCli`).
 */
import { PassThrough, Readable } from 'node:stream';
import { main, type ProcessIo } from '../../src/cli/main.js';
import { ROOT } from './helpers.js';

export interface MainRun {
  status: number;
  stdout: string;
  stderr: string;
}

export interface MainOptions {
  /** Text piped to stdin; without it stdin is an empty pipe. */
  input?: string | Buffer;
  cwd?: string;
  /** The environment (HEADROOM_* variables of the test process are not passed on). */
  env?: NodeJS.ProcessEnv;
  /** Pretend stdout/stderr are terminals (colours, progress) of this many columns. */
  tty?: { columns: number };
  /** Pretend stdin is a terminal (nothing piped in). */
  stdinTty?: boolean;
}

/** A writable that collects what is written to it as text. */
function collector(tty: MainOptions['tty']): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const fake = stream as unknown as NodeJS.WriteStream & { isTTY?: boolean; columns?: number };
  if (tty) {
    fake.isTTY = true;
    fake.columns = tty.columns;
  }
  return { stream: fake, text: () => Buffer.concat(chunks).toString('utf8') };
}

export async function runMain(args: readonly string[], options: MainOptions = {}): Promise<MainRun> {
  const stdout = collector(options.tty);
  const stderr = collector(options.tty);
  const stdin = Readable.from(options.input === undefined ? [] : [Buffer.from(options.input)]) as unknown as NodeJS.ReadStream & { isTTY?: boolean };
  if (options.stdinTty) stdin.isTTY = true;
  const env: NodeJS.ProcessEnv = { ...(options.env ?? {}) };
  const io: ProcessIo = { cwd: options.cwd ?? ROOT, env, stdin, stdout: stdout.stream, stderr: stderr.stream };
  const status = await main(['node', 'headroom', ...args], io);
  // Let the pass-through streams deliver what was written.
  await new Promise((resolve) => setImmediate(resolve));
  return { status, stdout: stdout.text(), stderr: stderr.text() };
}
