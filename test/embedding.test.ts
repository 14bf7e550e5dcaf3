import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'node:test';
import { alignmentUniformity, jaccardAtK, recallAtK, semanticIdDiagnostics } from '../src/engine/embedding/alignment';
import { bruteForceKnn, knn, knnThreads } from '../src/engine/embedding/knn';
import { popularityBuckets } from '../src/engine/embedding/metadata';
import { pca, symmetricEigen } from '../src/engine/embedding/pca';
import { umapProject } from '../src/engine/embedding/umap';
import type { PairWeights } from '../src/engine/lis/preferences';
import { seededRandom } from '../src/engine/util/random';
import { cli, ROOT, tempDir } from './helpers';

function clusters(n: number, dim: number, centers: number, seed: number): Float32Array {
  const rng = seededRandom(seed);
  const c = Float32Array.from({ length: centers * dim }, () => rng() * 4 - 2);
  const v = new Float32Array(n * dim);
  for (let r = 0; r < n; r++)
    for (let k = 0; k < dim; k++) v[r * dim + k] = c[(r % centers) * dim + k] + (rng() - 0.5) * 0.6;
  return v;
}

test('Jacobi eigen-decomposition: A v = lambda v, orthonormal vectors, descending values', () => {
  const d = 6,
    rng = seededRandom(2);
  const B = Float64Array.from({ length: d * d }, () => rng() - 0.5);
  const A = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) A[i * d + j] += B[k * d + i] * B[k * d + j];
  const { values, vectors } = symmetricEigen(A, d);
  for (let p = 0; p < d; p++) {
    for (let i = 0; i < d; i++) {
      let av = 0;
      for (let j = 0; j < d; j++) av += A[i * d + j] * vectors[j * d + p];
      assert.ok(Math.abs(av - values[p] * vectors[i * d + p]) < 1e-9);
    }
    if (p > 0) assert.ok(values[p - 1] >= values[p]);
    for (let q = 0; q < d; q++) {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += vectors[i * d + p] * vectors[i * d + q];
      assert.ok(Math.abs(dot - (p === q ? 1 : 0)) < 1e-9);
    }
  }
  let trace = 0;
  for (let i = 0; i < d; i++) trace += A[i * d + i];
  assert.ok(Math.abs(values.reduce((a, b) => a + b, 0) - trace) < 1e-9);
});

test('PCA finds a planted principal axis and its explained variance', () => {
  // Points along (1, 1, 0)/sqrt2 with sd 10, small noise elsewhere: the first axis carries nearly all variance.
  const rng = seededRandom(8),
    n = 5000,
    d = 3;
  const x = new Float32Array(n * d);
  for (let r = 0; r < n; r++) {
    const t = (rng() - 0.5) * 34.64;
    x[r * 3] = t / Math.SQRT2 + (rng() - 0.5) * 0.1;
    x[r * 3 + 1] = t / Math.SQRT2 + (rng() - 0.5) * 0.1;
    x[r * 3 + 2] = 5 + (rng() - 0.5) * 0.1;
  }
  const p = pca(x, n, d, 2);
  assert.ok(
    Math.abs(Math.abs(p.axes[0]) - Math.SQRT1_2) < 1e-3 &&
      Math.abs(Math.abs(p.axes[1]) - Math.SQRT1_2) < 1e-3 &&
      Math.abs(p.axes[2]) < 1e-3,
  );
  assert.ok(p.explainedVariance[0] > 0.999);
  assert.ok(Math.abs(p.explainedVariance.reduce((a, b) => a + b, 0) - 1) < 1e-9);
  // Coordinates are the centred data projected on the axes.
  let m0 = 0;
  for (let r = 0; r < n; r++) m0 += p.coords[r * 2];
  assert.ok(Math.abs(m0 / n) < 1e-3);
});

test('kNN through the ONNX graph equals brute force (indices and cosines), self excluded', async () => {
  const n = 700,
    d = 12,
    k = 8;
  const v = clusters(n, d, 5, 3);
  const onnx = await knn(v, n, d, k, ['cpu'], undefined, 128);
  const ref = bruteForceKnn(v, n, d, k);
  assert.equal(onnx.k, k);
  assert.equal(onnx.provider, 'cpu');
  let same = 0;
  for (let i = 0; i < n * k; i++) {
    assert.ok(Math.abs(onnx.cosines[i] - ref.cosines[i]) < 1e-5, `cosine ${i}`);
    if (onnx.indices[i] === ref.indices[i]) same++;
  }
  assert.ok(same / (n * k) > 0.999, `index agreement ${same / (n * k)} (ties may swap)`);
  for (let r = 0; r < n; r++) for (let j = 0; j < k; j++) assert.notEqual(onnx.indices[r * k + j], r);
});

test('kNN threads: every core unless runtime.threads says otherwise; one and two threads give the same neighbours', async () => {
  assert.equal(knnThreads(0), os.availableParallelism());
  assert.equal(knnThreads(3), 3);
  const n = 600,
    d = 16,
    k = 6;
  const v = clusters(n, d, 5, 9);
  const one = await knn(v, n, d, k, ['cpu'], undefined, 128, 1);
  const two = await knn(v, n, d, k, ['cpu'], undefined, 128, 2);
  assert.deepEqual(two.indices, one.indices);
  for (let i = 0; i < n * k; i++) assert.ok(Math.abs(two.cosines[i] - one.cosines[i]) < 1e-6, `cosine ${i}`);
});

test('kNN ties: equal cosines (duplicate rows) come by the lower row index, as in bruteForceKnn; self is dropped', async () => {
  // Each point three times (rows 3i, 3i+1, 3i+2): its two twins tie with it at the top, and every other point's
  // three copies tie with each other. Blocks of 64 rows split some triples across blocks.
  const base = 150,
    n = base * 3,
    d = 10,
    k = 7;
  const b = clusters(base, d, 4, 11);
  const v = new Float32Array(n * d);
  for (let r = 0; r < n; r++) v.set(b.subarray(Math.floor(r / 3) * d, (Math.floor(r / 3) + 1) * d), r * d);
  const onnx = await knn(v, n, d, k, ['cpu'], undefined, 64);
  const ref = bruteForceKnn(v, n, d, k);
  let same = 0;
  for (let r = 0; r < n; r++) {
    const t = r - (r % 3);
    const twins = [t, t + 1, t + 2].filter((x) => x !== r);
    assert.deepEqual([onnx.indices[r * k], onnx.indices[r * k + 1]], twins, `row ${r}: twins first, lower index first`);
    assert.deepEqual([ref.indices[r * k], ref.indices[r * k + 1]], twins, `row ${r}: brute force has the same rule`);
    for (let j = 0; j + 1 < k; j++)
      if (onnx.cosines[r * k + j] === onnx.cosines[r * k + j + 1])
        assert.ok(onnx.indices[r * k + j] < onnx.indices[r * k + j + 1], `row ${r}: tie at ${j} by index`);
    for (let j = 0; j < k; j++) if (onnx.indices[r * k + j] === ref.indices[r * k + j]) same++;
  }
  assert.ok(same / (n * k) > 0.99, `index agreement with brute force ${same / (n * k)}`);
});

const pairsOf = (list: [number, number][]): PairWeights => {
  const neighbours = new Map<number, Map<number, number>>();
  for (const [a, b] of list)
    for (const [x, y] of [
      [a, b],
      [b, a],
    ]) {
      if (!neighbours.has(x)) neighbours.set(x, new Map());
      neighbours.get(x)!.set(y, 1);
    }
  return { neighbours, pairs: list.length };
};

test('recall@K on a hand-made case', () => {
  // ids 10,11,12,13; K=1 neighbours: 10->11, 11->10, 12->10, 13->12
  const ids = [10, 11, 12, 13];
  const idx = Uint32Array.from([1, 0, 0, 2]);
  const r = recallAtK(
    ids,
    idx,
    1,
    pairsOf([
      [10, 11],
      [12, 13],
      [10, 99],
    ]),
    ['cold', 'cold', 'hot', 'hot'],
  );
  // directed pairs with both ids known: 10->11 hit, 11->10 hit, 12->13 miss, 13->12 hit
  assert.equal(r.count, 4);
  assert.equal(r.overall, 0.75);
  assert.equal(r.cold, 1);
  assert.equal(r.hot, 0.5);
});

test('Jaccard@K of kNN lists, alignment and uniformity', () => {
  const a = Uint32Array.from([1, 2, 0, 2, 0, 1]),
    b = Uint32Array.from([1, 2, 2, 0, 1, 3]);
  const j = jaccardAtK(a, b, 2, 3, ['cold', 'warm', 'hot']);
  assert.deepEqual([j.cold, j.warm, j.hot], [1, 1, 1 / 3]);
  const v = Float32Array.from([1, 0, 1, 0, 0, 1]);
  const au = alignmentUniformity(
    [1, 2, 3],
    v,
    2,
    pairsOf([
      [1, 2],
      [1, 3],
    ]),
    ['cold', 'cold', 'cold'],
    seededRandom(1),
    2000,
  );
  assert.equal(au.alignment.overall, (0 + 2) / 2);
  assert.ok(au.uniformity < 0 && au.uniformity > -4);
});

test('semantic-ID diagnostics: utilisation, collisions, co-engaged pairs sharing codes', () => {
  // 4 items x 2 levels; items 1 and 2 collide on (0, 1)
  const codes = Float32Array.from([0, 1, 0, 1, 1, 0, 3, 2]);
  const s = semanticIdDiagnostics(
    [1, 2, 3, 4],
    codes,
    2,
    pairsOf([
      [1, 2],
      [1, 3],
      [3, 4],
    ]),
  );
  assert.deepEqual(s.codebookSizes, [4, 3]);
  assert.deepEqual(s.utilisation, [3 / 4, 3 / 3]);
  assert.equal(s.collisionRate, 0.5);
  assert.equal(s.pairsSameCode, 1 / 3);
  assert.equal(s.pairsSameFirstLevel, 1 / 3); // (1,2) only: 1 vs 3 and 1 vs 3 differ at level 0
});

test('popularity buckets: cold at or below the median, hot above the 90th percentile', () => {
  const b = popularityBuckets(Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 100]));
  assert.deepEqual(b, ['cold', 'cold', 'cold', 'cold', 'cold', 'warm', 'warm', 'warm', 'warm', 'hot']);
});

test('UMAP with precomputed neighbours is seeded: same seed, same layout; clusters stay apart', async () => {
  const n = 300,
    d = 8;
  const v = clusters(n, d, 3, 5);
  const nn = bruteForceKnn(v, n, d, 10);
  const run = (seed: number) => umapProject({ vectors: v, rows: n, dim: d, knn: { k: 10, ...nn }, seed, nEpochs: 100 });
  const a = await run(1),
    b = await run(1),
    c = await run(2);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  // Mean distance to own-cluster points is smaller than to other clusters.
  let inside = 0,
    outside = 0,
    ni = 0,
    no = 0;
  for (let i = 0; i < n; i += 7)
    for (let j = 0; j < n; j += 5) {
      if (i === j) continue;
      const dd = Math.hypot(a[2 * i] - a[2 * j], a[2 * i + 1] - a[2 * j + 1]);
      if (i % 3 === j % 3) {
        inside += dd;
        ni++;
      } else {
        outside += dd;
        no++;
      }
    }
  assert.ok(inside / ni < 0.5 * (outside / no));
});

test('reclens embed writes coordinates and align reports measures for the example tables', async () => {
  const out = path.join(tempDir(), 'coords.parquet');
  const cfg = path.join(ROOT, 'examples', 'planted', 'reclens.json');
  const e = await cli('embed', '--config', cfg, '--table', 'item_aligned', '--out', out, '--json', '--no-record');
  assert.equal(e.code, 0, e.err);
  const j = JSON.parse(e.out);
  assert.equal(j.sampleSize, 200);
  assert.equal(j.explainedVariance.length, 10);
  assert.ok(fs.statSync(out).size > 1000);
  const a = await cli(
    'align',
    '--config',
    cfg,
    '--table',
    'item_aligned',
    '--against',
    'item_raw',
    '--preferences',
    'prefs_leak',
    '--json',
    '--no-record',
  );
  assert.equal(a.code, 0, a.err);
  const al = JSON.parse(a.out);
  assert.equal(al.sharedIds, 200);
  assert.ok(
    al.recallAtK.overall > al.recallAtKAgainst.overall,
    'the aligned table puts more co-engaged pairs in its kNN than the raw one',
  );
  assert.equal((await cli('embed', '--config', cfg, '--table', 'nope')).code, 1);
});
