/**
 * Terminal styling decisions in one place: colors only when writing to a
 * terminal, never with NO_COLOR or --no-color.
 */
import { Chalk, type ChalkInstance } from 'chalk';

export interface Style {
  color: boolean;
  chalk: ChalkInstance;
}

export function styleFor(stream: NodeJS.WriteStream, colorFlag: boolean, env: NodeJS.ProcessEnv = process.env): Style {
  const noColorEnv = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const color = colorFlag && !noColorEnv && stream.isTTY === true;
  return { color, chalk: new Chalk({ level: color ? 1 : 0 }) };
}

/** 12345 → "12,345". */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
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
