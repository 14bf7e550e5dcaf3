import assert from 'node:assert/strict';
import { test } from 'node:test';
import { argsortFloat32 } from '../src/engine/metrics/argsort';
import { auc, aucFromOrder, gaucFromGroups, groupAucs } from '../src/engine/metrics/auc';
import { computeBaseMetrics } from '../src/engine/metrics/baseMetrics';
import { calibration, logloss } from '../src/engine/metrics/loss';
import { computeBaseMetricsOffThread } from '../src/engine/compute/offThread';
import { seededRandom } from '../src/engine/util/random';

const f32 = (a: number[]) => Float32Array.from(a);

/** O(n^2) definition of AUC: P(pos > neg) + 1/2 P(tie). */
function bruteAuc(labels: number[], scores: number[]): number {
  let num = 0,
    den = 0;
  for (let i = 0; i < labels.length; i++)
    for (let j = 0; j < labels.length; j++) {
      if (labels[i] === 1 && labels[j] === 0) {
        den++;
        num += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
      }
    }
  return num / den;
}

test('AUC of the textbook example is 0.75', () => {
  assert.equal(auc([0, 0, 1, 1], f32([0.1, 0.4, 0.35, 0.8])), 0.75);
});

test('ties count one half', () => {
  assert.equal(auc([0, 1, 0, 1], f32([0.5, 0.5, 0.5, 0.5])), 0.5);
  // pos 0.5 ties one neg (0.5) and beats one (0.2): (1 + 0.5) / 2 per positive
  assert.equal(auc([0, 0, 1], f32([0.2, 0.5, 0.5])), 0.75);
});

test('AUC matches the pairwise definition on random data with ties and negatives', () => {
  const rng = seededRandom(3);
  const labels: number[] = [],
    scores: number[] = [];
  for (let i = 0; i < 300; i++) {
    labels.push(rng() < 0.3 ? 1 : 0);
    scores.push(Math.round((rng() * 4 - 2) * 10) / 10);
  }
  const s32 = Array.from(f32(scores));
  assert.ok(Math.abs(auc(labels, f32(scores)) - bruteAuc(labels, s32)) < 1e-12);
});

test('AUC is invariant under strictly monotone transforms of the scores', () => {
  const rng = seededRandom(11);
  const labels: number[] = [],
    s: number[] = [];
  for (let i = 0; i < 1000; i++) {
    labels.push(rng() < 0.4 ? 1 : 0);
    s.push(rng() * 6 - 3);
  }
  const base = auc(labels, f32(s));
  assert.equal(auc(labels, f32(s.map((x) => 1 / (1 + Math.exp(-x))))), base);
  assert.equal(auc(labels, f32(s.map((x) => 3 * x + 7))), base);
  assert.ok(Math.abs(auc(labels, f32(s.map((x) => -x))) - (1 - base)) < 1e-12);
});

test('radix argsort orders floats like a comparator sort, negatives and -0 included, stably', () => {
  const rng = seededRandom(5);
  const v = Float32Array.from({ length: 5000 }, () => (rng() < 0.1 ? 0 : (rng() - 0.5) * 1e6 * rng()));
  v[3] = -0;
  v[4] = 0;
  v[5] = -Infinity;
  v[6] = Infinity;
  const order = argsortFloat32(v);
  for (let i = 1; i < order.length; i++) {
    assert.ok(v[order[i - 1]] <= v[order[i]], `out of order at ${i}`);
    if (v[order[i - 1]] === v[order[i]] && !Object.is(v[order[i - 1]], -0))
      assert.ok(order[i - 1] < order[i] || Object.is(v[order[i]], -0));
  }
});

test('GAUC skips one-class groups and counts them', () => {
  // group 0: AUC 1 (2 rows), group 1: one class (skipped), group 2: AUC 0 (4 rows, both pos below both neg)
  const labels = Uint8Array.from([0, 1, 1, 1, 1, 1, 0, 0]);
  const scores = f32([0.1, 0.9, 0.5, 0.6, 0.1, 0.2, 0.7, 0.8]);
  const groups = Int32Array.from([0, 0, 1, 1, 2, 2, 2, 2]);
  const ga = groupAucs(argsortFloat32(scores), scores, labels, groups, 3);
  assert.equal(ga.used, 2);
  assert.equal(ga.skipped, 1);
  assert.ok(Number.isNaN(ga.aucs[1]));
  assert.ok(Math.abs(gaucFromGroups(ga) - (2 * 1 + 4 * 0) / 6) < 1e-12);
});

test('weighted AUC equals AUC of the rows duplicated', () => {
  const labels = [0, 1, 0, 1, 1, 0];
  const scores = f32([0.3, 0.2, 0.5, 0.9, 0.5, 0.1]);
  const w = [2, 1, 0, 3, 1, 1];
  const dupL: number[] = [],
    dupS: number[] = [];
  w.forEach((k, i) => {
    for (let j = 0; j < k; j++) {
      dupL.push(labels[i]);
      dupS.push(scores[i]);
    }
  });
  assert.ok(Math.abs(aucFromOrder(argsortFloat32(scores), scores, labels, w) - bruteAuc(dupL, dupS)) < 1e-12);
});

test('LogLoss clips probabilities and matches the formula', () => {
  assert.ok(Math.abs(logloss([1, 0], [0.8, 0.2]) - -Math.log(0.8)) < 1e-12);
  assert.ok(Math.abs(logloss([1], [0]) - -Math.log(1e-7)) < 1e-9);
});

test('calibration: equal-mass bins and ECE', () => {
  const probs = f32([0.1, 0.1, 0.9, 0.9]);
  const c = calibration([0, 1, 1, 1], probs, argsortFloat32(probs), 2);
  assert.equal(c.bins.length, 2);
  assert.ok(Math.abs(c.ece - (0.5 * Math.abs(0.1 - 0.5) + 0.5 * Math.abs(0.9 - 1))) < 1e-6);
  assert.ok(Math.abs(c.ratio - 0.5 / 0.75) < 1e-6);
});

function synthetic(n: number, groups: number, seed: number) {
  const rng = seededRandom(seed);
  const labels = new Uint8Array(n),
    scores = new Float32Array(n),
    g = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = rng() < 0.4 ? 1 : 0;
    scores[i] = labels[i] * 0.8 + rng();
    g[i] = i % groups;
  }
  const probs = scores.map((s) => Math.min(0.99, Math.max(0.01, s / 2)));
  return { labels, scores, probs, groups: g, groupCount: groups };
}

test('group bootstrap: same seed same interval, other seed differs, interval brackets the estimate', () => {
  const d = synthetic(3000, 60, 2);
  const a = computeBaseMetrics({ ...d, bootstrap: 100, seed: 42 });
  const b = computeBaseMetrics({ ...d, bootstrap: 100, seed: 42 });
  const c = computeBaseMetrics({ ...d, bootstrap: 100, seed: 43 });
  assert.deepEqual(a.ci, b.ci);
  assert.notDeepEqual(a.ci, c.ci);
  assert.equal(a.bootstrap?.unit, 'group');
  assert.ok(a.ci!.auc[0] < a.auc && a.auc < a.ci!.auc[1]);
  assert.ok(a.ci!.gauc![0] < a.gauc! && a.gauc! < a.ci!.gauc![1]);
  assert.ok(a.ci!.auc[1] - a.ci!.auc[0] > 0.005, 'interval has width');
});

test('metrics computed in a worker thread equal the in-thread result', async () => {
  const d = synthetic(5000, 50, 9);
  const inThread = computeBaseMetrics({ ...d, bootstrap: 20, seed: 1 });
  const off = await computeBaseMetricsOffThread({ ...d, bootstrap: 20, seed: 1 });
  assert.deepEqual(off, inThread);
});
