/**
 * Rows explorer and row What-If on the tiny linear ranker: the worst rows by per-row LogLoss, occlusion effects
 * and edited scores equal the same rows re-scored by hand through onnxruntime, the flip search, and counterfactual
 * sets saved and re-scored after a model change.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { requireConfig } from '../src/engine/config/loadConfig';
import { RowsSession } from '../src/engine/rows/session';
import { cli, tinyRows, tinyWorkspace, writeCsv } from './helpers';

const rows = tinyRows(300, 5);
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** The tiny model run directly through onnxruntime on one row's values. */
async function byHand(modelFile: string, dense: number[], item: number): Promise<number> {
  const s = await ort.InferenceSession.create(modelFile);
  const out = await s.run({
    dense: new ort.Tensor('float32', Float32Array.from(dense), [1, 3]),
    item: new ort.Tensor('int64', BigInt64Array.from([BigInt(item)]), [1]),
  });
  return (out.prob.data as Float32Array)[0];
}

async function withSession<T>(fn: (s: RowsSession, model: string, dir: string) => Promise<T>): Promise<T> {
  const { dir, config } = tinyWorkspace({ rows: rows as unknown as Record<string, unknown>[] });
  const s = await RowsSession.open(requireConfig(config).config, { seed: 4 });
  try {
    return await fn(s, path.join(dir, 'model.onnx'), dir);
  } finally {
    await s.close();
  }
}

test('rows are ranked by per-row LogLoss, with the values each row fed the model', async () => {
  await withSession(async (s) => {
    const page = await s.page({ sort: 'loss', descending: true, offset: 0, limit: 300 });
    assert.equal(page.total, 300);
    for (let k = 1; k < page.rows.length; k++) assert.ok(page.rows[k - 1].loss >= page.rows[k].loss);
    for (const r of page.rows.slice(0, 20)) {
      const src = rows[r.index];
      const p = sigmoid(src.d0 * 0.5 - src.d1 + 2 * src.d2 + (2 * src.item - 10 + (2 * src.item + 1 - 10)) / 10 + 0.25);
      assert.ok(Math.abs(r.prob - p) < 1e-5, `row ${r.index}: ${r.prob} vs ${p}`);
      assert.ok(Math.abs(r.loss - (src.label ? -Math.log(p) : -Math.log(1 - p))) < 1e-4);
      assert.equal(r.user, String(src.user));
      assert.equal(r.slots.find((x) => x.slot === 'item')!.text, String(src.item));
    }
    const search = await s.page({ sort: 'loss', descending: true, search: '16', offset: 0, limit: 50 });
    assert.ok(search.total > 0 && search.rows.every((r) => r.user!.includes('16')));
  });
});

test('occlusion effects equal the row re-scored by hand with the slot masked; edits score as the engine computes', async () => {
  await withSession(async (s, model) => {
    const page = await s.page({ sort: 'loss', descending: true, offset: 0, limit: 3 });
    for (const r of page.rows) {
      const src = rows[r.index];
      const occ = await s.occlusion(r.index, [], 8);
      const p = await byHand(model, [src.d0, src.d1, src.d2], src.item);
      assert.ok(Math.abs(occ.prob - p) < 1e-6);
      const dense = occ.attributions.find((a) => a.slot === 'dense')!;
      const item = occ.attributions.find((a) => a.slot === 'item')!;
      const maskedDense = await byHand(model, [0, 0, 0], src.item); // neutral "zero"
      const maskedItem = await byHand(model, [src.d0, src.d1, src.d2], 0);
      assert.ok(Math.abs(dense.maskedProb - maskedDense) < 1e-6 && Math.abs(dense.effect - (p - maskedDense)) < 1e-6);
      assert.ok(Math.abs(item.maskedProb - maskedItem) < 1e-6 && Math.abs(item.effect - (p - maskedItem)) < 1e-6);
      assert.ok(Math.abs(occ.allMaskedProb - (await byHand(model, [0, 0, 0], 0))) < 1e-6);
      assert.equal(dense.permuted.k, 8);
      assert.ok(dense.permuted.min <= dense.permuted.mean && dense.permuted.mean <= dense.permuted.max);
      // Edits: a typed value, and a slot copied from another row (another item).
      const edited = await s.scoreEdited(r.index, [{ kind: 'value', input: 'dense', offset: 2, value: 1.5 }]);
      assert.ok(Math.abs(edited.prob - (await byHand(model, [src.d0, src.d1, 1.5], src.item))) < 1e-6);
      const other = (r.index + 7) % rows.length;
      const copied = await s.scoreEdited(r.index, [{ kind: 'fromRow', slot: 'item', source: other }]);
      assert.ok(Math.abs(copied.prob - (await byHand(model, [src.d0, src.d1, src.d2], rows[other].item))) < 1e-6);
    }
    await assert.rejects(s.scoreEdited(0, [{ kind: 'value', input: 'dense', offset: 9, value: 1 }]), /outside/);
    await assert.rejects(s.scoreEdited(0, [{ kind: 'fromRow', slot: 'nope', source: 1 }]), /Unknown slot/);
  });
});

test('the smallest flipping change crosses the threshold, and no candidate flips when none can', async () => {
  await withSession(async (s, model) => {
    const worst = (await s.page({ sort: 'loss', descending: true, offset: 0, limit: 1 })).rows[0];
    const flip = await s.flip(worst.index);
    assert.ok(flip.best, 'the worst row of a linear model flips by some slot');
    assert.notEqual(flip.best!.prob >= 0.5, flip.prob >= 0.5);
    if (flip.best!.source !== 'neutral') {
      const src = rows[worst.index],
        from = rows[flip.best!.source as number];
      const p =
        flip.best!.slot === 'item'
          ? await byHand(model, [src.d0, src.d1, src.d2], from.item)
          : await byHand(model, [from.d0, from.d1, from.d2], src.item);
      assert.ok(Math.abs(p - flip.best!.prob) < 1e-6);
    }
    for (let k = 1; k < flip.perSlot.length; k++)
      assert.ok(flip.perSlot[k - 1].relativeChange <= flip.perSlot[k].relativeChange);
    const none = await s.flip(worst.index, [], 1.01);
    assert.equal(none.best, null);
  });
});

test('counterfactual sets are saved (write then rename) and re-scored after the model changes', async () => {
  await withSession(async (s, model, dir) => {
    const edits = [{ kind: 'value' as const, input: 'dense', offset: 0, value: 2 }];
    const file = await s.saveCounterfactuals('what-if-1', [
      { index: 3, edits },
      { index: 5, edits: [] },
    ]);
    assert.equal(path.dirname(file), path.join(dir, '.reclens', 'counterfactuals'));
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['what-if-1.json']);
    assert.deepEqual(s.listCounterfactuals(), ['what-if-1']);
    await s.saveCounterfactuals('what-if-1', [
      { index: 7, edits },
      { index: 5, edits },
    ]);
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.deepEqual(
      saved.rows.map((r: { index: number }) => r.index),
      [3, 7, 5],
      'rows are added; row 5 saved again replaces its edits',
    );
    assert.equal(saved.rows[2].edits.length, 1);
    const same = await s.rescoreCounterfactuals('what-if-1');
    assert.equal(same.modelChanged, false);
    same.rows.forEach((r) => assert.ok(Math.abs(r.now! - r.prob) < 1e-7));
    await assert.rejects(s.saveCounterfactuals('../escape', []), /must be 1 to 64/);
  });
  // A different model (the same graph scoring logit as the output): the saved probabilities are re-scored.
  const { dir, config } = tinyWorkspace({ rows: rows as unknown as Record<string, unknown>[] });
  const s1 = await RowsSession.open(requireConfig(config).config);
  await s1.saveCounterfactuals('set', [{ index: 2, edits: [] }]);
  await s1.close();
  const cfg = JSON.parse(fs.readFileSync(config, 'utf8'));
  fs.writeFileSync(
    config,
    JSON.stringify({ ...cfg, model: { path: 'model.onnx', output: 'logit', outputKind: 'logit' } }),
  );
  const s2 = await RowsSession.open(requireConfig(config).config);
  try {
    const r = await s2.rescoreCounterfactuals('set');
    assert.ok(
      Math.abs(r.rows[0].now! - r.rows[0].prob) < 1e-6,
      'sigmoid(logit) = prob: same value through another output',
    );
    writeCsv(
      path.join(dir, 'data.csv'),
      rows.map((x, i) => (i === 2 ? { ...x, user: 99 } : x)) as unknown as Record<string, unknown>[],
    );
  } finally {
    await s2.close();
  }
  const s3 = await RowsSession.open(requireConfig(config).config);
  try {
    assert.match((await s3.rescoreCounterfactuals('set')).rows[0].stale ?? '', /no longer/);
  } finally {
    await s3.close();
  }
});

test('reclens rows --worst N --json lists the worst rows; --row explains one; bad input is exit 2', async () => {
  const { config } = tinyWorkspace({ rows: rows as unknown as Record<string, unknown>[] });
  const r = await cli('rows', '--config', config, '--worst', '5', '--json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.shown, 5);
  assert.match(j.measure, /per-row LogLoss/);
  const one = await cli('rows', '--config', config, '--row', String(j.worst[0].index), '--json', '--k', '4');
  assert.equal(one.code, 0, one.err);
  const o = JSON.parse(one.out);
  assert.equal(o.occlusion.attributions.length, 2);
  assert.equal(o.row.index, j.worst[0].index);
  const bad = await cli('rows', '--config', config, '--row', '100000');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /not an evaluation row/);
});
