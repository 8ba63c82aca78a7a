import { CONFIG_SCHEMA } from './headroom-config.js';
import { SEARCHED_DESCRIPTION } from './load.js';
import type { ResolvedConfig } from './load.js';
import { sourceLabel } from './sources.js';

export interface ConfigReportOptions {
  json: boolean;
  /** Text form only: put each leaf's description on a `#` line above it. */
  descriptions?: boolean;
}

// Long values (regex lists, templates) would push every source column far right.
const MAX_ALIGNED_VALUE = 40;

export function formatConfigReport(resolved: ResolvedConfig, options: ConfigReportOptions): string {
  const sourceOf = (p: string): string => sourceLabel(resolved.sources[p] ?? { kind: 'default' });

  if (options.json) {
    const sources: Record<string, string> = {};
    for (const leaf of CONFIG_SCHEMA.leaves) sources[leaf.path] = sourceOf(leaf.path);
    const report = { config: CONFIG_SCHEMA.toSnake(resolved.config), sources, file: resolved.file };
    return `${JSON.stringify(report, null, 2)}\n`;
  }

  const rows = CONFIG_SCHEMA.leaves.map((leaf) => ({
    leaf,
    // JSON keeps strings quoted and escapes newlines, so each leaf stays on one line.
    value: JSON.stringify(CONFIG_SCHEMA.get(resolved.config, leaf)),
  }));
  const keyWidth = Math.max(...rows.map((r) => r.leaf.path.length));
  const valueWidth = Math.max(0, ...rows.map((r) => r.value.length).filter((n) => n <= MAX_ALIGNED_VALUE));

  const header = resolved.file === null ? `no config file found; searched: ${SEARCHED_DESCRIPTION}` : `config file: ${resolved.file}`;
  const lines = [header];
  for (const { leaf, value } of rows) {
    if (options.descriptions && leaf.field.description !== '') lines.push(`# ${leaf.field.description}`);
    lines.push(`${leaf.path.padEnd(keyWidth)} = ${value.padEnd(valueWidth)}   (${sourceOf(leaf.path)})`);
  }
  return `${lines.join('\n')}\n`;
}
