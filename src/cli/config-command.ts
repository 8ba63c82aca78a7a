/**
 * `headroom config`: the resolved configuration and where each value came from.
 */
import type { Command } from 'commander';
import { ExitCode, type CliContext } from './context.js';

interface ConfigFlags {
  json?: boolean;
  config?: string;
  set?: string[];
  describe?: boolean;
}

export function registerConfig(program: Command, context: CliContext): void {
  program
    .command('config')
    .summary('print the resolved configuration and where each value came from')
    .description(
      'Print every configuration value after merging defaults, the config file, HEADROOM_* environment ' +
        'variables and flags (in that order of precedence), with the source of each value.\n\n' +
        'Environment: HEADROOM_<KEY_PATH>, e.g. HEADROOM_DEFAULT_MODE=simulate or HEADROOM_AUDIT_BUDGET_TOKENS=100000.',
    )
    .option('--json', 'print {config, sources, file} as JSON')
    .option('--describe', 'explain each setting on the line above it, with the stage that reads it or [not used yet]')
    .option('--config <path>', 'config file (default: headroom.config.json, .headroomrc.json or package.json#headroom)')
    .option('--set <key=value>', 'override a value, e.g. --set smart_crusher.min_tokens_to_crush=100 (repeatable)', (value: string, previous: string[]) => [...previous, value], [])
    .action(async (flags: ConfigFlags) => {
      // Loaded here, not at startup, so --help and the other commands do not pay for it.
      const { formatConfigReport, loadConfig } = await import('../config/index.js');
      const resolved = loadConfig({ cwd: context.cwd, env: context.env, configPath: flags.config, overrides: flags.set });
      context.stdout.write(formatConfigReport(resolved, { json: flags.json === true, descriptions: flags.describe === true }));
      context.exitCode = ExitCode.Ok;
    });
}
