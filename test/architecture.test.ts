import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { ROOT } from './helpers';

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

test('the engine and the CLI never import vscode (the arrow points one way)', () => {
  for (const f of [...files(path.join(ROOT, 'src', 'engine')), ...files(path.join(ROOT, 'src', 'cli'))]) {
    const text = fs.readFileSync(f, 'utf8');
    assert.doesNotMatch(text, /from ['"]vscode['"]|require\(['"]vscode['"]\)/, f);
    assert.doesNotMatch(text, /from ['"]\.\.?\/.*extension\//, `${f} imports the extension`);
  }
});

test('the engine loads without the native modules until a job needs them', () => {
  const before = new Set(Object.keys(require.cache));
  require('../src/engine/config/loadConfig');
  require('../src/engine/evaluate');
  const loaded = Object.keys(require.cache).filter((k) => !before.has(k));
  assert.ok(!loaded.some((k) => /onnxruntime-node|@duckdb/.test(k)), loaded.filter((k) => /onnxruntime|duckdb/.test(k)).join(', '));
});
