/**
 * Ablation's passes run back to back through one queue of batches, with each pass prepared while the one before
 * it scores (ablation/ablate.ts scoreAllPasses): the numbers, progress, cancellation and the row cache's clean-up
 * must be what they were when every pass drained the queue before the next began.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { ablate, AblationResult } from '../src/engine/ablation/ablate';
import { requireConfig } from '../src/engine/config/loadConfig';
import { forgetRows, gatherRows } from '../src/engine/data/rowCache';
import { ProgressEvent } from '../src/engine/progress';
import { seededRandom } from '../src/engine/util/random';
import { tinyRows, tinyWorkspace } from './helpers';

const run = async (cfg: string, opts: Parameters<typeof ablate>[1] = {}) => {
  const r = (
    await ablate(requireConfig(cfg).config, { seed: 3, repeats: 2, bootstrap: 40, providers: ['cpu'], ...opts })
  ).result;
  return { ...r, seconds: 0 } as AblationResult;
};

/** Runs `fn` with the in-memory row limit set to `bytes` (rows above it are spilled to .reclens/cache). */
async function withRowLimit<T>(bytes: number, fn: () => Promise<T>): Promise<T> {
  process.env.RECLENS_ROWS_MEMORY_MIB = String(bytes / 2 ** 20);
  try {
    return await fn();
  } finally {
    delete process.env.RECLENS_ROWS_MEMORY_MIB;
  }
}

test('spilled rows with one column gathered in memory (read once for all repeats) and one shuffled on disk give the in-memory numbers', async () => {
  // 700 rows: dense 3 x float32 = 8,400 bytes, item int64 = 5,600 bytes. A 6,000-byte limit spills the row set;
  // item then fits the limit (permuted from one asynchronous read of its column), dense does not (shuffled on disk).
  const ws = tinyWorkspace({ rows: tinyRows(700, 4) as unknown as Record<string, unknown>[] });
  forgetRows();
  const inMemory = await run(ws.config);
  forgetRows();
  const spilled = await withRowLimit(6000, () => run(ws.config));
  assert.deepEqual(spilled, inMemory);
  const entries = fs.readdirSync(path.join(ws.dir, '.reclens', 'cache'));
  assert.equal(entries.length, 1, `one entry, no temporary folders: ${entries}`);
  const files = fs.readdirSync(path.join(ws.dir, '.reclens', 'cache', entries[0]));
  assert.ok(!files.some((f) => f.startsWith('.perm-')), `disk permutations removed: ${files}`);
  // Within-group permutations and permute-only runs take the same paths.
  forgetRows();
  const grouped = await run(ws.config, { method: 'permute', withinGroup: true, repeats: 3 });
  forgetRows();
  assert.deepEqual(
    await withRowLimit(6000, () => run(ws.config, { method: 'permute', withinGroup: true, repeats: 3 })),
    grouped,
  );
});

test('progress: one step per pass in order, each pass reported under its own phase; the last step is the last pass', async () => {
  const ws = tinyWorkspace({ rows: tinyRows(900, 2) as unknown as Record<string, unknown>[] });
  const events: ProgressEvent[] = [];
  const r = (
    await ablate(
      requireConfig(ws.config).config,
      { seed: 1, repeats: 2, bootstrap: 0, providers: ['cpu'] },
      { onProgress: (e) => events.push(e) },
    )
  ).result;
  const passes = events.filter((e) => e.step !== undefined && e.phase !== 'open');
  const phaseOfStep = new Map<number, string>();
  let step = 0;
  for (const e of passes) {
    assert.ok(e.step! >= step, `steps never go back: ${step} -> ${e.step}`);
    step = e.step!;
    const seen = phaseOfStep.get(step);
    if (seen === undefined) phaseOfStep.set(step, e.phase);
    else assert.equal(e.phase, seen, `step ${step} reports one phase`);
    assert.equal(e.steps, r.inferencePasses);
  }
  const phases = [...phaseOfStep.values()];
  assert.deepEqual(phases.slice(0, 4), ['baseline', 'mask dense', 'permute dense (1)', 'permute dense (2)']);
  assert.equal(phases.length, r.inferencePasses, `a report from every pass: ${phases}`);
  const last = passes.filter((e) => e.phase === phases[phases.length - 1]);
  assert.equal(last[last.length - 1].done, r.rows, 'the last pass reports all rows');
});

test('cancelling during a permutation pass stops ablate with a cancelled error, removes its disk permutations, and the next run works', async () => {
  const ws = tinyWorkspace({ rows: tinyRows(3000, 7) as unknown as Record<string, unknown>[] });
  forgetRows();
  await withRowLimit(0, async () => {
    const ac = new AbortController();
    let after = 0;
    await assert.rejects(
      ablate(
        requireConfig(ws.config).config,
        { seed: 2, repeats: 3, bootstrap: 0, providers: ['cpu'] },
        {
          signal: ac.signal,
          onProgress: (e) => {
            if (ac.signal.aborted) after++;
            else if (e.phase.startsWith('permute') && e.done > 0) ac.abort();
          },
        },
      ),
      (e: Error) => e.name === 'RecLensError' && /cancelled/.test(e.message),
    );
    assert.ok(after < 10, `stopped soon after the cancel (${after} reports after it)`);
    const cache = path.join(ws.dir, '.reclens', 'cache');
    const left = fs.readdirSync(cache).flatMap((e) => fs.readdirSync(path.join(cache, e)));
    assert.ok(!left.some((f) => f.startsWith('.perm-')), `no disk permutation left behind: ${left}`);
    const again = await run(ws.config, { repeats: 1, bootstrap: 0 });
    assert.equal(again.rows, 3000);
  });
});

test('gatherRows visits rows by source region, yet every row lands where a row-by-row gather puts it (over 2^11 regions)', () => {
  const rng = seededRandom(9);
  const n = 20_000; // 15 bits: sources fall into 2^11 regions of 16 rows
  const perm = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  for (const [Ctor, w] of [
    [Float32Array, 1],
    [Float32Array, 2],
    [Float32Array, 32],
    [Uint8Array, 3],
    [BigInt64Array, 1],
  ] as const) {
    const col = new (Ctor as unknown as new (n: number) => Float32Array)(n * w);
    const bytes = new Uint8Array(col.buffer);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rng() * 256);
    const rb = w * col.BYTES_PER_ELEMENT;
    for (const [start, end] of [
      [0, n],
      [1234, 9876],
      [n - 5, n],
    ]) {
      const got = new Uint8Array(gatherRows(col, w, perm, start, end).buffer).slice(0, (end - start) * rb);
      const want = new Uint8Array((end - start) * rb);
      for (let i = start; i < end; i++) want.set(bytes.subarray(perm[i] * rb, (perm[i] + 1) * rb), (i - start) * rb);
      assert.deepEqual(got, want, `${Ctor.name} width ${w} rows ${start}-${end}`);
    }
  }
});
