/**
 * k nearest neighbours by cosine in the original space, computed blockwise by the kNN ONNX graph on the
 * execution-provider chain (GPU when there is one). Self matches are dropped.
 */
import type { ProviderName } from '../config/types';
import { InFlight } from '../model/inFlight';
import { RemoteSession } from '../model/remoteSession';
import { JobControl, report, throwIfCancelled } from '../progress';
import { availableParallelism } from 'os';
import { buildKnnModel, normaliseRows } from './knnGraph';

export interface Knn {
  k: number;
  indices: Uint32Array;
  cosines: Float32Array;
  provider: string;
  fallbacks: { provider: string; reason: string }[];
}

/**
 * Intra-op threads for the kNN graph: the configured `runtime.threads`, else every core. The graph is one large
 * MatMul with nothing else to overlap it with, and onnxruntime's own default ran a single thread on a 2-vCPU VM
 * (CPU seconds = wall seconds), so the default is stated here rather than left to onnxruntime.
 */
export function knnThreads(configured: number): number {
  return configured > 0 ? configured : availableParallelism();
}

export async function knn(
  vectors: Float32Array,
  rows: number,
  dim: number,
  k: number,
  providers: ProviderName[],
  control?: JobControl,
  block = 1024,
  threads = knnThreads(0),
): Promise<Knn> {
  const kk = Math.min(k + 1, rows);
  const unit = normaliseRows(vectors, dim);
  const rs = await RemoteSession.open(buildKnnModel(unit, rows, dim, kk), providers, threads, 'cosine');
  const k1 = kk - 1;
  const indices = new Uint32Array(rows * k1),
    cosines = new Float32Array(rows * k1);
  try {
    const flight = new InFlight();
    for (let start = 0; start < rows; start += block) {
      throwIfCancelled(control);
      const end = Math.min(rows, start + block);
      const query = unit.slice(start * dim, end * dim);
      await flight.push(
        rs
          .runOutputs([{ name: 'query', dtype: 'float32', dims: [end - start, dim], data: query }], ['cosine', 'index'])
          .then((out) => {
            const cos = out.cosine.data as Float32Array,
              idx = out.index.data as BigInt64Array;
            for (let r = start; r < end; r++) {
              let o = 0;
              for (let j = 0; j < kk && o < k1; j++) {
                const n = Number(idx[(r - start) * kk + j]);
                if (n === r) continue; // self (ties may put it anywhere in the list)
                indices[r * k1 + o] = n;
                cosines[r * k1 + o] = cos[(r - start) * kk + j];
                o++;
              }
            }
            report(control, { phase: 'neighbours', done: end, total: rows });
          }),
      );
    }
    await flight.drain();
  } finally {
    await rs.close();
  }
  return { k: k1, indices, cosines, provider: rs.provider, fallbacks: rs.fallbacks };
}

/** Plain O(n^2 d) reference, for tests. */
export function bruteForceKnn(
  vectors: Float32Array,
  rows: number,
  dim: number,
  k: number,
): { indices: Uint32Array; cosines: Float32Array } {
  const unit = normaliseRows(vectors, dim);
  const indices = new Uint32Array(rows * k),
    cosines = new Float32Array(rows * k);
  for (let r = 0; r < rows; r++) {
    const sims: [number, number][] = [];
    for (let j = 0; j < rows; j++) {
      if (j === r) continue;
      let s = 0;
      for (let t = 0; t < dim; t++) s += unit[r * dim + t] * unit[j * dim + t];
      sims.push([s, j]);
    }
    sims.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    for (let j = 0; j < k; j++) {
      indices[r * k + j] = sims[j][1];
      cosines[r * k + j] = sims[j][0];
    }
  }
  return { indices, cosines };
}
