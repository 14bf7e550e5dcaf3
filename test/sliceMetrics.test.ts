/**
 * Slice metrics from one sort of the whole equal the algorithm they replaced (each slice copied out and sorted on
 * its own, per-row weights, a full LogLoss per replicate; test/referenceMetrics.ts): point metrics and the AUC /
 * GAUC intervals bit for bit; the LogLoss intervals with group units within 1e-12, because a replicate's LogLoss
 * now sums per-group sums of the log terms (other additions in another order; a percentile of the replicates
 * moves no more than the replicate values do). The worker pool gives the in-thread report exactly, and the
 * whole's intervals from those replicates equal a base-metrics bootstrap (eval takes its base ci from there).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sliceMetricsPool } from '../src/engine/compute/offThread';
import { SliceMetricsInput, sliceMetrics } from '../src/engine/slices/sliceMetrics';
import { seededRandom } from '../src/engine/util/random';
import { referenceBootstrap, referenceSliceMetrics } from './referenceMetrics';

/** Rows with many tied scores (-0 next to +0 too), groups, and slices: a partition, an overlap, one class, empty. */
function input(n: number, groupCount: number, seed: number, grouped: boolean, bootstrap: number): SliceMetricsInput {
  const rng = seededRandom(seed);
  const labels = new Uint8Array(n),
    scores = new Float32Array(n),
    probs = new Float32Array(n),
    groups = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = rng() < 0.35 ? 1 : 0;
    const u = rng();
    scores[i] = u < 0.03 ? -0 : u < 0.06 ? 0 : Math.round((labels[i] * 0.6 + rng()) * 40) / 40;
    probs[i] = Math.min(1, Math.max(0, scores[i] / 1.6 + (u < 0.01 ? 1 : 0)));
    groups[i] = Math.floor(rng() * groupCount);
  }
  const mask = (f: (i: number) => boolean) => Uint8Array.from({ length: n }, (_, i) => (f(i) ? 1 : 0));
  const slices = [
    { name: 'low', rows: mask((i) => scores[i] < 0.5) },
    { name: 'high', rows: mask((i) => scores[i] >= 0.5) },
    { name: 'every third', rows: mask((i) => i % 3 === 0) },
    { name: 'few groups', rows: mask((i) => groups[i] < 3) },
    { name: 'positives only', rows: mask((i) => labels[i] === 1 && i % 5 === 0) },
    { name: 'empty', rows: mask(() => false) },
    { name: 'one row', rows: mask((i) => i === 7) },
  ].map((s) => ({ ...s, source: 'config' as const }));
  return {
    labels,
    scores,
    probs,
    groups: grouped ? groups : undefined,
    groupCount: grouped ? groupCount : 0,
    slices,
    bootstrap,
    seed,
  };
}

const same = (a: unknown, b: unknown, what: string) => assert.ok(Object.is(a, b), `${what}: ${a} vs ${b}`);
const near = (a: [number, number] | null | undefined, b: [number, number], what: string) => {
  assert.ok(a, `${what}: interval missing`);
  for (const k of [0, 1]) assert.ok(Math.abs(a[k] - b[k]) <= 1e-12, `${what}[${k}]: ${a[k]} vs ${b[k]}`);
};
const orNull = (i: [number, number]) => (Number.isNaN(i[0]) ? null : i);

for (const grouped of [true, false])
  test(`slice metrics from one sort equal per-slice sorting (${grouped ? 'group' : 'row'} bootstrap)`, () => {
    const d = input(6000, 40, grouped ? 3 : 4, grouped, 40);
    const got = sliceMetrics(d);
    const ref = referenceSliceMetrics(d);
    assert.deepEqual(got.whole, ref.whole);
    got.slices.forEach((s, k) => {
      const r = ref.slices[k];
      const name = s.name;
      for (const key of ['rows', 'positives', 'auc', 'gauc', 'logloss'] as const)
        same(s[key], r[key], `${name} ${key}`);
      if (r.calibration) assert.deepEqual(s.calibration, r.calibration, `${name} calibration`);
      else assert.equal(s.calibration.bins.length, 0);
      if (!r.ci) {
        assert.equal(s.ci, undefined, `${name}: no interval without rows`);
        return;
      }
      assert.ok(s.ci, `${name} interval`);
      assert.deepEqual(s.ci.auc, orNull(r.ci.auc), `${name} ci auc`);
      assert.deepEqual(s.ci.gauc, grouped ? orNull(r.ci.gauc) : null, `${name} ci gauc`);
      assert.deepEqual(s.ci.deltaAuc, orNull(r.ci.deltaAuc), `${name} ci delta auc`);
      assert.deepEqual(s.ci.deltaGauc, grouped ? orNull(r.ci.deltaGauc) : null, `${name} ci delta gauc`);
      if (grouped) {
        near(s.ci.logloss, r.ci.logloss, `${name} ci logloss`);
        near(s.ci.deltaLogloss, r.ci.deltaLogloss, `${name} ci delta logloss`);
      } else {
        // Row units keep the per-row sums in row order: bit for bit.
        assert.deepEqual(s.ci.logloss, r.ci.logloss, `${name} ci logloss`);
        assert.deepEqual(s.ci.deltaLogloss, r.ci.deltaLogloss, `${name} ci delta logloss`);
      }
      assert.equal(s.flagged, s.ci.deltaAuc !== null && s.ci.deltaAuc[1] < 0);
    });
    // The fixture has slices that differ: the test would notice a slice scored as the whole.
    assert.notEqual(got.slices[0].auc, got.slices[1].auc);
    assert.ok(got.slices.some((s) => s.ci && s.ci.deltaAuc && s.ci.deltaAuc[0] !== s.ci.deltaAuc[1]));
  });

test('slice bootstrap split over a worker pool equals one thread exactly (2 and 3 workers)', async () => {
  const before = process.env.RECLENS_WORKERS;
  try {
    for (const grouped of [true, false]) {
      const d = input(3000, 25, 8, grouped, 23);
      const one = sliceMetrics(d, ['a note']);
      for (const workers of ['2', '3']) {
        process.env.RECLENS_WORKERS = workers;
        const pooled = await sliceMetricsPool(d, ['a note']);
        assert.deepEqual(pooled.report, one, `${workers} workers, grouped ${grouped}`);
        // The whole's intervals from the same replicates are eval's base ci: as a base-metrics bootstrap gives them.
        const ref = referenceBootstrap(d.labels, d.scores, d.probs, d.groups, d.groupCount, d.bootstrap, d.seed).ci;
        assert.deepEqual(pooled.whole?.auc, ref.auc);
        assert.deepEqual(pooled.whole?.gauc, ref.gauc);
        if (grouped) near(pooled.whole?.logloss, ref.logloss, 'whole ci logloss');
        else assert.deepEqual(pooled.whole?.logloss, ref.logloss);
      }
    }
  } finally {
    if (before === undefined) delete process.env.RECLENS_WORKERS;
    else process.env.RECLENS_WORKERS = before;
  }
});

test('more than 32 slices (membership words in chunks of 32) still equal per-slice sorting', () => {
  const d = input(2000, 15, 5, true, 6);
  d.slices = Array.from({ length: 40 }, (_, k) => ({
    name: `mod ${k}`,
    source: 'auto' as const,
    rows: Uint8Array.from(d.labels, (_, i) => ((i * 7 + k) % 11 < 4 ? 1 : 0)),
  }));
  const got = sliceMetrics(d);
  const ref = referenceSliceMetrics(d);
  got.slices.forEach((s, k) => {
    for (const key of ['rows', 'positives', 'auc', 'gauc', 'logloss'] as const)
      same(s[key], ref.slices[k][key], `${s.name} ${key}`);
    assert.deepEqual(s.calibration, ref.slices[k].calibration, `${s.name} calibration`);
    assert.deepEqual(s.ci?.deltaAuc, orNull(ref.slices[k].ci!.deltaAuc), `${s.name} ci delta auc`);
  });
});
