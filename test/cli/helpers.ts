import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run from dist-test/test/cli). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = path.join(ROOT, 'bin/headroom.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  input?: string;
  cwd?: string;
  env?: Record<string, string>;
}

/** Spawns the real binary, as a user would run it. */
export function runCli(args: readonly string[], options: CliOptions = {}): CliRun {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  for (const key of Object.keys(env)) if (key.startsWith('HEADROOM_') && !(options.env && key in options.env)) delete env[key];
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env,
    input: options.input ?? '',
    encoding: 'utf8',
    maxBuffer: 32 << 20,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh temp dir holding the given files (objects are JSON-encoded). */
export function tempFiles(files: Record<string, string | object>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headroom-cli-'));
  for (const [name, contents] of Object.entries(files)) {
    const full = path.join(dir, name);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, typeof contents === 'string' ? contents : JSON.stringify(contents));
  }
  return dir;
}

/** Asserts-free check used by tests: no stack trace lines in output. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+\(.+:\d+:\d+\)$/m.test(text) || /node:internal/.test(text);
}

export const CHAT_REQUEST = {
  model: 'gpt-4o',
  messages: [
    { role: 'system', content: 'You are a helpful assistant for the billing team.' },
    { role: 'user', content: 'List the open invoices for ACME.' },
    {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'list_invoices', arguments: '{"customer":"ACME"}' } }],
    },
    {
      role: 'tool',
      tool_call_id: 'call_1',
      content: JSON.stringify(
        [
          { id: 1001, customer: 'ACME', amount: 1200.5, status: 'open', due: '2026-12-01' },
          { id: 1002, customer: 'ACME', amount: 310, status: 'open', due: '2026-12-15' },
          { id: 1003, customer: 'ACME', amount: 99.99, status: 'open', due: '2027-01-02' },
        ],
        null,
        4,
      ),
    },
  ],
  tools: [
    {
      type: 'function',
      function: {
        name: 'list_invoices',
        description: 'List invoices for a customer',
        parameters: { type: 'object', properties: { customer: { type: 'string' } }, required: ['customer'] },
      },
    },
  ],
};
