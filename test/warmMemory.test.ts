/**
 * Eval's metrics workers pre-fault the buffers of the tail (compute/warmMemory.ts) and compute the slices' log terms
 * while the sort runs: the results must be those of fresh memory, bit for bit, and every buffer `tailBuffers` names
 * must be one the tail's steps take (else it was touched for nothing, or the list went stale).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dropWarm, prefault, warmArray, warmCount } from '../src/engine/compute/warmMemory';
import { tailBuffers } from '../src/engine/evaluate';
import { sortScores } from '../src/engine/metrics/argsort';
import { computeBaseMetrics } from '../src/engine/metrics/baseMetrics';
import { logTerms } from '../src/engine/metrics/loss';
import { sliceMetrics } from '../src/engine/slices/sliceMetrics';
import { seededRandom } from '../src/engine/util/random';

test('warmArray hands out each pre-faulted buffer once, zeroed, by size and kind; other sizes are fresh', () => {
  dropWarm();
  prefault({ plain: [64, 64], shared: [64] });
  assert.equal(warmCount(), 3);
  const a = warmArray(Uint32Array, 16);
  a.fill(7);
  const b = warmArray(Float32Array, 16);
  assert.notEqual(a.buffer, b.buffer);
  assert.ok(b.every((x) => x === 0));
  assert.equal(warmCount(), 1);
  const s = warmArray(Uint8Array, 64, true);
  assert.ok(s.buffer instanceof SharedArrayBuffer);
  assert.equal(warmCount(), 0);
  const fresh = warmArray(Float64Array, 8); // 64 bytes again: the pool is empty
  assert.ok(fresh.buffer instanceof ArrayBuffer && fresh.every((x) => x === 0));
  prefault({ plain: [32], shared: [] });
  assert.equal(warmArray(Uint8Array, 16).length, 16); // another size: fresh, the pooled one stays
  assert.equal(warmCount(), 1);
  dropWarm();
  assert.equal(warmCount(), 0);
});

function rows(n: number, groupCount: number, seed: number) {
  const rng = seededRandom(seed);
  const labels = new Uint8Array(new SharedArrayBuffer(n)),
    scores = new Float32Array(new SharedArrayBuffer(n * 4)),
    probs = new Float32Array(new SharedArrayBuffer(n * 4)),
    groups = new Int32Array(new SharedArrayBuffer(n * 4));
  for (let i = 0; i < n; i++) {
    labels[i] = rng() < 0.3 ? 1 : 0;
    scores[i] = Math.round((labels[i] * 0.5 + rng()) * 200) / 200; // ties
    probs[i] = Math.min(1, scores[i] / 1.5);
    groups[i] = Math.floor(rng() * groupCount);
  }
  const mask = (f: (i: number) => boolean) => Uint8Array.from({ length: n }, (_, i) => (f(i) ? 1 : 0));
  const slices = [
    { name: 'low', rows: mask((i) => scores[i] < 0.4) },
    { name: 'every third', rows: mask((i) => i % 3 === 0) },
    { name: 'few groups', rows: mask((i) => groups[i] < 5) },
  ].map((s) => ({ ...s, source: 'auto' as const }));
  return { labels, scores, probs, groups, slices };
}

for (const grouped of [true, false])
  test(`eval's tail on pre-faulted buffers with early log terms equals fresh memory and takes every buffer (${grouped ? 'groups' : 'no groups'})`, () => {
    const n = 30_011,
      groupCount = 97;
    const r = rows(n, groupCount, 5);
    const common = {
      labels: r.labels,
      scores: r.scores,
      probs: r.probs,
      groups: grouped ? r.groups : undefined,
      groupCount: grouped ? groupCount : 0,
    };
    const tail = (warm: boolean) => {
      dropWarm();
      if (warm) {
        // What eval's two workers pre-fault, in one thread here: each step takes its own sizes.
        const [a, b] = tailBuffers(n, grouped, true);
        prefault({ plain: [...a.plain, ...b.plain], shared: [...a.shared, ...b.shared] });
      }
      const terms = warm ? logTerms(r.labels, r.probs, warmArray(Float64Array, n, true)) : undefined;
      const sorted = sortScores(r.scores, r.labels, true);
      const base = computeBaseMetrics({ ...common, curves: true, sorted });
      const slices = sliceMetrics({ ...common, slices: r.slices, bootstrap: 0, seed: 1, sorted, terms });
      return { base, slices, left: warmCount() };
    };
    const fresh = tail(false),
      warm = tail(true);
    assert.deepStrictEqual(warm.base, fresh.base);
    assert.deepStrictEqual(warm.slices, fresh.slices);
    assert.equal(warm.left, 0, 'every pre-faulted buffer is taken by the tail');

    // Without slices one worker sorts (not shared) and computes the base metrics.
    dropWarm();
    prefault(tailBuffers(n, grouped, false)[0]);
    const alone = computeBaseMetrics({ ...common, curves: true });
    assert.equal(warmCount(), 0, 'every pre-faulted buffer is taken without slices too');
    assert.deepStrictEqual(alone, fresh.base);
    dropWarm();
  });
