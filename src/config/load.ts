import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, envValueMessage, flagValueMessage, invalidJsonMessage, issueMessage, orderMessage, sectionKeyMessage, setValueMessage } from './errors.js';
import { CONFIG_SCHEMA, ORDERED_PAIRS } from './headroom-config.js';
import type { HeadroomConfig } from './headroom-config.js';
import type { Check, Leaf } from './schema.js';
import { sourceLabel } from './sources.js';
import type { ValueSource } from './sources.js';

export interface ResolvedConfig {
  config: HeadroomConfig;
  /** One entry per leaf, keyed by dotted snake_case path. */
  sources: Record<string, ValueSource>;
  /**
   * The config file used, for display: as given to --config or relative to
   * `cwd`, with `#headroom` appended for package.json; null if none.
   */
  file: string | null;
}

export interface LoadOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  configPath?: string;
  /** "key=value" strings from `--set`. */
  overrides?: string[];
  /** Dotted snake_case path → value from a dedicated CLI flag; `undefined` means the flag was not given. */
  flagValues?: Record<string, unknown>;
  /** Dotted path → flag as the user typed it (e.g. `--budget`), for sources and errors. Defaults to the path. */
  flagNames?: Record<string, string>;
}

/** Searched in this order in `cwd`; package.json only counts if it has a `headroom` key. */
export const CONFIG_FILE_NAMES = ['headroom.config.json', '.headroomrc.json', 'package.json'] as const;
export const SEARCHED_DESCRIPTION = 'headroom.config.json, .headroomrc.json, package.json#headroom';

const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);

interface EnvAlias {
  name: string;
  path: string;
  /** Overrides the leaf's own parser when the alias has looser semantics. */
  parse?: (raw: string) => Check<unknown>;
}

/** Names the reference headroom tools already use. The canonical name wins when both are set. */
export const ENV_ALIASES: readonly EnvAlias[] = [
  {
    // The reference enables interception for any non-empty value; we also let the usual
    // "off" words disable it, so `HEADROOM_INTERCEPT_ENABLED=0` does what it says.
    name: 'HEADROOM_INTERCEPT_ENABLED',
    path: 'intercept_tool_results',
    parse: (raw) => ({ ok: true, value: !FALSE_WORDS.has(raw.trim().toLowerCase()) }),
  },
  { name: 'HEADROOM_CCR_TTL_SECONDS', path: 'ccr.store_ttl_seconds' },
  { name: 'HEADROOM_CCR_STORE', path: 'ccr.store_path' },
];

interface ConfigFile {
  /** Where values and key errors point: the file, or `package.json#headroom`. */
  label: string;
  data: unknown;
}

function isFile(p: string): boolean {
  return statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
}

function readJson(absolute: string, shown: string, where: string): unknown {
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError(`${where}: cannot read file (${code})`);
  }
  text = text.replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch {
    throw new ConfigError(invalidJsonMessage(shown, text));
  }
}

function hasHeadroomKey(data: unknown): data is { headroom: unknown } {
  return typeof data === 'object' && data !== null && !Array.isArray(data) && Object.hasOwn(data, 'headroom');
}

function findConfigFile(cwd: string, configPath: string | undefined): ConfigFile | null {
  if (configPath !== undefined) {
    const absolute = path.resolve(cwd, configPath);
    if (statSync(absolute, { throwIfNoEntry: false }) === undefined) {
      throw new ConfigError(`--config ${configPath}: file not found`);
    }
    const data = readJson(absolute, configPath, `--config ${configPath}`);
    if (path.basename(absolute) !== 'package.json') return { label: configPath, data };
    if (!hasHeadroomKey(data)) throw new ConfigError(`--config ${configPath}: no "headroom" key`);
    return { label: `${configPath}#headroom`, data: data.headroom };
  }
  for (const name of CONFIG_FILE_NAMES) {
    const absolute = path.join(cwd, name);
    if (!isFile(absolute)) continue;
    const data = readJson(absolute, name, name);
    if (name !== 'package.json') return { label: name, data };
    // Every JS project has a package.json; only one with a "headroom" key is ours.
    if (hasHeadroomKey(data)) return { label: `${name}#headroom`, data: data.headroom };
  }
  return null;
}

function withoutSchemaKey(data: unknown): unknown {
  // Editors use "$schema" for completion; it is not configuration.
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !Object.hasOwn(data, '$schema')) return data;
  const { $schema: _ignored, ...rest } = data as Record<string, unknown>;
  return rest;
}

/** The leaf a `--set` key or flag name refers to, or a ConfigError saying why there is none. */
function leafForKey(where: string, key: string): Leaf {
  const leaf = CONFIG_SCHEMA.leaf(key);
  if (leaf) return leaf;
  const inside = CONFIG_SCHEMA.leaves.find((l) => l.path.startsWith(`${key}.`));
  if (inside) throw new ConfigError(sectionKeyMessage(where, key, inside.path));
  const suggestion = CONFIG_SCHEMA.suggest(key);
  const issue = suggestion === undefined ? { kind: 'unknown-key' as const, path: key } : { kind: 'unknown-key' as const, path: key, suggestion };
  throw new ConfigError(issueMessage(where, issue));
}

/** Leaf values and their sources, filled lowest precedence first; later writes win. */
class Layers {
  readonly values = new Map<string, unknown>();
  readonly sources: Record<string, ValueSource> = {};

  constructor() {
    for (const leaf of CONFIG_SCHEMA.leaves) {
      this.set(leaf, structuredClone(leaf.field.defaultValue), { kind: 'default' });
    }
  }

  set(leaf: Leaf, value: unknown, source: ValueSource): void {
    this.values.set(leaf.path, value);
    this.sources[leaf.path] = source;
  }
}

function leafAt(p: string): Leaf {
  const leaf = CONFIG_SCHEMA.leaf(p);
  // Only reachable through a typo in this module's own tables (aliases, pairs).
  if (!leaf) throw new Error(`no config leaf "${p}"`);
  return leaf;
}

function applyFile(layers: Layers, found: ConfigFile): void {
  const result = CONFIG_SCHEMA.validate(withoutSchemaKey(found.data));
  if (!result.ok) throw new ConfigError(issueMessage(found.label, result.issue));
  for (const [p, value] of result.values) layers.set(leafAt(p), value, { kind: 'file', file: found.label });
}

/**
 * Only names we know are read: other headroom tools share the HEADROOM_ prefix
 * (HEADROOM_MODE, HEADROOM_MAX_ITEMS, …), so an unknown name is not a typo we
 * can report. Empty values count as unset, as shells make `X=` easy to leave behind.
 */
function applyEnv(layers: Layers, env: LoadOptions['env']): void {
  const read = (name: string, leaf: Leaf, parse: (raw: string) => Check<unknown>): void => {
    const raw = env[name];
    if (raw === undefined || raw === '') return;
    const parsed = parse(raw);
    if (!parsed.ok) throw new ConfigError(envValueMessage(name, raw, parsed.expected, parsed.detail));
    layers.set(leaf, parsed.value, { kind: 'env', name });
  };
  // Aliases first so the canonical name wins when both are set.
  for (const alias of ENV_ALIASES) {
    const leaf = leafAt(alias.path);
    read(alias.name, leaf, alias.parse ?? ((raw) => leaf.field.parse(raw)));
  }
  for (const leaf of CONFIG_SCHEMA.leaves) read(leaf.envName, leaf, (raw) => leaf.field.parse(raw));
}

/** `--set key=value`; the value is parsed like an environment variable. */
function applySetOverrides(layers: Layers, overrides: readonly string[]): void {
  for (const arg of overrides) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new ConfigError(`--set ${arg}: expected key=value`);
    const leaf = leafForKey(`--set ${arg}`, arg.slice(0, eq).trim());
    const parsed = leaf.field.parse(arg.slice(eq + 1));
    if (!parsed.ok) throw new ConfigError(setValueMessage(arg, parsed.expected, parsed.detail));
    layers.set(leaf, parsed.value, { kind: 'flag', flag: '--set' });
  }
}

/** Dedicated flags (`--budget`) outrank `--set`: they are the more specific request. */
function applyFlagValues(layers: Layers, flagValues: Record<string, unknown>, flagNames: Record<string, string>): void {
  for (const [key, value] of Object.entries(flagValues)) {
    if (value === undefined) continue;
    const flag = flagNames[key] ?? key;
    const leaf = leafForKey(flag, key);
    // Flags parsed by commander without a custom parser arrive as strings.
    const checked = typeof value === 'string' ? leaf.field.parse(value) : leaf.field.check(value);
    if (!checked.ok) throw new ConfigError(flagValueMessage(flag, value, checked.expected, checked.detail));
    layers.set(leaf, checked.value, { kind: 'flag', flag });
  }
}

/** Cross-field rules run on the merged result; the message names both values' sources. */
function checkOrderedPairs(layers: Layers): void {
  const describe = (p: string) => ({
    path: p,
    value: layers.values.get(p),
    source: sourceLabel(layers.sources[p] ?? { kind: 'default' }),
  });
  for (const [low, high] of ORDERED_PAIRS) {
    const lowValue = layers.values.get(leafAt(low).path);
    const highValue = layers.values.get(leafAt(high).path);
    if (typeof lowValue === 'number' && typeof highValue === 'number' && lowValue > highValue) {
      throw new ConfigError(orderMessage(describe(low), describe(high)));
    }
  }
}

/**
 * Resolve the configuration: defaults ← config file ← HEADROOM_* environment
 * ← `--set` ← dedicated flags. Throws ConfigError (one line) on any problem.
 */
export function loadConfig(options: LoadOptions): ResolvedConfig {
  const layers = new Layers();
  const found = findConfigFile(options.cwd, options.configPath);
  if (found) applyFile(layers, found);
  applyEnv(layers, options.env);
  applySetOverrides(layers, options.overrides ?? []);
  applyFlagValues(layers, options.flagValues ?? {}, options.flagNames ?? {});
  checkOrderedPairs(layers);
  return {
    config: CONFIG_SCHEMA.build((leaf) => layers.values.get(leaf.path)),
    sources: layers.sources,
    file: found?.label ?? null,
  };
}

/**
 * For library callers: the defaults with `values` (a snake_case object, as a
 * config file spells it) on top, validated like a config file. No file,
 * environment or flags are read; use `loadConfig` for those.
 * Throws ConfigError (one line) on an unknown key or a wrong type.
 */
export function resolveConfig(values: unknown = {}, label = 'resolveConfig'): HeadroomConfig {
  const layers = new Layers();
  applyFile(layers, { label, data: values });
  checkOrderedPairs(layers);
  return CONFIG_SCHEMA.build((leaf) => layers.values.get(leaf.path));
}
