/** Where a resolved configuration value came from. */
export type ValueSource =
  | { kind: 'default' }
  /** `file` is the display label: a path, or `package.json#headroom`. */
  | { kind: 'file'; file: string }
  | { kind: 'env'; name: string }
  /** `flag` as the user typed it: `--set`, `--budget`, … */
  | { kind: 'flag'; flag: string };

/** `default`, `file headroom.config.json`, `env HEADROOM_X`, `flag --set`. */
export function sourceLabel(source: ValueSource): string {
  switch (source.kind) {
    case 'default':
      return 'default';
    case 'file':
      return `file ${source.file}`;
    case 'env':
      return `env ${source.name}`;
    case 'flag':
      return `flag ${source.flag}`;
  }
}
