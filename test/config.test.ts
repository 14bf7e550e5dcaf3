import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { parseConfig } from '../src/engine/config/loadConfig';
import { ROOT, tinyWorkspace } from './helpers';

function problemsOf(text: string) {
  const { dir } = tinyWorkspace();
  return parseConfig(text, path.join(dir, 'reclens.json')).problems;
}

test('the example configs validate with no problems', () => {
  for (const ex of ['movielens', 'planted']) {
    const file = path.join(ROOT, 'examples', ex, 'reclens.json');
    if (!fs.existsSync(file)) assert.fail(`${file} is missing`);
    const r = parseConfig(fs.readFileSync(file, 'utf8'), file);
    assert.deepEqual(r.problems, [], `${ex}: ${JSON.stringify(r.problems)}`);
    assert.ok(r.config);
  }
});

test('comments and trailing commas are allowed', () => {
  const p = problemsOf(`// the tiny ranker
{ "model": "model.onnx", /* inline */ "data": { "path": "data.csv", "label": "label", }, }`);
  assert.deepEqual(p, []);
});

test('a syntax error points at its line and column', () => {
  const p = problemsOf('{\n  "model": "model.onnx"\n  "data": {}\n}');
  assert.equal(p[0].code, 'syntax');
  assert.equal(p[0].start.line, 3);
  assert.equal(p[0].start.column, 3);
});

test('an unknown key is reported on the key itself', () => {
  const p = problemsOf(
    '{\n "model": "model.onnx",\n "data": { "path": "data.csv", "label": "label", "lable2": "x" }\n}',
  );
  assert.equal(p.length, 1);
  assert.equal(p[0].code, 'unknown-key');
  assert.match(p[0].message, /lable2/);
  assert.equal(p[0].start.line, 3);
  assert.equal(p[0].start.column, 50);
});

test('wrong types and enum values name the field', () => {
  const p = problemsOf(
    '{ "model": { "path": "model.onnx", "outputKind": "logits" }, "data": { "path": "data.csv", "label": 3 } }',
  );
  const msgs = p.map((x) => x.message).join('\n');
  assert.match(msgs, /model\.outputKind must be one of "probability", "logit"/);
  assert.match(msgs, /data\.label must be string/);
});

test('missing files and undefined tables are errors at their fields', () => {
  const p = problemsOf(
    '{\n "model": "nope.onnx",\n "data": { "path": "data.csv", "label": "label" },\n "inputs": { "dense": { "table": "emb", "key": "item" } }\n}',
  );
  const missing = p.find((x) => x.code === 'missing-file')!;
  assert.match(missing.message, /nope\.onnx/);
  assert.equal(missing.start.line, 2);
  const table = p.find((x) => x.code === 'unknown-table')!;
  assert.equal(table.start.line, 4);
  assert.deepEqual(table.path, ['inputs', 'dense', 'table']);
});
