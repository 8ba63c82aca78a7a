/**
 * Import direction in src/: `cli → pipeline → transforms → analysis →
 * formats/tokens/pricing/ccr/config → json/input` (the rule and its reasons
 * are in layers.ts).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkImports, importsOf, readSourceModules, type ModuleImports } from './layers.js';

/** The repository root (tests run from dist-test/test/architecture). */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Imports allowed to break the layers, each one import (file -> file). Empty:
 * input/ stopped importing formats/ when the JSON types moved to src/json/.
 * A new entry needs a reason; an entry that no longer occurs fails the test.
 */
const ALLOWED = new Set<string>([]);

describe('import direction in src/', () => {
  it('every import of every module follows the layers', () => {
    const modules = readSourceModules(ROOT);
    assert.ok(modules.length > 50, `read ${modules.length} modules`);
    const { violations, stale } = checkImports(modules, ALLOWED);
    assert.deepEqual(violations, [], `imports against the layers (test/architecture/layers.ts):\n${violations.join('\n')}`);
    assert.deepEqual(stale, [], `no longer imported; remove from ALLOWED:\n${stale.join('\n')}`);
  });
});

describe('the import checker', () => {
  const module = (file: string, ...imports: string[]): ModuleImports => ({ file, imports });
  const chain = [
    module('src/index.ts', 'src/pipeline/run.ts', 'src/analysis/a.ts', 'src/json/scan.ts'),
    module('src/cli/main.ts', 'src/cli/context.ts', 'src/pipeline/run.ts', 'src/config/load.ts', 'src/input/read.ts'),
    module('src/pipeline/run.ts', 'src/transforms/t.ts', 'src/analysis/a.ts', 'src/ccr/store.ts'),
    module('src/transforms/t.ts', 'src/analysis/a.ts', 'src/ccr/markers.ts', 'src/formats/types.ts'),
    module('src/analysis/a.ts', 'src/formats/types.ts', 'src/tokens/counter.ts'),
    module('src/tokens/models.ts', 'src/formats/types.ts'),
    module('src/formats/parse.ts', 'src/input/read.ts', 'src/json/scan.ts'),
    module('src/input/read.ts', 'src/json/scan.ts'),
  ];

  it('passes imports that go down the layers, across one layer, or stay in a directory', () => {
    assert.deepEqual(checkImports(chain, new Set()), { violations: [], stale: [] });
  });

  it('reports an import up the layers, into cli or the entry, from or into an unknown directory', () => {
    const report = checkImports(
      [
        ...chain,
        module('src/analysis/b.ts', 'src/transforms/t.ts'),
        module('src/json/scan.ts', 'src/formats/types.ts'),
        module('src/pipeline/x.ts', 'src/cli/style.ts'),
        module('src/ccr/y.ts', 'src/index.ts'),
        module('src/index.ts', 'src/cli/main.ts'),
        module('src/formats/z.ts', 'src/widgets/w.ts'),
        module('src/helpers.ts', 'src/json/scan.ts'),
      ],
      new Set(),
    );
    assert.deepEqual(report.violations, [
      'src/analysis/b.ts -> src/transforms/t.ts: analysis is below transforms',
      'src/json/scan.ts -> src/formats/types.ts: json is below formats',
      'src/pipeline/x.ts -> src/cli/style.ts: nothing imports cli',
      'src/ccr/y.ts -> src/index.ts: nothing imports the library entry src/index.ts',
      'src/index.ts -> src/cli/main.ts: nothing imports cli',
      'src/formats/z.ts -> src/widgets/w.ts: widgets is in no layer (add it to LAYERS in test/architecture/layers.ts)',
      'src/helpers.ts -> src/json/scan.ts: helpers is in no layer (add it to LAYERS in test/architecture/layers.ts)',
    ]);
  });

  it('reports two directories of one layer that import each other', () => {
    const report = checkImports([module('src/formats/a.ts', 'src/tokens/b.ts'), module('src/tokens/b.ts', 'src/formats/a.ts')], new Set());
    assert.deepEqual(report.violations, [
      'src/formats/a.ts -> src/tokens/b.ts: formats and tokens import each other',
      'src/tokens/b.ts -> src/formats/a.ts: tokens and formats import each other',
    ]);
  });

  it('skips an allowed violation, and reports an allowed one that no longer occurs', () => {
    const modules = [...chain, module('src/input/records.ts', 'src/formats/types.ts')];
    const allowed = new Set(['src/input/records.ts -> src/formats/types.ts', 'src/json/gone.ts -> src/formats/types.ts']);
    assert.deepEqual(checkImports(modules, allowed), { violations: [], stale: ['src/json/gone.ts -> src/formats/types.ts'] });
  });

  it('finds every kind of relative import, and none in comments or strings', () => {
    const text = [
      "// import x from '../cli/a.js'",
      "/* export * from '../cli/b.js' */",
      'import {',
      '  a,',
      '  type B,',
      "} from '../formats/types.js';",
      "import type { C } from './c.js';",
      "import fs from 'node:fs';",
      "export * from '../tokens/x.js';",
      "export { y } from '../ccr/y.js';",
      "import '../side.js';",
      'const s = \'import z from "../cli/z.js"\';',
      "async function f() { await import('../dyn.js'); }",
    ].join('\n');
    assert.deepEqual(importsOf('src/analysis/m.ts', text), ['src/formats/types.ts', 'src/analysis/c.ts', 'src/tokens/x.ts', 'src/ccr/y.ts', 'src/side.ts', 'src/dyn.ts']);
  });
});
