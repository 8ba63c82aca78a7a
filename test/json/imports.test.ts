/**
 * json/ is the bottom of the import graph and input/ sits next to it:
 * json/ imports nothing else in the project, and input/ nothing but json/.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { ROOT } from '../formats/helpers.js';

function projectImports(folder: string): string[] {
  const dir = path.join(ROOT, 'src', folder);
  const found: string[] = [];
  for (const file of fs.readdirSync(dir).filter((name) => name.endsWith('.ts'))) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const match of text.matchAll(/from '(\.[^']+)'/g)) {
      const target = path.relative(path.join(ROOT, 'src'), path.resolve(dir, match[1] as string));
      found.push(`${folder}/${file} → ${target}`);
    }
  }
  return found;
}

it('src/json imports nothing outside src/json, and src/input nothing but src/json', () => {
  const json = projectImports('json');
  assert.ok(json.length > 0);
  assert.deepEqual(
    json.filter((edge) => !edge.split(' → ')[1]?.startsWith('json/')),
    [],
  );
  const input = projectImports('input');
  assert.ok(input.some((edge) => edge.endsWith('json/index.js')));
  assert.deepEqual(
    input.filter((edge) => !/ → (input|json)\//.test(edge)),
    [],
  );
});
