/** The columnar pair store and the cross-fit split over a worker pool give the same answers as the plain versions. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crossFitPool } from '../src/engine/compute/offThread';
import { crossFit, mergeCrossFit } from '../src/engine/lis/crossFit';
import { ItemIds, neighbourMap, PairStore, thresholded } from '../src/engine/lis/pairStore';
import { seededRandom } from '../src/engine/util/random';

test('pair store: find and add agree with a Map through growth; unordered pairs; thresholds and adjacency', () => {
  const rng = seededRandom(5);
  const store = new PairStore(4);
  const ref = new Map<string, number>();
  for (let k = 0; k < 20000; k++) {
    const a = Math.floor(rng() * 300),
      b = Math.floor(rng() * 300);
    if (a === b) continue;
    const key = a < b ? `${a},${b}` : `${b},${a}`;
    const w = 1 + Math.floor(rng() * 3);
    const k = store.add(a, b); // before reading store.wLeak: adding may grow (replace) the arrays
    store.wLeak[k] += w;
    ref.set(key, (ref.get(key) ?? 0) + w);
  }
  assert.equal(store.size, ref.size);
  for (const [key, w] of ref) {
    const [a, b] = key.split(',').map(Number);
    assert.equal(store.wLeak[store.find(b, a)], w);
    assert.equal(store.find(a, b), store.find(b, a));
  }
  assert.equal(store.find(7, 7), -1);
  assert.equal(store.find(1000, 1), -1);
  const { weights, pairs } = thresholded(store.wLeak, store.size, 4);
  assert.equal(pairs, [...ref.values()].filter((w) => w >= 4).length);
  const items = new ItemIds();
  for (let i = 0; i < 300; i++) items.id(`item-${i}`);
  const adj = neighbourMap(store, weights, items);
  let entries = 0;
  for (const [a, m] of adj)
    for (const [b, w] of m) {
      entries++;
      assert.equal(w, adj.get(b)!.get(a));
      assert.ok(w >= 4);
    }
  assert.equal(entries, 2 * pairs);
});

test('cross-fit: splits computed apart (worker pool) and merged equal one cross-fit, number for number', async () => {
  const rng = seededRandom(9);
  const n = 3000,
    groupCount = 60;
  const labels = new Uint8Array(n),
    groups = new Int32Array(n),
    base = new Float64Array(n);
  const extras = [new Float64Array(2 * n), new Float64Array(2 * n)];
  for (let r = 0; r < n; r++) {
    groups[r] = Math.floor(rng() * groupCount);
    base[r] = rng() * 2 - 1;
    extras[0][2 * r] = rng();
    extras[0][2 * r + 1] = rng();
    extras[1][2 * r] = rng();
    extras[1][2 * r + 1] = rng();
    labels[r] = rng() < 1 / (1 + Math.exp(-(base[r] + extras[0][2 * r]))) ? 1 : 0;
  }
  const input = { labels, groups, groupCount, base, extras, folds: 2, splits: 5, seed: 3, bootstrap: 23, richer: true };
  const whole = crossFit(input);
  const parts = [[0, 3], [1, 4], [2]].map((only) => ({ only, out: crossFit({ ...input, only }) }));
  assert.deepEqual(mergeCrossFit(parts, 5), whole);
  process.env.RECLENS_WORKERS = '2';
  try {
    assert.deepEqual(await crossFitPool(input), whole);
  } finally {
    delete process.env.RECLENS_WORKERS;
  }
  for (const v of whole.logistic.replicates) assert.ok(v.every(Number.isFinite));
});
