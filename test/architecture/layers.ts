/**
 * The import-direction rule of src/ and its checker, kept apart from the test
 * that applies it so the checker itself can be tested on made-up modules.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The layers of src/, top to bottom, by directory. A module may import its own
 * directory, a directory in a lower layer, or another directory of its own
 * layer (but two directories of one layer must not import each other both
 * ways). Nothing imports `cli`; `src/index.ts`, the library entry, may import
 * every directory but `cli`, and nothing imports it.
 *
 * Where the rule is a choice, it follows what the code does today:
 * - `transforms` and `analysis` sit at one level in the design, but only the
 *   transforms may use the analysis (a compressor reads a block's waste
 *   signals), never the other way round: analysis is what audit runs, and
 *   audit must not depend on a compressor. So `analysis` is a layer of its own
 *   below `transforms`.
 * - `cache` (the dynamic-content detector, cache aligner, provider cache
 *   optimizers, cache forensics and the billing model of replay) sits below
 *   `analysis`, which uses it to report on the cacheable prefix, and above the
 *   formats, usage and price tables it reads. What runs a whole pipeline per
 *   call (replay) is in `pipeline`.
 * - `ccr`, `config` and `pricing` sit with `formats` and `tokens`: they are
 *   leaves used by the pipeline and the CLI, and a transform may need a CCR
 *   marker or its config section, so they must be below `transforms`.
 * - `json` (JSON scanning shared by the readers and the formats) and `input`
 *   (reading sources into records) are the bottom: they know no request format.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['cli'],
  ['pipeline'],
  ['transforms'],
  ['analysis'],
  ['cache'],
  ['formats', 'tokens', 'pricing', 'ccr', 'config', 'feedback', 'relevance'],
  ['json', 'input'],
];

/** The library entry: `src/index.ts`. */
const ENTRY = 'index';

/** A module under src/ and the modules under src/ it imports, as `src/...ts` paths. */
export interface ModuleImports {
  file: string;
  imports: readonly string[];
}

export interface ImportReport {
  /** `from -> to: why` for each import that breaks the rule and is not allowed. */
  violations: string[];
  /** Allow-list entries that no longer occur (to be removed from the list). */
  stale: string[];
}

/** `cli` for `src/cli/main.ts`, `index` for `src/index.ts`, the file name for another file directly in src/. */
export function unitOf(file: string): string {
  const parts = file.split('/');
  return parts.length > 2 ? (parts[1] as string) : path.basename(file, '.ts');
}

function layerIndex(unit: string): number | null {
  const index = LAYERS.findIndex((layer) => layer.includes(unit));
  return index < 0 ? null : index;
}

/** Why `from` may not import `to` (units), or null when it may. `edges` holds every unit-to-unit import. */
function breach(from: string, to: string, edges: ReadonlySet<string>): string | null {
  if (from === to) return null;
  if (to === ENTRY) return 'nothing imports the library entry src/index.ts';
  if (to === 'cli') return 'nothing imports cli';
  const toLayer = layerIndex(to);
  if (toLayer === null) return `${to} is in no layer (add it to LAYERS in test/architecture/layers.ts)`;
  if (from === ENTRY) return null;
  const fromLayer = layerIndex(from);
  if (fromLayer === null) return `${from} is in no layer (add it to LAYERS in test/architecture/layers.ts)`;
  if (toLayer < fromLayer) return `${from} is below ${to}`;
  if (toLayer === fromLayer && edges.has(`${to} -> ${from}`)) return `${from} and ${to} import each other`;
  return null;
}

/**
 * Checks every import of `modules` against LAYERS. `allowed` holds known
 * violations as `src/a.ts -> src/b.ts`; they are not reported, but an entry
 * that no longer occurs is (so the list only shrinks).
 */
export function checkImports(modules: readonly ModuleImports[], allowed: ReadonlySet<string>): ImportReport {
  const edges = new Set<string>();
  for (const module of modules) for (const target of module.imports) edges.add(`${unitOf(module.file)} -> ${unitOf(target)}`);
  const violations: string[] = [];
  const seen = new Set<string>();
  for (const module of modules) {
    for (const target of module.imports) {
      const why = breach(unitOf(module.file), unitOf(target), edges);
      if (why === null) continue;
      const edge = `${module.file} -> ${target}`;
      if (allowed.has(edge)) seen.add(edge);
      else violations.push(`${edge}: ${why}`);
    }
  }
  return { violations, stale: [...allowed].filter((edge) => !seen.has(edge)) };
}

/**
 * The relative imports of one module's text (import, import type, export
 * from, side-effect and dynamic imports; not what comments or strings hold),
 * resolved against `file` to `src/...ts` paths.
 */
export function importsOf(file: string, text: string): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((specifier) => specifier.startsWith('./') || specifier.startsWith('../'))
    .map((specifier) => path.posix.join(path.posix.dirname(file), specifier).replace(/\.js$/, '.ts'));
}

/** Every `.ts` module under `root`/src with its imports. */
export function readSourceModules(root: string): ModuleImports[] {
  const modules: ModuleImports[] = [];
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) modules.push({ file: child, imports: importsOf(child, fs.readFileSync(path.join(root, child), 'utf8')) });
    }
  };
  walk('src');
  return modules.sort((a, b) => a.file.localeCompare(b.file));
}
