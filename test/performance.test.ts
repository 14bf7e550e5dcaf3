/** The optimised metric paths give the same numbers, bit for bit, as the straightforward algorithms they replaced. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { argsortFloat32, sortScores } from '../src/engine/metrics/argsort';
import { auc, aucFromOrder, aucRanked, byGroup, groupAucs, groupAucsOf, rankedGroups } from '../src/engine/metrics/auc';
import { drawMultiplicities } from '../src/engine/metrics/bootstrap';
import { aucFromCodes, aucFromCodes4, rankCodes } from '../src/engine/metrics/rankWalk';
import { computeBaseMetrics } from '../src/engine/metrics/baseMetrics';
import { PairedAccumulator, pairedMetrics, Scoring } from '../src/engine/metrics/paired';
import { seededRandom } from '../src/engine/util/random';
import { referenceArgsort, referenceBootstrap, referenceGroupAucs, referencePaired } from './referenceMetrics';

function tiedScores(n: number, seed: number, scale = 1): Float32Array {
  const rng = seededRandom(seed);
  return Float32Array.from({ length: n }, () => {
    const u = rng();
    if (u < 0.05) return 0;
    if (u < 0.07) return -0;
    if (u < 0.3) return (Math.round(rng() * 20 - 10) / 4) * scale; // many ties
    return (rng() - 0.5) * scale * 10;
  });
}

test('radix sort: same order as a stable comparator sort on random data with ties, -0, infinities; sorted values bit-identical', () => {
  for (const [n, seed, scale] of [
    [1, 1, 1],
    [2, 2, 1],
    [1000, 3, 1],
    [60_000, 4, 1e-3],
    [60_000, 5, 1e6],
  ] as const) {
    const v = tiedScores(n, seed, scale);
    if (n > 10) {
      v[3] = Infinity;
      v[7] = -Infinity;
      v[8] = -0;
      v[9] = 0;
    }
    const { order, sorted } = sortScores(v);
    assert.deepEqual(order, referenceArgsort(v), `order, n=${n}`);
    const bits = new Uint32Array(sorted.buffer, sorted.byteOffset, n),
      src = new Uint32Array(v.buffer);
    for (let i = 0; i < n; i++) assert.equal(bits[i], src[order[i]], `sorted value ${i}`);
    assert.deepEqual(argsortFloat32(v), order);
  }
});

test('radix sort: a digit shared by every row (skipped pass) still sorts, and an empty input', () => {
  const rng = seededRandom(9);
  const v = Float32Array.from({ length: 5000 }, () => 1 + Math.floor(rng() * 64) / 1024); // low 11 bits all zero
  assert.deepEqual(sortScores(v).order, referenceArgsort(v));
  const c = new Float32Array(100).fill(0.25); // every digit shared
  assert.deepEqual(
    Array.from(sortScores(c).order),
    Array.from({ length: 100 }, (_, i) => i),
  );
  assert.equal(sortScores(new Float32Array(0)).order.length, 0);
});

test('AUC from the radix sort equals AUC through a comparator order, exactly, with ties', () => {
  for (const seed of [1, 2, 3]) {
    const v = tiedScores(20_000, seed);
    const rng = seededRandom(seed + 100);
    const labels = Uint8Array.from(v, () => (rng() < 0.3 ? 1 : 0));
    assert.equal(auc(labels, v), aucFromOrder(referenceArgsort(v), v, labels));
  }
});

test('AUC by class (two key sorts, no argsort) equals the argsort AUC exactly: ties, -0 next to +0, one class', () => {
  const rng = seededRandom(9);
  for (const n of [1, 2, 7, 5_000, 60_000]) {
    const v = tiedScores(n, n);
    for (let i = 0; i < n; i += 97) v[i] = rng() < 0.5 ? -0 : 0;
    const labels = Uint8Array.from(v, () => (rng() < 0.35 ? 1 : 0));
    const want = aucFromOrder(referenceArgsort(v), v, labels);
    assert.ok(Object.is(auc(labels, v), want), `n=${n}`);
  }
  assert.ok(Number.isNaN(auc(new Uint8Array(4).fill(1), Float32Array.of(1, 2, 3, 4))));
});

function synthetic(n: number, groups: number, seed: number) {
  const rng = seededRandom(seed);
  const labels = new Uint8Array(n),
    scores = new Float32Array(n),
    g = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = rng() < 0.4 ? 1 : 0;
    scores[i] = Math.round((labels[i] * 0.8 + rng()) * 50) / 50;
    g[i] = Math.floor(rng() * groups);
  }
  const probs = scores.map((s) => Math.min(0.99, Math.max(0.01, s / 2)));
  return { labels, scores, probs, groups: g, groupCount: groups };
}

test('bootstrap intervals are unchanged for a seed: group and row bootstrap equal the per-row-weights reference', () => {
  const d = synthetic(4000, 70, 2);
  const grouped = computeBaseMetrics({ ...d, bootstrap: 60, seed: 42 });
  const ref = referenceBootstrap(d.labels, d.scores, d.probs, d.groups, d.groupCount, 60, 42);
  assert.equal(grouped.auc, ref.auc);
  assert.deepEqual(grouped.ci, ref.ci);
  const rows = computeBaseMetrics({ labels: d.labels, scores: d.scores, probs: d.probs, bootstrap: 40, seed: 7 });
  assert.deepEqual(rows.ci, referenceBootstrap(d.labels, d.scores, d.probs, undefined, 0, 40, 7).ci);
});

function variants(d: ReturnType<typeof synthetic>, seed: number): Scoring[][] {
  const rng = seededRandom(seed);
  const noisy = (k: number): Scoring => {
    const scores = d.scores.map((s) => Math.round((s + (rng() - 0.5) * k) * 40) / 40);
    return { scores, probs: scores.map((s) => Math.min(0.99, Math.max(0.01, s / 2))) };
  };
  return [[noisy(0.2)], [noisy(1), noisy(1), noisy(1)], [noisy(3), noisy(3)]];
}

test('paired bootstrap: one scoring at a time (kept or replayed draws) equals all variants at once: exactly, grouped LogLoss intervals within 1e-12', () => {
  for (const grouped of [true, false]) {
    const d = synthetic(3000, 50, 5);
    const setup = {
      labels: d.labels,
      groups: grouped ? d.groups : undefined,
      groupCount: grouped ? d.groupCount : 0,
      bootstrap: 30,
      seed: 11,
    };
    const base = { scores: d.scores, probs: d.probs };
    const vs = variants(d, 3);
    const ref = referencePaired({ ...setup, base, variants: vs });
    for (const keepDrawsBytes of [undefined, 0]) {
      const got = pairedMetrics({ ...setup, base, variants: vs, keepDrawsBytes });
      got.variants.forEach((v, i) => {
        assert.equal(v.metrics.auc, ref[i].auc);
        assert.equal(v.delta.auc, ref[i].deltaAuc);
        assert.equal(v.delta.logloss, ref[i].deltaLogloss);
        if (grouped) assert.equal(v.delta.gauc, ref[i].deltaGauc);
        const at = `variant ${i}, grouped ${grouped}, keep ${keepDrawsBytes}`;
        assert.deepEqual(v.ci!.deltaAuc, ref[i].ci!.deltaAuc, at);
        assert.deepEqual(v.ci!.deltaGauc, ref[i].ci!.deltaGauc, at);
        if (!grouped) assert.deepEqual(v.ci!.deltaLogloss, ref[i].ci!.deltaLogloss, at);
        else {
          // Group bootstrap: a replicate's LogLoss adds per-group sums (O(groups)) instead of every row's term, a
          // different order of floating-point additions: equal within rounding, not bit for bit.
          v.ci!.deltaLogloss.forEach((x, k) => assert.ok(Math.abs(x - ref[i].ci!.deltaLogloss[k]) <= 1e-12, at));
          assert.notDeepEqual(v.ci!.deltaLogloss, [0, 0]);
        }
      });
    }
  }
});

test('per-group AUCs from the gathered by-group rows equal the walk through the order, bit for bit; a slice of them equals the slice alone', () => {
  for (const [n, seed, groupCount] of [
    [1, 1, 1],
    [3000, 2, 40],
    [20_000, 3, 900],
  ]) {
    const scores = tiedScores(n, seed);
    const rng = seededRandom(seed + 100);
    const labels = Uint8Array.from(scores, () => (rng() < 0.4 ? 1 : 0));
    const groups = Int32Array.from(scores, () => Math.floor(rng() * groupCount));
    const order = argsortFloat32(scores);
    assert.deepEqual(
      groupAucs(order, scores, labels, groups, groupCount),
      referenceGroupAucs(order, scores, labels, groups, groupCount),
    );
    // A slice through membership words: the rows of every third group's even rows.
    const inSlice = Uint8Array.from(scores, (_, r) => (r % 2 === 0 && groups[r] % 3 === 0 ? 1 : 0));
    const bg = byGroup(order, scores, labels, groups, groupCount);
    const words = Uint32Array.from(bg.rows, (r) => inSlice[r] << 5);
    const rows = Uint32Array.from({ length: n }, (_, r) => r).filter((r) => inSlice[r]);
    const sub = (a: Float32Array | Uint8Array | Int32Array) => a.filter((_, r) => inSlice[r]);
    const alone = referenceGroupAucs(
      argsortFloat32(sub(scores) as Float32Array),
      sub(scores),
      sub(labels),
      sub(groups) as Int32Array,
      groupCount,
    );
    assert.equal(rows.length, sub(scores).length);
    assert.deepEqual(groupAucsOf(bg, groupCount, words, 1 << 5), alone);
  }
  // Weighted and unweighted walks of aucRanked agree with weight 1 everywhere.
  const scores = tiedScores(5000, 9);
  const s = sortScores(
    scores,
    Uint8Array.from(scores, (_, i) => (i % 3 === 0 ? 1 : 0)),
  );
  assert.equal(aucRanked(s.sorted, s.labels!), aucRanked(s.sorted, s.labels!, s.order, new Float64Array(5000).fill(1)));
});

test('rank codes: one and four replicates per walk equal aucRanked with unit weights, bit for bit (ties, -0, zero weights)', () => {
  const d = synthetic(6000, 45, 12);
  d.scores[5] = -0;
  d.scores[6] = 0;
  const { order, sorted, labels } = sortScores(d.scores, d.labels);
  const unit = rankedGroups(order, d.groups);
  const codes = rankCodes(sorted, labels!, unit, d.groupCount)!;
  const rng = seededRandom(3);
  const mults = [0, 1, 2, 3].map(() => drawMultiplicities(d.groupCount, rng));
  const four = new Float64Array(4);
  aucFromCodes4(codes, mults[0], mults[1], mults[2], mults[3], four, 0);
  mults.forEach((m, k) => {
    const want = aucRanked(sorted, labels!, unit, m);
    assert.ok(Object.is(aucFromCodes(codes, m), want), `one, replicate ${k}`);
    assert.ok(Object.is(four[k], want), `four, replicate ${k}`);
  });
});

test('paired metrics: segment bucket AUCs from the one rank order equal each bucket sorted alone, bit for bit', () => {
  const d = synthetic(5000, 40, 8);
  const rng = seededRandom(4);
  const of = Uint8Array.from(d.labels, () => Math.floor(rng() * 3));
  of[0] = 7; // a row in no bucket is left out
  const vs = variants(d, 6);
  const got = pairedMetrics({
    labels: d.labels,
    groupCount: 0,
    bootstrap: 0,
    seed: 1,
    segments: [{ name: 's', buckets: ['a', 'b', 'c'], of }],
    base: { scores: d.scores, probs: d.probs },
    variants: vs,
  });
  const bucketAuc = (scores: Float32Array, b: number) => {
    const rows = Array.from(of.keys()).filter((r) => of[r] === b);
    const sc = Float32Array.from(rows, (r) => scores[r]),
      lb = Uint8Array.from(rows, (r) => d.labels[r]);
    return aucFromOrder(referenceArgsort(sc), sc, lb);
  };
  const seg = got.segments![0];
  seg.buckets.forEach((bucket, b) => {
    assert.equal(bucket.rows, of.filter((x) => x === b).length);
    assert.ok(Object.is(bucket.baseAuc, bucketAuc(d.scores, b)), `bucket ${b}`);
    vs.forEach((reps, v) => {
      const want = reps.map((s) => bucketAuc(s.scores, b)).reduce((a, x) => a + x, 0) / reps.length;
      assert.ok(Object.is(bucket.variantAucs[v], want), `bucket ${b} variant ${v}`);
    });
  });
});

test('paired accumulator refuses variants before the base and out of order', () => {
  const d = synthetic(200, 5, 1);
  const acc = new PairedAccumulator({ labels: d.labels, groupCount: 0, bootstrap: 0, seed: 0 });
  const s = { scores: d.scores, probs: d.probs };
  assert.throws(() => acc.addRepeat(0, s), /base scoring comes first/);
  acc.addBase(s);
  assert.throws(() => acc.addRepeat(1, s), /out of order/);
  acc.addRepeat(0, s);
  assert.equal(acc.result().variants[0].delta.auc, 0);
});

// Decoded rows: spilled to disk or kept in memory, reused by the next job; the numbers never change.
import * as fs from 'fs';
import * as path from 'path';
import { ablate } from '../src/engine/ablation/ablate';
import { ceiling } from '../src/engine/ablation/ceiling';
import { requireConfig } from '../src/engine/config/loadConfig';
import { forgetRows } from '../src/engine/data/rowCache';
import { evaluate } from '../src/engine/evaluate';
import { withJob } from '../src/engine/job';
import { tinyRows, tinyWorkspace, writeCsv } from './helpers';

async function ablateAndCeiling(cfg: string) {
  const { config } = requireConfig(cfg);
  const ab = (await ablate(config, { seed: 3, repeats: 2, bootstrap: 40, providers: ['cpu'] })).result;
  const ce = (await ceiling(config, { seed: 3, candidates: 4, providers: ['cpu'] })).result;
  return { ab: { ...ab, seconds: 0 }, ce: { ...ce, seconds: 0 } };
}

test('rows spilled to .reclens/cache give the same ablation and ceiling as rows in memory; the cache entry is complete', async () => {
  const ws = tinyWorkspace({ rows: tinyRows(700, 4) as unknown as Record<string, unknown>[] });
  forgetRows();
  const inMemory = await ablateAndCeiling(ws.config);
  assert.ok(!fs.existsSync(path.join(ws.dir, '.reclens', 'cache')), 'small rows stay in memory');
  forgetRows();
  process.env.RECLENS_ROWS_MEMORY_MIB = '0';
  try {
    const spilled = await ablateAndCeiling(ws.config);
    assert.deepEqual(spilled, inMemory);
  } finally {
    delete process.env.RECLENS_ROWS_MEMORY_MIB;
  }
  const entries = fs.readdirSync(path.join(ws.dir, '.reclens', 'cache'));
  assert.equal(entries.length, 1, `one entry, no temporary folders: ${entries}`);
  assert.ok(fs.existsSync(path.join(ws.dir, '.reclens', 'cache', entries[0], 'manifest.json')));
});

test('the next job on the same data and plan reuses the decoded rows (memory, then disk); changed data is read again', async () => {
  const ws = tinyWorkspace({ rows: tinyRows(300, 5) as unknown as Record<string, unknown>[] });
  const reused = async () =>
    withJob(requireConfig(ws.config).config, { providers: ['cpu'] }, undefined, async (ctx) => ({
      reused: ctx.mat.reused,
      labels: Array.from(ctx.mat.labels),
    }));
  forgetRows();
  const first = await reused();
  assert.equal(first.reused, false);
  const second = await reused();
  assert.equal(second.reused, true);
  assert.deepEqual(second.labels, first.labels);
  process.env.RECLENS_ROWS_MEMORY_MIB = '0';
  try {
    forgetRows();
    assert.equal((await reused()).reused, false, 'spilled: decoded once');
    forgetRows();
    const fromDisk = await reused();
    assert.equal(fromDisk.reused, true, 'a new session finds the spilled rows on disk');
    assert.deepEqual(fromDisk.labels, first.labels);
    writeCsv(path.join(ws.dir, 'data.csv'), tinyRows(300, 6) as unknown as Record<string, unknown>[]);
    const changed = await reused();
    assert.equal(changed.reused, false, 'new data, new decoding');
    assert.notDeepEqual(changed.labels, first.labels);
  } finally {
    delete process.env.RECLENS_ROWS_MEMORY_MIB;
  }
  // eval after ablate on the same rows still gives its own numbers (eval streams; it does not depend on the cache)
  const ev = (await evaluate(requireConfig(ws.config).config, { providers: ['cpu'] })).result;
  assert.equal(ev.rows, 300);
});

import { knn } from '../src/engine/embedding/knn';
import { umapProject } from '../src/engine/embedding/umap';

test('UMAP: the typed-array epochs give the same layout as umap-js, number for number (seeded)', async () => {
  const rng = seededRandom(21);
  const n = 400,
    d = 8;
  const v = Float32Array.from({ length: n * d }, (_, i) => (i % d === Math.floor(i / d) % d ? 2 : 0) + rng());
  const nn = await knn(v, n, d, 10, ['cpu']);
  const input = { vectors: v, rows: n, dim: d, knn: nn, seed: 5, nEpochs: 60 };
  const exact = await umapProject({ ...input, reference: 'exact' });
  const theirs = await umapProject({ ...input, reference: 'umap-js' });
  assert.deepEqual(exact, theirs);
  assert.ok(
    exact.some((x) => x !== exact[0]),
    'a spread layout',
  );
  // The fast power (exp/log) changes only rounding: the layout keeps the same neighbourhoods.
  const fast = await umapProject(input);
  assert.deepEqual(await umapProject(input), fast, 'same seed, same layout');
  const kept = (layout: Float32Array) => {
    let hits = 0;
    for (let i = 0; i < n; i++) {
      const dist = (j: number) => (layout[2 * i] - layout[2 * j]) ** 2 + (layout[2 * i + 1] - layout[2 * j + 1]) ** 2;
      const near = Array.from({ length: n }, (_, j) => j)
        .filter((j) => j !== i)
        .sort((x, y) => dist(x) - dist(y))
        .slice(0, 10);
      for (let q = 0; q < 10; q++) if (near.includes(nn.indices[i * 10 + q])) hits++;
    }
    return hits / (n * 10);
  };
  const kFast = kept(fast),
    kRef = kept(theirs);
  assert.ok(kRef > 0.2 && Math.abs(kFast - kRef) < 0.05, `neighbours kept: fast ${kFast}, umap-js ${kRef}`);
});

import { gatherRows } from '../src/engine/data/rowCache';

test('gatherRows (word / byte copy loop) equals a row-by-row gather, bit for bit, for every dtype and width', () => {
  const rng = seededRandom(5);
  const n = 300;
  const perm = Uint32Array.from({ length: n }, (_, i) => i).sort(() => rng() - 0.5);
  for (const [Ctor, widths] of [
    [Float32Array, [1, 2, 3, 32, 100]],
    [Float64Array, [1, 13, 40]],
    [BigInt64Array, [1, 26]],
    [Int32Array, [1, 7]],
    [Uint8Array, [1, 3, 4, 20]],
    [Int8Array, [5]],
  ] as const) {
    for (const w of widths) {
      const col = new (Ctor as unknown as new (n: number) => Float32Array)(n * w);
      const bytes = new Uint8Array(col.buffer);
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rng() * 256); // any bits: NaN payloads, -0
      const got = gatherRows(col, w, perm, 17, 250);
      assert.equal(got.constructor, Ctor);
      const want = new Uint8Array((250 - 17) * w * col.BYTES_PER_ELEMENT);
      const rb = w * col.BYTES_PER_ELEMENT;
      for (let i = 17; i < 250; i++) want.set(bytes.subarray(perm[i] * rb, (perm[i] + 1) * rb), (i - 17) * rb);
      assert.deepEqual(new Uint8Array(got.buffer), want, `${Ctor.name} width ${w}`);
    }
  }
});
