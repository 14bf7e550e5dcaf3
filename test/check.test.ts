/** A table of broken configs, each with the diagnostic, range and severity it must produce; quick fixes re-validated. */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { CheckedProblem, checkConfigText } from '../src/engine/check/checkConfig';
import { applyEdits, createSlotFix } from '../src/engine/check/fixes';
import { encodeNpy, readNpy } from '../src/engine/data/npy';
import { ROOT, tempDir, tinyRows, tinyWorkspace, writeCsv } from './helpers';

const base = (extra: Record<string, unknown> = {}) => ({
  model: 'model.onnx',
  data: { path: 'data.csv', label: 'label', group: 'user' },
  inputs: { dense: { columns: ['d0', 'd1', 'd2'] }, item: { column: 'item' } },
  ...extra,
});

/** Pretty-printed config text, so ranges are predictable. */
function workspace(config: Record<string, unknown>, rows?: Record<string, unknown>[]) {
  const text = JSON.stringify(config, null, 2);
  const ws = tinyWorkspace({ configText: text, rows });
  return { ...ws, text };
}

const errors = (ps: CheckedProblem[]) => ps.filter((p) => p.severity === 'error');
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

interface Case {
  name: string;
  config: Record<string, unknown>;
  rows?: Record<string, unknown>[];
  code: string;
  severity: 'error' | 'warning' | 'information';
  message: RegExp;
  /** A line of the config text the problem must start on. */
  line: string;
  fixed?: boolean;
}

const tiny = tinyRows(60) as unknown as Record<string, unknown>[];
const CASES: Case[] = [
  {
    name: 'misspelt column in a columns list',
    config: base({ inputs: { dense: { columns: ['d0', 'd1', 'd3'] }, item: { column: 'item' } } }),
    code: 'input',
    severity: 'error',
    message: /"d3", which is not a column.*Did you mean "d[0-2]"/,
    line: '"d3"',
    fixed: true,
  },
  {
    name: 'entry for an input the model does not have',
    config: base({ inputs: { dense: { columns: ['d0', 'd1', 'd2'] }, items: { column: 'item' } } }),
    code: 'input',
    severity: 'error',
    message: /"items", but the model has no input of that name/,
    line: '"items"',
    fixed: true,
  },
  {
    name: 'model input that nothing feeds',
    config: base({ inputs: { dense: { columns: ['d0', 'd1', 'd2'] } } }),
    rows: tiny.map(({ item, ...r }) => ({ ...r, item_id: item })),
    code: 'unfed-input',
    severity: 'error',
    message: /Model input "item" is not fed/,
    line: '"inputs"',
    fixed: true,
  },
  {
    name: 'misspelt label column',
    config: base({ data: { path: 'data.csv', label: 'lable', group: 'user' } }),
    code: 'input',
    severity: 'error',
    message: /data\.label names column "lable", which is not a column/,
    line: '"lable"',
    fixed: true,
  },
  {
    name: 'label that is not binary',
    config: base(),
    rows: tiny.map((r, i) => ({ ...r, label: i === 5 ? 2 : r.label })),
    code: 'label-not-binary',
    severity: 'error',
    message: /not binary: 1 rows hold other values or nulls \(e\.g\. 2\)/,
    line: '"label"',
  },
  {
    name: 'model file that does not exist',
    config: base({ model: 'nope.onnx' }),
    code: 'missing-file',
    severity: 'error',
    message: /Model file "nope\.onnx" does not exist/,
    line: '"model"',
  },
  {
    name: 'dtype that cannot feed the input',
    config: base(),
    rows: tiny.map((r) => ({ ...r, item: Number(r.item) + 0.5 })),
    code: 'input',
    severity: 'error',
    message: /Column "item" is DOUBLE, which cannot feed model input "item" \(int64\)/,
    line: '"column": "item"',
  },
  {
    name: 'shape that cannot feed the input',
    config: base({ inputs: { dense: { columns: ['d0', 'd1'] }, item: { column: 'item' } } }),
    code: 'input',
    severity: 'error',
    message: /Shape mismatch for model input "dense"/,
    line: '"dense"',
  },
  {
    name: 'no group column',
    config: base({ data: { path: 'data.csv', label: 'label' } }),
    code: 'no-group',
    severity: 'information',
    message: /GAUC is disabled/,
    line: '"data"',
  },
  {
    name: 'a column that leaks the label',
    config: base({ inputs: { dense: { columns: ['d0', 'd1', 'y'] }, item: { column: 'item' } } }),
    rows: tiny.map((r) => ({ ...r, y: Number(r.label) * 0.5 + 0.1 })),
    code: 'target-leakage',
    severity: 'warning',
    message: /Possible target leakage in input "dense": column "y" alone equals a transform of the label/,
    line: '"dense"',
  },
];

for (const c of CASES) {
  test(`check: ${c.name}`, async () => {
    const { config, text } = workspace(c.config, c.rows);
    const problems = await checkConfigText(text, config, { leakage: true });
    const p = problems.find((x) => x.code === c.code && c.message.test(x.message));
    assert.ok(p, `expected ${c.code} ${c.message}; got ${JSON.stringify(problems.map((x) => [x.code, x.message]))}`);
    assert.equal(p.severity, c.severity);
    assert.equal(p.start.line, lineOf(text, c.line), `line of ${c.line}`);
    assert.ok(p.end.line > p.start.line || p.end.column > p.start.column, 'a non-empty range');
    if (c.fixed) {
      assert.ok(p.fixes?.length, 'a quick fix is offered');
      const fixedText = applyEdits(text, p.fixes![0].edits);
      fs.writeFileSync(config, fixedText);
      const after = await checkConfigText(fixedText, config, { leakage: true });
      assert.deepEqual(
        errors(after).map((x) => x.message),
        [],
        `after "${p.fixes![0].title}"`,
      );
    }
  });
}

test('check: remove-entry fix for an input the model lacks', async () => {
  const { config, text } = workspace(
    base({ inputs: { dense: { columns: ['d0', 'd1', 'd2'] }, item: { column: 'item' }, extra: { column: 'd0' } } }),
  );
  const p = (await checkConfigText(text, config)).find((x) => /"extra"/.test(x.message))!;
  const remove = p.fixes!.find((f) => /Remove/.test(f.title))!;
  const fixed = applyEdits(text, remove.edits);
  assert.doesNotMatch(fixed, /extra/);
  assert.deepEqual(errors(await checkConfigText(fixed, config)), []);
});

test('check: create a slot for a group of inputs', async () => {
  const { config, text } = workspace(base());
  const fixed = applyEdits(text, createSlotFix(text, 'all', ['dense', 'item']).edits);
  assert.deepEqual(errors(await checkConfigText(fixed, config)), []);
  assert.match(fixed, /"slots": \{\s*"all": \{\s*"inputs": \[\s*"dense",\s*"item"\s*\]/);
});

test('check: table keys missing from the table, and preference windows', async () => {
  const dir = tempDir();
  const src = path.join(ROOT, 'examples', 'planted');
  for (const f of ['model.onnx', 'eval.csv', 'interactions.csv', 'prefs_leak.csv', 'prefs_hist.csv'])
    fs.copyFileSync(path.join(src, f), path.join(dir, f));
  fs.mkdirSync(path.join(dir, 'tables'));
  fs.copyFileSync(path.join(src, 'tables', 'item_raw.npy'), path.join(dir, 'tables', 'item_raw.npy'));
  const ids = await readNpy(path.join(src, 'tables', 'item_ids.npy'));
  const shifted = BigInt64Array.from(ids.data as BigInt64Array, (v, i) => (i % 3 === 0 ? v + 1n : v)); // a third of ids no longer match
  fs.writeFileSync(path.join(dir, 'tables', 'item_ids.npy'), encodeNpy({ ...ids, data: shifted }));
  writeCsv(path.join(dir, 'untimed.csv'), [
    { left: 1000, right: 1007, weight: 1 },
    { left: 1007, right: 1014, weight: 2 },
  ]);
  // One row per user and event: splittable in time and correctable for self-leakage.
  writeCsv(path.join(dir, 'events.csv'), [
    { left: 1000, right: 1007, user: 1, time: 10 },
    { left: 1000, right: 1007, user: 2, time: 85 },
    { left: 1007, right: 1014, user: 2, time: 90 },
  ]);
  const cfg = {
    model: { path: 'model.onnx', output: 'logit', outputKind: 'logit' },
    data: { path: 'eval.csv', label: 'label', group: 'user_id', item: 'item_id', time: 'time' },
    tables: { item_raw: { path: 'tables/item_raw.npy', ids: 'tables/item_ids.npy' } },
    inputs: {
      leak: { column: 'leak' },
      strong: { columns: ['s0', 's1', 's2', 's3'] },
      useless: { columns: ['u0', 'u1', 'u2', 'u3'] },
      item_emb: { table: 'item_raw', key: 'item_id' },
    },
    preferences: {
      prefs_leak: { pairs: 'prefs_leak.csv' },
      prefs_hist: { pairs: 'prefs_hist.csv' },
      untimed: { pairs: 'untimed.csv' },
      events: { pairs: 'events.csv' },
    },
  };
  const text = JSON.stringify(cfg, null, 2);
  const file = path.join(dir, 'reclens.json');
  fs.writeFileSync(file, text);
  const ps = await checkConfigText(text, file);
  const miss = ps.find((p) => p.code === 'table-missing-keys')!;
  assert.equal(miss.severity, 'warning');
  assert.match(miss.message, /3[0-9]\.\d% of the distinct "item_id" values/);
  assert.equal(miss.start.line, lineOf(text, '"key": "item_id"'));
  const leaked = ps.find((p) => p.code === 'preference-leaked')!;
  assert.equal(leaked.severity, 'information');
  assert.match(
    leaked.message,
    /"events": 2 of 3 pair rows were formed in the evaluation period: leaked, measured as the LIS upper bound/,
  );
  assert.equal(ps.filter((p) => p.code === 'preference-leaked').length, 1);
  // Aggregated pairs with one (latest) time per pair cannot be split without the future, nor corrected for self-leakage.
  const latest = ps.find((p) => p.code === 'preference-untimed' && /"prefs_leak"/.test(p.message))!;
  assert.match(latest.message, /one "time" per aggregated pair; choosing historical pairs by it would use the future/);
  assert.ok(ps.some((p) => p.code === 'preference-self-leak' && /"prefs_leak"/.test(p.message)));
  assert.ok(!ps.some((p) => p.code === 'preference-self-leak' && /"events"/.test(p.message)));
  const untimed = ps.find((p) => p.code === 'preference-untimed' && /"untimed"/.test(p.message))!;
  assert.equal(untimed.severity, 'warning');
  assert.equal(untimed.start.line, lineOf(text, '"untimed"'));
});

test("check: a model that parses but that onnxruntime cannot load reports onnxruntime's reason", async () => {
  const { ProtoWriter } = await import('../src/engine/model/protobufWriter');
  const { modelLoadProblem } = await import('../src/engine/check/modelLoad');
  const vi = (name: string) =>
    new ProtoWriter()
      .string(1, name)
      .message(
        2,
        new ProtoWriter().message(
          1,
          new ProtoWriter()
            .varint(1, 1)
            .message(
              2,
              new ProtoWriter()
                .message(1, new ProtoWriter().string(2, 'batch'))
                .message(1, new ProtoWriter().varint(1, 3)),
            ),
        ),
      );
  const graph = new ProtoWriter()
    .message(1, new ProtoWriter().string(1, 'dense').string(2, 'prob').string(3, 'n').string(4, 'NotARealOperator'))
    .string(2, 'g')
    .message(11, vi('dense'))
    .message(12, vi('prob'));
  const bytes = new ProtoWriter()
    .varint(1, 8)
    .message(7, graph)
    .message(8, new ProtoWriter().string(1, '').varint(2, 13))
    .finish();
  const { dir, config, text } = workspace(base({ inputs: { dense: { columns: ['d0', 'd1', 'd2'] } } }));
  fs.writeFileSync(path.join(dir, 'model.onnx'), bytes);
  const ps = await checkConfigText(text, config, { loadModel: modelLoadProblem });
  const p = ps.find((x) => x.code === 'model-load');
  assert.ok(p, JSON.stringify(ps.map((x) => x.message)));
  assert.equal(p.severity, 'error');
  assert.match(p.message, /onnxruntime cannot load .*model\.onnx: .*NotARealOperator/);
  assert.equal(p.start.line, lineOf(text, '"model"'));
});
