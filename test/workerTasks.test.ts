import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ComputeWorker, runTask } from '../src/engine/compute/offThread';
import { sortScores } from '../src/engine/metrics/argsort';
import { computeBaseMetrics } from '../src/engine/metrics/baseMetrics';
import { sliceMetrics } from '../src/engine/slices/sliceMetrics';
import type { PcaResult } from '../src/engine/embedding/pca';
import type { TaskCall } from '../src/engine/compute/tasks';

test('a compute task runs in the worker and returns the result type WorkerTasks names for it', async () => {
  // Four points on the line y = 2x: one component carries all the variance.
  const x = Float32Array.from([0, 0, 1, 2, 2, 4, 3, 6]);
  const result: PcaResult = await runTask('pca', { x, rows: 4, dim: 2, components: 1 });
  assert.equal(result.components, 1);
  assert.equal(result.coords.length, 4);
  assert.ok(result.explainedVariance[0] > 0.999, String(result.explainedVariance));
});

test('calls are typed by the task (the compiler rejects a wrong input or result; checked by tsc on this file)', () => {
  const ok: TaskCall<'pca'> = { task: 'pca', input: { x: new Float32Array(0), rows: 0, dim: 0, components: 1 } };
  // @ts-expect-error the pca task takes { x, rows, dim, components }, not a bare array
  const badInput: TaskCall<'pca'> = { task: 'pca', input: new Float32Array(0) };
  const badResult: () => Promise<PcaResult> = () =>
    // @ts-expect-error the umap task's result is a Float32Array, not a PcaResult
    runTask('umap', { vectors: new Float32Array(0), rows: 0, dim: 0, seed: 1 } as never);
  // @ts-expect-error no such task
  const badTask: TaskCall<'pca'> = { task: 'tsne', input: ok.input };
  assert.ok(ok && badInput && badTask);
  assert.equal(typeof badResult, 'function');
});

test('a compute worker started ahead runs tasks in turn; one shared sort feeds base and slice metrics with the same results as their own sorts', async () => {
  const n = 5000;
  let s = 7;
  const rnd = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const scores = new Float32Array(new SharedArrayBuffer(n * 4)),
    labels = new Uint8Array(new SharedArrayBuffer(n)),
    groups = new Int32Array(new SharedArrayBuffer(n * 4));
  for (let i = 0; i < n; i++) {
    scores[i] = Math.round(rnd() * 200) / 200; // ties
    labels[i] = rnd() < scores[i] ? 1 : 0;
    groups[i] = Math.floor(rnd() * 50);
  }
  const probs = scores;
  const slice = new Uint8Array(n).map((_, i) => (groups[i] % 3 === 0 ? 1 : 0));
  const w = new ComputeWorker();
  try {
    const sorted = await w.run('sortShared', { scores, labels });
    assert.ok(sorted.order.buffer instanceof SharedArrayBuffer);
    assert.deepEqual(Array.from(sorted.order), Array.from(sortScores(scores, labels).order));
    const base = { labels, scores, probs, groups, groupCount: 50, curves: true };
    assert.deepEqual(await w.run('base', { ...base, sorted }), computeBaseMetrics(base));
    const sl = { ...base, slices: [{ name: 'a', source: 'config' as const, rows: slice }], bootstrap: 0, seed: 1 };
    assert.deepEqual(await w.run('slices', { input: { ...sl, sorted }, notes: [] }), sliceMetrics(sl));
  } finally {
    await w.close();
  }
  await assert.rejects(w.run('pca', { x: new Float32Array(0), rows: 0, dim: 0, components: 1 })); // closed
});
