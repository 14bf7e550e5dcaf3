/**
 * umap-js's fuzzy simplicial set and optimisation set-up (UMAP.initializeFit with precomputed neighbours), on
 * typed arrays. Profiling a 20k-point UMAP showed over half its CPU in umap-js's SparseMatrix (a Map keyed by
 * "row:col" strings, rebuilt by every add / subtract / multiply of the symmetrisation) and its garbage. The same
 * arithmetic is done here in the same order: test/performance.test.ts checks the layout against umap-js's own
 * fit, number for number.
 */
import { findABParams } from 'umap-js/dist/umap';

export interface PrecomputedKnn {
  k: number;
  /** rows x k neighbours (self excluded) and their cosines. */
  indices: Uint32Array;
  cosines: Float32Array;
}

/** What the layout's epochs need (umap-js's optimizationState, as typed arrays). */
export interface LayoutState {
  head: Int32Array;
  tail: Int32Array;
  epochsPerSample: Float64Array;
  /** rows x 2 initial layout. */
  embedding: Float64Array;
  a: number;
  b: number;
  gamma: number;
  initialAlpha: number;
  negativeSampleRate: number;
  nEpochs: number;
  nVertices: number;
}

const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;

/** umap-js's utils.mean: reduce from the first element, then divide. */
function meanOf(x: Float64Array, from: number, len: number): number {
  let s = x[from];
  for (let j = 1; j < len; j++) s += x[from + j];
  return s / len;
}

/**
 * rows x (k + 1) distances with the point itself first (distance 0), as umap-js is given them; its smoothKNNDistance
 * (local connectivity 1, 64 iterations, bandwidth 1).
 */
function smoothKnnDistance(dist: Float64Array, rows: number, kk: number): { sigmas: Float64Array; rhos: Float64Array } {
  const target = Math.log(kk) / Math.log(2);
  const rhos = new Float64Array(rows),
    sigmas = new Float64Array(rows);
  let meanAll: number | undefined;
  for (let i = 0; i < rows; i++) {
    const o = i * kk;
    let lo = 0,
      hi = Infinity,
      mid = 1;
    // localConnectivity 1: rho = the first non-zero distance (index 1 - 1), no interpolation.
    let first = -1,
      nonZero = 0;
    for (let j = 0; j < kk; j++)
      if (dist[o + j] > 0) {
        if (first < 0) first = dist[o + j];
        nonZero++;
      }
    if (nonZero >= 1) rhos[i] = first;
    for (let n = 0; n < 64; n++) {
      let psum = 0;
      for (let j = 1; j < kk; j++) {
        const d = dist[o + j] - rhos[i];
        psum += d > 0 ? Math.exp(-(d / mid)) : 1.0;
      }
      if (Math.abs(psum - target) < SMOOTH_K_TOLERANCE) break;
      if (psum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Infinity ? mid * 2 : (lo + hi) / 2;
      }
    }
    sigmas[i] = mid;
    if (rhos[i] > 0) {
      const m = meanOf(dist, o, kk);
      if (sigmas[i] < MIN_K_DIST_SCALE * m) sigmas[i] = MIN_K_DIST_SCALE * m;
    } else {
      if (meanAll === undefined) {
        const means = new Float64Array(rows);
        for (let r = 0; r < rows; r++) means[r] = meanOf(dist, r * kk, kk);
        meanAll = meanOf(means, 0, rows);
      }
      if (sigmas[i] < MIN_K_DIST_SCALE * meanAll) sigmas[i] = MIN_K_DIST_SCALE * meanAll;
    }
  }
  return { sigmas, rhos };
}

/** Sorts the column range [from, to) of cols (with vals alongside) ascending; rows are short, insertion sort. */
function sortRow(cols: Int32Array, vals: Float64Array, from: number, to: number): void {
  for (let x = from + 1; x < to; x++) {
    const c = cols[x],
      v = vals[x];
    let y = x - 1;
    while (y >= from && cols[y] > c) {
      cols[y + 1] = cols[y];
      vals[y + 1] = vals[y];
      y--;
    }
    cols[y + 1] = c;
    vals[y + 1] = v;
  }
}

/**
 * The fuzzy graph A + A^T - A.A^T (set-op mix ratio 1) over the union of A's and A^T's entries, edges below
 * max / nEpochs dropped, edges in (row, col) order; the initial layout uniform in [-10, 10) from `random`, row by
 * row, as umap-js draws it; epochs per sample and a, b as umap-js computes them.
 */
export function layoutState(
  knn: PrecomputedKnn,
  rows: number,
  nEpochs: number,
  minDist: number,
  random: () => number,
): LayoutState {
  const kk = knn.k + 1;
  const dist = new Float64Array(rows * kk),
    col = new Int32Array(rows * kk);
  for (let r = 0; r < rows; r++) {
    col[r * kk] = r;
    for (let j = 0; j < knn.k; j++) {
      col[r * kk + j + 1] = knn.indices[r * knn.k + j];
      dist[r * kk + j + 1] = Math.max(0, 1 - knn.cosines[r * knn.k + j]);
    }
  }
  const { sigmas, rhos } = smoothKnnDistance(dist, rows, kk);
  // A (computeMembershipStrengths): self 0, within rho 1, else exp(-(d - rho) / sigma). Rows of A sorted by column.
  const aCol = new Int32Array(rows * kk),
    aVal = new Float64Array(rows * kk);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < kk; j++) {
      const c = col[i * kk + j],
        d = dist[i * kk + j];
      aCol[i * kk + j] = c;
      aVal[i * kk + j] = c === i ? 0 : d - rhos[i] <= 0 ? 1 : Math.exp(-((d - rhos[i]) / sigmas[i]));
    }
    sortRow(aCol, aVal, i * kk, (i + 1) * kk);
  }
  // A^T as CSR, rows sorted by column (filled in row order, so already sorted).
  const tStart = new Int32Array(rows + 1);
  for (let x = 0; x < aCol.length; x++) tStart[aCol[x] + 1]++;
  for (let r = 0; r < rows; r++) tStart[r + 1] += tStart[r];
  const tCol = new Int32Array(aCol.length),
    tVal = new Float64Array(aCol.length),
    fill = tStart.slice(0, rows);
  for (let i = 0; i < rows; i++)
    for (let x = i * kk; x < (i + 1) * kk; x++) {
      const c = aCol[x];
      tCol[fill[c]] = i;
      tVal[fill[c]++] = aVal[x];
    }
  // Merge each row of A and A^T: value (A_ij + A_ji) - A_ij * A_ji (times 1, plus the product times 0, as umap-js).
  const gRow = new Int32Array(2 * aCol.length),
    gCol = new Int32Array(2 * aCol.length),
    gVal = new Float64Array(2 * aCol.length);
  let g = 0,
    max = 0;
  for (let i = 0; i < rows; i++) {
    const xe = (i + 1) * kk,
      ye = tStart[i + 1];
    let x = i * kk,
      y = tStart[i];
    while (x < xe || y < ye) {
      const cx = x < xe ? aCol[x] : Infinity,
        cy = y < ye ? tCol[y] : Infinity;
      const c = Math.min(cx, cy);
      const a = cx === c ? aVal[x++] : 0,
        t = cy === c ? tVal[y++] : 0;
      const prod = a * t;
      const v = (a + t - prod) * 1.0 + prod * (1.0 - 1.0);
      gRow[g] = i;
      gCol[g] = c;
      gVal[g++] = v;
      if (max < v) max = v;
    }
  }
  // umap-js draws the initial layout before it reads the edges.
  const embedding = new Float64Array(rows * 2);
  for (let i = 0; i < rows * 2; i++) embedding[i] = random() * 20 + -10;
  const head: number[] = [],
    tail: number[] = [],
    weights: number[] = [];
  for (let e = 0; e < g; e++) {
    const v = gVal[e] < max / nEpochs ? 0 : gVal[e];
    if (v) {
      weights.push(v);
      tail.push(gRow[e]);
      head.push(gCol[e]);
    }
  }
  let wMax = 0;
  for (const w of weights) wMax = w > wMax ? w : wMax;
  const epochsPerSample = new Float64Array(weights.length).fill(-1);
  for (let e = 0; e < weights.length; e++) {
    const ns = (weights[e] / wMax) * nEpochs;
    if (ns > 0) epochsPerSample[e] = nEpochs / ns;
  }
  const { a, b } = findABParams(1.0, minDist);
  return {
    head: Int32Array.from(head),
    tail: Int32Array.from(tail),
    epochsPerSample,
    embedding,
    a,
    b,
    gamma: 1.0,
    initialAlpha: 1.0,
    negativeSampleRate: 5,
    nEpochs,
    nVertices: rows,
  };
}
