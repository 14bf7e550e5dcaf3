/**
 * UMAP projection with umap-js: seeded, with neighbours precomputed by our own kNN (cosine, original space), and a
 * callback that reports progress and can stop the job (as umap-js's fitAsync allows).
 */
import { UMAP } from 'umap-js';
import { seededRandom } from '../util/random';

export interface UmapInput {
  vectors: Float32Array;
  rows: number;
  dim: number;
  /** rows x k neighbours (self excluded) and their cosines. */
  knn: { k: number; indices: Uint32Array; cosines: Float32Array };
  seed: number;
  nEpochs?: number;
  minDist?: number;
}

export async function umapProject(input: UmapInput, onEpoch?: (epoch: number, total: number) => boolean | void): Promise<Float32Array> {
  const { rows, dim, knn } = input;
  const data: number[][] = new Array(rows);
  for (let r = 0; r < rows; r++) data[r] = Array.from(input.vectors.subarray(r * dim, (r + 1) * dim));
  // umap-js expects each point to be its own first neighbour at distance 0.
  const indices: number[][] = new Array(rows), distances: number[][] = new Array(rows);
  for (let r = 0; r < rows; r++) {
    indices[r] = [r];
    distances[r] = [0];
    for (let j = 0; j < knn.k; j++) { indices[r].push(knn.indices[r * knn.k + j]); distances[r].push(Math.max(0, 1 - knn.cosines[r * knn.k + j])); }
  }
  const nEpochs = input.nEpochs ?? (rows > 10000 ? 200 : 400);
  const umap = new UMAP({ nComponents: 2, nNeighbors: knn.k + 1, random: seededRandom(input.seed), nEpochs, minDist: input.minDist ?? 0.1 });
  umap.setPrecomputedKNN(indices, distances);
  const embedding = await umap.fitAsync(data, (epoch) => onEpoch?.(epoch, nEpochs));
  const out = new Float32Array(rows * 2);
  for (let r = 0; r < rows; r++) { out[2 * r] = embedding[r][0]; out[2 * r + 1] = embedding[r][1]; }
  return out;
}
