export { ConfigError } from './errors.js';
export { CONFIG_SCHEMA, DEFAULT_CONFIG, configSchema, defaultConfig } from './headroom-config.js';
export type {
  AnchorConfig,
  AuditConfig,
  CacheAlignerConfig,
  CacheOptimizerConfig,
  CcrConfig,
  HeadroomConfig,
  PrefixFreezeConfig,
  RelevanceConfig,
  SmartCrusherConfig,
} from './headroom-config.js';
export { CONFIG_FILE_NAMES, ENV_ALIASES, loadConfig, resolveConfig } from './load.js';
export type { LoadOptions, ResolvedConfig } from './load.js';
export { formatConfigReport } from './report.js';
export type { ConfigReportOptions } from './report.js';
export { camelToSnake, snakeToCamel } from './schema.js';
export type { Leaf } from './schema.js';
export { sourceLabel } from './sources.js';
export type { ValueSource } from './sources.js';
