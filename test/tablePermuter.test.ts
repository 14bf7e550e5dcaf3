/**
 * A table-backed input's permutations gathered from the table by the rows' table rows (ablation/tablePermuter.ts)
 * must be byte for byte the permutations of its decoded column (data/rowCache.ts gatherRows), including rows whose
 * key is missing from the table or null (the table's fallback), in memory, spilled, and over a slice's rows.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { ablate, AblationResult } from '../src/engine/ablation/ablate';
import { gatherTableRows, rowViews, tableRowsOf } from '../src/engine/ablation/tablePermuter';
import { requireConfig } from '../src/engine/config/loadConfig';
import type { FeedArray } from '../src/engine/data/batches';
import { encodeNpy } from '../src/engine/data/npy';
import { forgetRows, gatherRows } from '../src/engine/data/rowCache';
import { withJob } from '../src/engine/job';
import { restrictRows } from '../src/engine/slices/restrict';
import { permutation, seededRandom } from '../src/engine/util/random';
import { slicedPermutation } from '../src/engine/ablation/slicedPermutation';
import { tinyRows, tinyWorkspace } from './helpers';

/**
 * The tiny model's `dense` input (3 floats) looked up in a table by column `ck`: items 0..6 in the table (rows in
 * another order than their ids), 7..9 not (fallback: the table's mean, not zeros), and every 13th row's key null.
 */
function tableWorkspace(rows = 700) {
  const data = tinyRows(rows, 5).map((r, i) => ({ ...r, ck: i % 13 === 0 ? '' : r.item }));
  const ws = tinyWorkspace({
    rows: data as unknown as Record<string, unknown>[],
    config: {
      model: { path: 'model.onnx', output: 'prob', outputKind: 'probability' },
      data: { path: 'data.csv', label: 'label', group: 'user' },
      tables: { t: { path: 't.npy', ids: 'ids.npy', fallback: 'mean' } },
      inputs: { dense: { table: 't', key: 'ck' }, item: { column: 'item' } },
      runtime: { executionProviders: ['cpu'], batchSize: 64 },
    },
  });
  const ids = [4, 0, 6, 2, 1, 5, 3];
  const rng = seededRandom(9);
  const vectors = Float32Array.from({ length: ids.length * 3 }, () => rng() * 2 - 1);
  fs.writeFileSync(path.join(ws.dir, 't.npy'), encodeNpy({ dtype: 'float32', shape: [ids.length, 3], data: vectors }));
  fs.writeFileSync(
    path.join(ws.dir, 'ids.npy'),
    encodeNpy({ dtype: 'int32', shape: [ids.length], data: Int32Array.from(ids) }),
  );
  return ws;
}

const bytes = (a: FeedArray) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

async function assertSameGathers(config: string): Promise<void> {
  await withJob(requireConfig(config).config, { providers: ['cpu'] }, undefined, async (ctx) => {
    const t = await tableRowsOf(ctx, 'dense');
    assert.ok(t, 'dense is table-backed');
    const missing = t.rowOf.filter((r) => r < 0).length;
    // Keys 7, 8, 9 (30 % of rows) and the null keys (1 row in 13) take the fallback.
    assert.ok(missing > ctx.mat.rows * 0.3, `${missing} rows take the fallback`);
    const column = ctx.mat.columns.get('dense')!;
    for (const seed of [1, 2, 3]) {
      const perm = permutation(ctx.mat.rows, seededRandom(seed));
      for (const [start, end] of [
        [0, ctx.mat.rows],
        [0, 64],
        [64, 128],
        [ctx.mat.rows - 60, ctx.mat.rows],
      ]) {
        const expected = bytes(gatherRows(column, 3, perm, start, end));
        // Copied by a word loop, and by `set` from a view per table row.
        assert.deepEqual(bytes(gatherTableRows(t, perm, start, end)), expected, `seed ${seed}, ${start}..${end}`);
        const views = rowViews(t.table);
        assert.ok(views);
        assert.deepEqual(bytes(gatherTableRows(t, perm, start, end, views)), expected, `views, ${start}..${end}`);
      }
    }
    // A slice's rows: every third row, in the whole data's order.
    const index = Uint32Array.from({ length: Math.floor(ctx.mat.rows / 3) }, (_, i) => i * 3);
    const slice = restrictRows(ctx.mat, index);
    const ts = await tableRowsOf(ctx, 'dense', index);
    const perm = permutation(index.length, seededRandom(4));
    assert.deepEqual(
      bytes(gatherTableRows(ts!, perm, 0, index.length, rowViews(ts!.table))),
      bytes(gatherRows(slice.columns.get('dense')!, 3, perm, 0, index.length)),
    );
    // Not table-backed: the column path permutes it.
    assert.equal(await tableRowsOf(ctx, 'item'), undefined);
  });
}

test('permutations gathered from the table equal those of the decoded column, fallback rows included', async () => {
  const ws = tableWorkspace();
  forgetRows();
  await assertSameGathers(ws.config);
});

test('the same with the rows spilled to disk, and an ablation over them gives the in-memory numbers', async () => {
  const ws = tableWorkspace(900);
  forgetRows();
  const run = async () =>
    ({
      ...(await ablate(requireConfig(ws.config).config, { seed: 3, repeats: 3, bootstrap: 20, providers: ['cpu'] }))
        .result,
      seconds: 0,
    }) as AblationResult;
  const inMemory = await run();
  process.env.RECLENS_ROWS_MEMORY_MIB = '0';
  try {
    forgetRows();
    await assertSameGathers(ws.config);
    forgetRows();
    assert.deepEqual(await run(), inMemory);
  } finally {
    delete process.env.RECLENS_ROWS_MEMORY_MIB;
  }
  // The permutation changes the scores: the table-backed input matters to the tiny model.
  const dense = inMemory.results.find((r) => r.slot === 'dense' && r.method === 'permute')!;
  assert.notEqual(dense.deltaAuc, 0);
});

test('slicedPermutation draws the permutation of util/random permutation() for the same seed, across slice edges', async () => {
  for (const [n, slice] of [
    [0, 4],
    [1, 4],
    [2, 1],
    [17, 4],
    [64, 8],
    [1000, 7],
    [200_000, 1 << 16],
  ])
    for (const seed of [1, 2]) {
      const sliced = await slicedPermutation(n, seededRandom(seed), slice);
      assert.deepEqual(sliced, permutation(n, seededRandom(seed)), `n ${n}, slice ${slice}, seed ${seed}`);
    }
});
