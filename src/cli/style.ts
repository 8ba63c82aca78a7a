/**
 * Terminal styling decisions in one place, for every command and for both
 * stdout and stderr: whether to colour, and how wide a line may be.
 */
import type { ChalkInstance, ColorSupportLevel } from 'chalk';
import { formatCount as groupDigits } from '../analysis/waste/describe.js';

export interface Style {
  color: boolean;
  chalk: ChalkInstance;
  /** Columns a line may take (see lineWidth). */
  width: number;
}

/**
 * `flag` is `--color` (true), `--no-color` (false) or neither (undefined).
 * The usual conventions, in order (chalk's supports-color is the model, but
 * it reads the process's own env and argv, and tests inject both):
 * the flag; `NO_COLOR` non-empty → off; `FORCE_COLOR` `0`/`false` → off,
 * `1`/`2`/`3`/`true`/empty → on even into a pipe, at that level;
 * `TERM=dumb` → off; otherwise colour only on a terminal.
 */
export function colorLevel(stream: NodeJS.WriteStream, flag: boolean | undefined, env: NodeJS.ProcessEnv): ColorSupportLevel {
  if (flag !== undefined) return flag ? (Math.max(1, forcedLevel(env) ?? 1) as ColorSupportLevel) : 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const forced = forcedLevel(env);
  if (forced !== undefined) return forced;
  if (env.TERM === 'dumb') return 0;
  // Only the 16 basic colours are used, so a terminal needs no further sniffing.
  return stream.isTTY === true ? 1 : 0;
}

/** FORCE_COLOR's level, or undefined when it is not set. Unrecognised values count as "on". */
function forcedLevel(env: NodeJS.ProcessEnv): ColorSupportLevel | undefined {
  const value = env.FORCE_COLOR;
  if (value === undefined) return undefined;
  if (value === 'false' || value === '0') return 0;
  const level = Number.parseInt(value, 10);
  return Number.isNaN(level) || level < 1 ? 1 : (Math.min(level, 3) as ColorSupportLevel);
}

export async function styleFor(stream: NodeJS.WriteStream, colorFlag: boolean | undefined, env: NodeJS.ProcessEnv = process.env): Promise<Style> {
  const level = colorLevel(stream, colorFlag, env);
  // Loaded on first use: importing chalk costs as much start-up time as commander, and --help needs neither colour nor it.
  const { Chalk } = await import('chalk');
  return { color: level > 0, chalk: new Chalk({ level }), width: lineWidth(stream, env) };
}

/** Narrower than this, tables fall back to one line per value anyway; it keeps the arithmetic sane. */
const MIN_WIDTH = 20;
const DEFAULT_WIDTH = 80;

/**
 * The terminal's width on a terminal (some report 0); otherwise `COLUMNS`
 * when set; otherwise 80, so piped output stays readable and tests are
 * deterministic.
 */
export function lineWidth(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): number {
  const terminal = stream.isTTY === true && stream.columns > 0 ? stream.columns : undefined;
  const fromEnv = env.COLUMNS !== undefined && /^\d+$/.test(env.COLUMNS) ? Number(env.COLUMNS) : undefined;
  const width = terminal ?? (fromEnv && fromEnv > 0 ? fromEnv : DEFAULT_WIDTH);
  return Math.max(MIN_WIDTH, width);
}

/** 12345 → "12,345". */
export function formatCount(value: number): string {
  const rounded = Math.round(value);
  // Intl (toLocaleString) costs ~10 ms on first use, a large share of a small audit's run; the
  // regex gives the same text for every safe integer (-0, NaN and ±Infinity keep Intl's spelling).
  return Number.isSafeInteger(rounded) && !Object.is(rounded, -0) ? groupDigits(rounded) : rounded.toLocaleString('en-US');
}

/** 0.1234 → "12.3%". */
export function formatShare(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return `${(value * 100).toFixed(1)}%`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}
