import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runTask } from '../src/engine/compute/offThread';
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
