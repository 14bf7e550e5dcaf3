import assert from 'node:assert/strict';
import * as fs from 'fs';
import { test } from 'node:test';
import { checkConfigText } from '../src/engine/check/checkConfig';
import { applyEdits } from '../src/engine/check/fixes';
import { cli, tinyRows, tinyWorkspace } from './helpers';

const base = {
  model: { path: 'model.onnx', output: 'prob', outputKind: 'probability' },
  data: { path: 'data.csv', label: 'label', group: 'user' },
  inputs: { dense: { columns: ['d0', 'd1', 'd2'] }, item: { column: 'item' } },
  runtime: { executionProviders: ['cpu'], batchSize: 64 },
};

async function problemsOf(config: Record<string, unknown>, rows?: Record<string, unknown>[], sampleOutput = false) {
  const ws = tinyWorkspace({ config, rows });
  const text = fs.readFileSync(ws.config, 'utf8');
  return { text, problems: await checkConfigText(text, ws.config, { sampleOutput }) };
}

test('check: a slot naming an input the model lacks is an error with ranked fixes (ablate would reject it)', async () => {
  const { text, problems } = await problemsOf({ ...base, slots: { s: { inputs: ['dense', 'itme'] } } });
  const p = problems.find((x) => x.code === 'slot-input');
  assert.ok(p, JSON.stringify(problems.map((x) => x.message)));
  assert.deepEqual(p.path, ['slots', 's', 'inputs', 1]);
  assert.match(p.message, /Did you mean "item"\?/);
  assert.equal(p.fixes?.[0].title, 'Change to "item"');
  assert.match(applyEdits(text, p.fixes![0].edits), /"inputs": \[\s*"dense",\s*"item"\s*\]/);
});

test('check: a schema error does not hide the other problems', async () => {
  const { problems } = await problemsOf({
    ...base,
    runtime: { batchSize: 'big' },
    inputs: { dense: { columns: ['d0', 'd1', 'd9'] }, item: { column: 'item' } },
    slots: { s: { inputs: ['nope'] } },
  });
  const codes = problems
    .filter((p) => p.severity === 'error')
    .map((p) => p.code)
    .sort();
  assert.deepEqual(codes, ['input', 'schema', 'slot-input']);
});

test('check: a "probability" output outside [0, 1] on a sample is an error with a fix to "logit"', async () => {
  const { text, problems } = await problemsOf(
    { ...base, model: { path: 'model.onnx', output: 'logit', outputKind: 'probability' } },
    undefined,
    true,
  );
  const p = problems.find((x) => x.code === 'output-range');
  assert.ok(p, JSON.stringify(problems.map((x) => x.message)));
  assert.match(p.message, /outside \[0, 1\], but model\.outputKind is "probability"/);
  assert.match(applyEdits(text, p.fixes![0].edits), /"outputKind": "logit"/);
  // The same config without the sample run (an untrusted editor) does not run the model and says nothing.
  const quiet = await problemsOf({
    ...base,
    model: { path: 'model.onnx', output: 'logit', outputKind: 'probability' },
  });
  assert.ok(!quiet.problems.some((x) => x.code === 'output-range'));
  // A real probability output passes.
  const ok = await problemsOf(base, undefined, true);
  assert.deepEqual(
    ok.problems.filter((x) => x.severity === 'error'),
    [],
  );
});

test('check: an unfed input gets one quick fix per close column, best first', async () => {
  const rows = tinyRows(60).map((r) => ({
    user: r.user,
    item_idx: r.item,
    item_id: r.item + 100,
    d0: r.d0,
    d1: r.d1,
    d2: r.d2,
    label: r.label,
  }));
  const { problems } = await problemsOf({ ...base, inputs: { dense: { columns: ['d0', 'd1', 'd2'] } } }, rows);
  const p = problems.find((x) => x.code === 'unfed-input');
  assert.ok(p, JSON.stringify(problems.map((x) => x.message)));
  const titles = p.fixes!.map((f) => f.title);
  assert.ok(titles.includes('Add an entry for input "item" (column "item_idx")'), titles.join('; '));
  assert.ok(titles.includes('Add an entry for input "item" (column "item_id")'), titles.join('; '));
});

test('reclens check exits 2 on a slot naming a non-input (what ablate would reject)', async () => {
  const ws = tinyWorkspace({ config: { ...base, slots: { s: { inputs: ['densee'] } } } });
  const r = await cli('check', '--config', ws.config);
  assert.equal(r.code, 2);
  assert.match(r.out, /Slot "s" names input "densee"/);
});

test('check: an input naming an undefined table is reported once, and the other checks still run', async () => {
  const { problems } = await problemsOf({
    ...base,
    inputs: { dense: { table: 'nope', key: 'item' }, item: { column: 'itme' } },
  });
  const errors = problems
    .filter((p) => p.severity === 'error')
    .map((p) => p.code)
    .sort();
  assert.deepEqual(errors, ['input', 'unknown-table']);
});
