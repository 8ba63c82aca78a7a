/** Hand-written sources per language, and a direct harness for the code outliner. */
import { defaultConfig } from '../../src/config/index.js';
import { codeOutlineFactory } from '../../src/transforms/code-outline/index.js';
import { NO_SERVICES, type Decline, type ProducingCall, type Rewrite, type Transform } from '../../src/transforms/types.js';
import { storingContext, toolBlock } from './harness.js';

export function outliner(settings: { minBodyLines?: number; minSavingsRatio?: number } = {}): Transform {
  const config = defaultConfig();
  config.interceptToolResults = true;
  if (settings.minBodyLines !== undefined) config.codeAware.minBodyLines = settings.minBodyLines;
  if (settings.minSavingsRatio !== undefined) config.codeAware.minSavingsRatio = settings.minSavingsRatio;
  const transform = codeOutlineFactory.create(config, NO_SERVICES);
  if (transform === null) throw new Error('the outliner is on with intercept_tool_results');
  return transform;
}

export interface OutlineRun {
  result: Rewrite | Decline;
  originals: Map<string, string>;
}

export async function outlineText(
  text: string,
  options: { language?: string; filePath?: string | null; canOffload?: boolean; transform?: Transform; call?: ProducingCall } = {},
): Promise<OutlineRun> {
  // A rough token count is enough for the savings rule in direct tests (the pipeline tests use the real tokenizer).
  const { context, originals } = storingContext({
    call: options.call ?? null,
    toolName: options.call?.name ?? 'Read',
    filePath: options.filePath ?? null,
    canOffload: options.canOffload ?? true,
  });
  const block = toolBlock(text, { content: { kind: 'code', confidence: 1, ...(options.language === undefined ? {} : { language: options.language }) } });
  const result = await (options.transform ?? outliner()).apply(block, context);
  return { result, originals };
}

/** Body lines every source below hides in its functions (a marker replaces them in an outline). */
export const BODY_LINE = 'total = total + step';

const body = (indent: string, end = ''): string => Array.from({ length: 16 }, (_, i) => `${indent}${BODY_LINE.replace('step', `step${i}`)}${end}\n`).join('');

/** Per language: the source, the lines an outline must keep, and how many bodies it elides. */
export const SOURCES: Record<string, { source: string; kept: string[]; bodies: number }> = {
  typescript: {
    source:
      `import { readFile } from 'node:fs/promises';\n\n/** A shape. */\nexport interface Shape {\n  area(): number;\n}\n\n` +
      `/** Sums the steps. */\nexport function sum(steps: number[]): number {\n  let total = 0;\n${body('  ', ';')}  return total;\n}\n\n` +
      `export class Box implements Shape {\n  constructor(private readonly side: number) {}\n\n  area(): number {\n  let total = 0;\n${body('    ', ';')}    return total;\n  }\n}\n`,
    kept: [
      "import { readFile } from 'node:fs/promises';",
      '/** A shape. */',
      'export interface Shape {',
      '  area(): number;',
      '/** Sums the steps. */',
      'export function sum(steps: number[]): number {',
      'export class Box implements Shape {',
      '  area(): number {',
    ],
    bodies: 2,
  },
  tsx: {
    source: `import React from 'react';\n\ntype Props = { name: string };\n\nexport const Hello = ({ name }: Props) => {\n  let total = 0;\n${body('  ', ';')}  return <div className="hello">{name}</div>;\n};\n`,
    kept: ["import React from 'react';", 'type Props = { name: string };', 'export const Hello = ({ name }: Props) => {', '};'],
    bodies: 1,
  },
  javascript: {
    source: `const path = require('node:path');\n\n// Adds the steps.\nfunction add(a, b) {\n  let total = 0;\n${body('  ', ';')}  return total;\n}\n\nmodule.exports = { add };\n`,
    kept: ["const path = require('node:path');", '// Adds the steps.', 'function add(a, b) {', 'module.exports = { add };'],
    bodies: 1,
  },
  python: {
    source: `import os\nfrom typing import List\n\n\nclass Counter:\n    """Counts things."""\n\n    def total(self, steps: List[int]) -> int:\n        """Sums the steps."""\n        total = 0\n${body('        ')}        return total\n\n\n@cache\ndef main() -> None:\n    total = 0\n${body('    ')}    print(total)\n`,
    kept: [
      'import os',
      'from typing import List',
      'class Counter:',
      '    """Counts things."""',
      '    def total(self, steps: List[int]) -> int:',
      '        """Sums the steps."""',
      '@cache',
      'def main() -> None:',
    ],
    bodies: 2,
  },
  go: {
    source: `package main\n\nimport (\n\t"fmt"\n)\n\n// Point is a point.\ntype Point struct {\n\tX, Y int\n}\n\n// Sum adds the steps.\nfunc (p Point) Sum(steps []int) int {\n\ttotal := 0\n${body('\t')}\treturn total\n}\n\nfunc main() {\n\tfmt.Println(Point{}.Sum(nil))\n}\n`,
    kept: [
      'package main',
      '\t"fmt"',
      '// Point is a point.',
      'type Point struct {',
      '\tX, Y int',
      '// Sum adds the steps.',
      'func (p Point) Sum(steps []int) int {',
      'func main() {',
      '\tfmt.Println(Point{}.Sum(nil))',
    ],
    bodies: 1,
  },
  rust: {
    source: `use std::fmt;\n\n/// A point.\npub struct Point {\n    x: i32,\n}\n\nimpl Point {\n    /// Sums the steps.\n    pub fn sum(&self, steps: &[i32]) -> i32 {\n        let mut total = 0;\n${body('        ', ';')}        total\n    }\n}\n`,
    kept: ['use std::fmt;', '/// A point.', 'pub struct Point {', '    x: i32,', 'impl Point {', '    /// Sums the steps.', '    pub fn sum(&self, steps: &[i32]) -> i32 {'],
    bodies: 1,
  },
  java: {
    source: `package demo;\n\nimport java.util.List;\n\n/** Sums things. */\npublic class Summer {\n    private int base;\n\n    /** Sums the steps. */\n    public int sum(List<Integer> steps) {\n        int total = 0;\n${body('        ', ';')}        return total;\n    }\n}\n`,
    kept: [
      'package demo;',
      'import java.util.List;',
      '/** Sums things. */',
      'public class Summer {',
      '    private int base;',
      '    /** Sums the steps. */',
      '    public int sum(List<Integer> steps) {',
    ],
    bodies: 1,
  },
};
