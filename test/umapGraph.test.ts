/** The typed-array UMAP set-up (embedding/umapGraph.ts) against umap-js's own initializeFit, number for number. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UMAP } from 'umap-js';
import { layoutState } from '../src/engine/embedding/umapGraph';
import { seededRandom } from '../src/engine/util/random';

test('UMAP graph, initial layout and epochs per sample equal umap-js initializeFit (twins at distance 0; points whose neighbours are all at 0: rho 0)', () => {
  const rng = seededRandom(13);
  const rows = 300,
    k = 8;
  // Neighbours with cosines; the first 12 points see a twin at cosine 1 (distance 0); the first 3 see only twins (rho 0).
  const indices = new Uint32Array(rows * k),
    cosines = new Float32Array(rows * k);
  for (let r = 0; r < rows; r++) {
    const picked = new Set<number>();
    for (let j = 0; j < k; j++) {
      let c: number;
      do c = Math.floor(rng() * rows);
      while (c === r || picked.has(c));
      picked.add(c);
      indices[r * k + j] = c;
      cosines[r * k + j] = r < 3 || (r < 12 && j === 0) ? 1 : 0.95 - j * 0.05 - rng() * 0.04;
    }
  }
  const knn = { k, indices, cosines };
  const nEpochs = 120;
  const mine = layoutState(knn, rows, nEpochs, 0.1, seededRandom(4));
  const umap = new UMAP({ nComponents: 2, nNeighbors: k + 1, random: seededRandom(4), nEpochs, minDist: 0.1 });
  const idx: number[][] = [],
    dist: number[][] = [];
  for (let r = 0; r < rows; r++) {
    idx.push([r, ...Array.from(indices.subarray(r * k, (r + 1) * k))]);
    dist.push([0, ...Array.from(cosines.subarray(r * k, (r + 1) * k), (c) => Math.max(0, 1 - c))]);
  }
  umap.setPrecomputedKNN(idx, dist);
  umap.initializeFit(Array.from({ length: rows }, () => [0, 0]));
  const s = (
    umap as unknown as {
      optimizationState: {
        head: number[];
        tail: number[];
        epochsPerSample: number[];
        headEmbedding: number[][];
        a: number;
        b: number;
        nVertices: number;
      };
    }
  ).optimizationState;
  assert.deepEqual(Array.from(mine.head), s.head);
  assert.deepEqual(Array.from(mine.tail), s.tail);
  assert.deepEqual(Array.from(mine.epochsPerSample), s.epochsPerSample);
  assert.deepEqual(Array.from(mine.embedding), s.headEmbedding.flat());
  assert.equal(mine.a, s.a);
  assert.equal(mine.b, s.b);
  assert.equal(mine.nVertices, s.nVertices);
  assert.ok(mine.head.length > rows * k, 'the symmetrised graph has more edges than one direction');
});
