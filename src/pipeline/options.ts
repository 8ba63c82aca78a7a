/**
 * Config → run options: the one place that turns a resolved `HeadroomConfig`
 * into what `runAudit` / `runOptimize` take, so the CLI and library users
 * read the same settings the same way. Only what a config cannot know
 * (paths, stdin, the CCR store, callbacks) is passed in beside it.
 */
import type { CcrStore } from '../ccr/store.js';
import type { HeadroomConfig } from '../config/headroom-config.js';
import type { AuditOptions } from './audit.js';
import { buildTransforms, TRANSFORM_FACTORIES } from '../transforms/index.js';
import { NO_SERVICES, type TransformServices } from '../transforms/types.js';
import type { OptimizeRunOptions } from './optimize.js';

/** What a run needs besides the configuration: the inputs and callbacks, as audit spells them. */
export interface RunContext extends Pick<AuditOptions, 'paths' | 'format' | 'strict' | 'stdin' | 'stdinName' | 'onProblem' | 'onProgress'> {
  /** Relative paths resolve from here (default: `process.cwd()`). */
  cwd?: string;
}

/** Audit's run options from the configuration (`audit.budget_tokens`, `audit.top_offenders`). */
export function auditOptions(config: HeadroomConfig, run: RunContext & Pick<AuditOptions, 'onRequest' | 'largestOutputsPerRequest' | 'onWarning'>): AuditOptions {
  return {
    ...run,
    cwd: run.cwd ?? process.cwd(),
    strict: run.strict === true,
    budgetTokens: config.audit.budgetTokens,
    topOffenders: config.audit.topOffenders,
    cacheAligner: config.cacheAligner,
  };
}

/** What optimize and simulate need beside the configuration and the run context. */
export interface OptimizeContext extends RunContext {
  /** Where originals behind markers go; null stores nothing (simulate). */
  ccrStore?: CcrStore | null;
  /** What the transforms are lent: learned feedback and the warning sink (transformServices); none by default. */
  services?: TransformServices;
}

/** The options every optimize or simulate run takes from the configuration; mode, output and result callbacks are the caller's. */
export type ConfiguredOptimizeOptions = Omit<OptimizeRunOptions, 'mode' | 'write' | 'onResult'>;

export function optimizeOptions(config: HeadroomConfig, context: OptimizeContext): ConfiguredOptimizeOptions {
  const { services, ...run } = context;
  return {
    ...run,
    cwd: run.cwd ?? process.cwd(),
    strict: run.strict === true,
    transforms: buildTransforms(config, TRANSFORM_FACTORIES, services ?? NO_SERVICES),
    losslessOnly: config.smartCrusher.losslessOnly,
    diff: config.generateDiffArtifact,
    minTokensToCrush: config.smartCrusher.minTokensToCrush,
    outputBufferTokens: config.outputBufferTokens,
    cacheAligner: config.cacheAligner,
    onWarning: services?.warn,
    prefixFreeze: { enabled: config.prefixFreeze.enabled, minCachedTokens: config.prefixFreeze.minCachedTokens },
    cacheOptimizer: {
      enabled: config.cacheOptimizer.enabled,
      autoDetectProvider: config.cacheOptimizer.autoDetectProvider,
      minCacheableTokens: config.cacheOptimizer.minCacheableTokens,
      promptCacheKey: config.cacheOptimizer.promptCacheKey,
    },
    ccr: { enabled: config.ccr.enabled, injectMarkers: config.ccr.injectRetrievalMarker, injectTool: config.ccr.injectTool },
  };
}
