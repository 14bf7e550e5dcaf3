/**
 * ROC and precision-recall curves and score histograms by label, for the Run panel and the eval report. The curves
 * have one point per distinct score threshold (as sklearn's roc_curve / precision_recall_curve with
 * drop_intermediate=False), thinned to at most `maxPoints` for drawing; ties move both rates at once.
 */
import { warmArray } from '../compute/warmMemory';
import { argsortFloat32 } from './argsort';

export interface Curves {
  /** False- and true-positive rates, from (0, 0) to (1, 1). */
  roc: { fpr: number[]; tpr: number[] };
  /** Recall ascending from the highest threshold; precision at each; average precision as sklearn defines it. */
  pr: { recall: number[]; precision: number[]; averagePrecision: number };
  /** Counts of positive and negative rows per equal-width bin of the score over [lo, hi]. */
  histogram: { lo: number; hi: number; positives: number[]; negatives: number[] };
}

/** Keeps the first, the last and evenly spaced points in between (the curve's shape at drawing resolution). */
function thin(n: number, maxPoints: number): number[] {
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  const keep = new Set<number>([0, n - 1]);
  for (let k = 1; k < maxPoints - 1; k++) keep.add(Math.round((k * (n - 1)) / (maxPoints - 1)));
  return [...keep].sort((a, b) => a - b);
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

export function computeCurves(
  labels: ArrayLike<number>,
  scores: Float32Array,
  opts: {
    maxPoints?: number;
    bins?: number;
    range?: [number, number];
    histogramOf?: Float32Array;
    /** The scores' stable ascending order when the caller already sorted them (no second sort). */
    order?: Uint32Array;
  } = {},
): Curves {
  const maxPoints = opts.maxPoints ?? 201;
  const order = opts.order ?? argsortFloat32(scores); // ascending; walked from the top score down
  const n = order.length;
  let P = 0;
  for (let i = 0; i < n; i++) P += labels[i] ? 1 : 0;
  const N = n - P;
  // Cumulative counts at each distinct threshold, in typed arrays: the rates are computed for the kept points only
  // (four growing number arrays of up to n points were most of the eval's metrics tail at 1M rows).
  const tpAt = warmArray(Int32Array, n),
    fpAt = warmArray(Int32Array, n);
  let m = 0;
  let tp = 0,
    fp = 0,
    ap = 0,
    prevRecall = 0;
  let i = n - 1;
  while (i >= 0) {
    const s = scores[order[i]];
    while (i >= 0 && scores[order[i]] === s) {
      if (labels[order[i]]) tp++;
      else fp++;
      i--;
    }
    tpAt[m] = tp;
    fpAt[m++] = fp;
    const r = P ? tp / P : 0,
      p = tp / (tp + fp);
    ap += (r - prevRecall) * p; // sklearn: AP = sum (R_k - R_{k-1}) P_k
    prevRecall = r;
  }
  // ROC point k is (0, 0) for k = 0, else threshold k - 1; PR point k is threshold k.
  const fprAt = (k: number) => (k === 0 || !N ? 0 : fpAt[k - 1] / N),
    tprAt = (k: number) => (k === 0 || !P ? 0 : tpAt[k - 1] / P);
  const rocKeep = thin(m + 1, maxPoints),
    prKeep = thin(m, maxPoints);
  // Histogram over the scores' range (probabilities: [0, 1]); of `histogramOf` (the probabilities) when given.
  const h = opts.histogramOf ?? scores;
  const bins = opts.bins ?? 20;
  let lo = opts.range?.[0] ?? Infinity,
    hi = opts.range?.[1] ?? -Infinity;
  if (!opts.range)
    for (let k = 0; k < n; k++) {
      const s = h[k];
      if (s < lo) lo = s;
      if (s > hi) hi = s;
    }
  if (!(hi > lo)) hi = lo + 1;
  const positives = new Array<number>(bins).fill(0),
    negatives = new Array<number>(bins).fill(0);
  for (let k = 0; k < n; k++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(((h[k] - lo) / (hi - lo)) * bins)));
    if (labels[k]) positives[b]++;
    else negatives[b]++;
  }
  return {
    roc: { fpr: rocKeep.map((k) => round6(fprAt(k))), tpr: rocKeep.map((k) => round6(tprAt(k))) },
    pr: {
      recall: prKeep.map((k) => round6(P ? tpAt[k] / P : 0)),
      precision: prKeep.map((k) => round6(tpAt[k] / (tpAt[k] + fpAt[k]))),
      averagePrecision: ap,
    },
    histogram: { lo, hi, positives, negatives },
  };
}
