/**
 * UMAP projection with umap-js: seeded, with neighbours precomputed by our own kNN (cosine, original space), and a
 * callback that reports progress and can stop the job.
 *
 * The fuzzy graph, the random initial layout (umapGraph.ts) and the layout's SGD epochs run here on typed arrays:
 * the same steps, in the same order, drawing the same random numbers as umap-js's initializeFit and
 * optimizeLayoutStep, so the layout is umap-js's, several times faster than its Map-based sparse matrices and
 * arrays of arrays. umap-js itself runs only as the tests' reference.
 */
import { UMAP } from 'umap-js';
import { seededRandom } from '../util/random';
import { layoutState, LayoutState } from './umapGraph';

export interface UmapInput {
  vectors: Float32Array;
  rows: number;
  dim: number;
  /** rows x k neighbours (self excluded) and their cosines. */
  knn: { k: number; indices: Uint32Array; cosines: Float32Array };
  seed: number;
  nEpochs?: number;
  minDist?: number;
  /** For tests: 'umap-js' runs umap-js's own epochs; 'exact' runs ours with Math.pow as umap-js does (same layout). */
  reference?: 'umap-js' | 'exact';
}

const CLIP = 4.0;
const clip = (x: number) => (x > CLIP ? CLIP : x < -CLIP ? -CLIP : x);

/** umap-js's optimizeLayoutStep for 2-d layouts, epoch after epoch, on typed arrays. */
async function optimizeLayout(
  s: LayoutState,
  random: () => number,
  exact: boolean,
  onEpoch?: (epoch: number, total: number) => boolean | void,
): Promise<Float64Array> {
  // Fast path: x^b as exp(b log x) (about half the time of Math.pow in V8), x^(b-1) as x^b / x (one exp and one log
  // per sample instead of two each), squares as products. Equal to umap-js's numbers up to rounding in the last bits;
  // `exact` keeps umap-js's Math.pow calls, number for number.
  const emb = s.embedding;
  const { head, tail } = s;
  // umap-js's prepareForOptimizationLoop: next sample at epochsPerSample, negatives at a fifth of it.
  const eps = s.epochsPerSample,
    next = Float64Array.from(eps);
  const epsNeg = eps.map((e) => e / s.negativeSampleRate),
    nextNeg = Float64Array.from(epsNeg);
  const { a, b, gamma, nEpochs, nVertices, initialAlpha } = s;
  let alpha = initialAlpha;
  for (let epoch = 0; epoch < nEpochs; epoch++) {
    for (let i = 0; i < eps.length; i++) {
      if (next[i] > epoch) continue;
      const j = head[i],
        k = tail[i];
      const cj = 2 * j,
        ok = 2 * k;
      const dx = emb[cj] - emb[ok],
        dy = emb[cj + 1] - emb[ok + 1];
      const distSquared = exact ? Math.pow(dx, 2) + Math.pow(dy, 2) : dx * dx + dy * dy;
      let gradCoeff = 0;
      if (distSquared > 0) {
        if (exact) {
          gradCoeff = -2.0 * a * b * Math.pow(distSquared, b - 1.0);
          gradCoeff /= a * Math.pow(distSquared, b) + 1.0;
        } else {
          const powB = Math.exp(b * Math.log(distSquared));
          gradCoeff = (-2.0 * a * b * (powB / distSquared)) / (a * powB + 1.0);
        }
      }
      // umap-js reads each coordinate's difference after moving the previous one (current and other are live rows).
      let g = clip(gradCoeff * (emb[cj] - emb[ok]));
      emb[cj] += g * alpha;
      emb[ok] += -g * alpha;
      g = clip(gradCoeff * (emb[cj + 1] - emb[ok + 1]));
      emb[cj + 1] += g * alpha;
      emb[ok + 1] += -g * alpha;
      next[i] += eps[i];
      const nNeg = Math.floor((epoch - nextNeg[i]) / epsNeg[i]);
      for (let p = 0; p < nNeg; p++) {
        const k1 = Math.floor(random() * nVertices);
        const o1 = 2 * k1;
        const ex = emb[cj] - emb[o1],
          ey = emb[cj + 1] - emb[o1 + 1];
        const d2 = exact ? Math.pow(ex, 2) + Math.pow(ey, 2) : ex * ex + ey * ey;
        let gc = 0.0;
        if (d2 > 0.0) {
          gc = 2.0 * gamma * b;
          gc /= (0.001 + d2) * (a * (exact ? Math.pow(d2, b) : Math.exp(b * Math.log(d2))) + 1);
        } else if (j === k1) continue;
        let gd = 4.0;
        if (gc > 0.0) gd = clip(gc * (emb[cj] - emb[o1]));
        emb[cj] += gd * alpha;
        gd = 4.0;
        if (gc > 0.0) gd = clip(gc * (emb[cj + 1] - emb[o1 + 1]));
        emb[cj + 1] += gd * alpha;
      }
      nextNeg[i] += nNeg * epsNeg[i];
    }
    alpha = initialAlpha * (1.0 - epoch / nEpochs);
    if (onEpoch?.(epoch + 1, nEpochs) === false) break;
    if ((epoch & 15) === 15) await new Promise((r) => setImmediate(r)); // lets a cancel message in
  }
  return emb;
}

/**
 * Epochs: 400 up to 10k points (as before); beyond, fewer as n grows (200 x 10k / n, at least 50), since each
 * epoch already moves every point many times in a large graph: the work stays about that of a 20k-point layout.
 */
export function defaultEpochs(rows: number): number {
  return rows <= 10000 ? 400 : Math.max(50, Math.round((200 * 10000) / rows));
}

export async function umapProject(
  input: UmapInput,
  onEpoch?: (epoch: number, total: number) => boolean | void,
): Promise<Float32Array> {
  const { rows, dim, knn } = input;
  const nEpochs = input.nEpochs ?? defaultEpochs(rows);
  const random = seededRandom(input.seed);
  const out = new Float32Array(rows * 2);
  if (input.reference === 'umap-js') {
    const data: number[][] = new Array(rows);
    for (let r = 0; r < rows; r++) data[r] = Array.from(input.vectors.subarray(r * dim, (r + 1) * dim));
    // umap-js expects each point to be its own first neighbour at distance 0.
    const indices: number[][] = new Array(rows),
      distances: number[][] = new Array(rows);
    for (let r = 0; r < rows; r++) {
      indices[r] = [r];
      distances[r] = [0];
      for (let j = 0; j < knn.k; j++) {
        indices[r].push(knn.indices[r * knn.k + j]);
        distances[r].push(Math.max(0, 1 - knn.cosines[r * knn.k + j]));
      }
    }
    const umap = new UMAP({ nComponents: 2, nNeighbors: knn.k + 1, random, nEpochs, minDist: input.minDist ?? 0.1 });
    umap.setPrecomputedKNN(indices, distances);
    const embedding = await umap.fitAsync(data, (epoch) => onEpoch?.(epoch, nEpochs));
    for (let r = 0; r < rows; r++) {
      out[2 * r] = embedding[r][0];
      out[2 * r + 1] = embedding[r][1];
    }
    return out;
  }
  // The graph and the initial layout as umap-js's initializeFit makes them, on typed arrays (umapGraph.ts).
  const state = layoutState(knn, rows, nEpochs, input.minDist ?? 0.1, random);
  const emb = await optimizeLayout(state, random, input.reference === 'exact', onEpoch);
  for (let i = 0; i < out.length; i++) out[i] = emb[i];
  return out;
}
