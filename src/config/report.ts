import { CONFIG_SCHEMA } from './headroom-config.js';
import { SEARCHED_DESCRIPTION } from './load.js';
import type { ResolvedConfig } from './load.js';
import { sourceLabel } from './sources.js';
import { settingReader } from './stages.js';

export interface ConfigReportOptions {
  json: boolean;
  /**
   * Text: put each leaf's description, and which stage reads it (or that
   * none does yet), on a `#` line above it. JSON: add `read_by`.
   */
  descriptions?: boolean;
}

// Long values (regex lists, templates) would push every source column far right.
const MAX_ALIGNED_VALUE = 40;

export function formatConfigReport(resolved: ResolvedConfig, options: ConfigReportOptions): string {
  const sourceOf = (p: string): string => sourceLabel(resolved.sources[p] ?? { kind: 'default' });

  if (options.json) {
    const sources: Record<string, string> = {};
    for (const leaf of CONFIG_SCHEMA.leaves) sources[leaf.path] = sourceOf(leaf.path);
    const report = { config: CONFIG_SCHEMA.toSnake(resolved.config), sources, file: resolved.file, ...(options.descriptions ? { read_by: readers() } : {}) };
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
  if (options.descriptions) lines.push(NOT_USED_NOTE);
  for (const { leaf, value } of rows) {
    if (options.descriptions) lines.push(`# ${describeLeaf(leaf.field.description, settingReader(leaf.path))}`);
    lines.push(`${leaf.path.padEnd(keyWidth)} = ${value.padEnd(valueWidth)}   (${sourceOf(leaf.path)})`);
  }
  return `${lines.join('\n')}\n`;
}

const NOT_USED_YET = '[not used yet]';
const NOT_USED_NOTE = `# Settings marked ${NOT_USED_YET} are validated but no stage reads them yet: they configure compressors and cache stages still to come.`;

function describeLeaf(description: string, reader: string | null): string {
  const mark = reader === null ? NOT_USED_YET : `[read by: ${reader}]`;
  return description === '' ? mark : `${description} ${mark}`;
}

/** Every leaf's reading stage, null where none reads it yet. */
function readers(): Record<string, string | null> {
  const byPath: Record<string, string | null> = {};
  for (const leaf of CONFIG_SCHEMA.leaves) byPath[leaf.path] = settingReader(leaf.path);
  return byPath;
}
