/** LogLoss and calibration (docs/metrics.md section 1). */
export const PROB_CLIP = 1e-7;

export function logloss(labels: ArrayLike<number>, probs: ArrayLike<number>, weights?: ArrayLike<number>): number {
  let sum = 0,
    total = 0;
  for (let i = 0; i < labels.length; i++) {
    const w = weights ? weights[i] : 1;
    if (w === 0) continue;
    const p = Math.min(1 - PROB_CLIP, Math.max(PROB_CLIP, probs[i]));
    sum -= w * (labels[i] ? Math.log(p) : Math.log(1 - p));
    total += w;
  }
  return sum / total;
}

/**
 * Each row's log-likelihood term (clipped as logloss clips). A bootstrap replicate's LogLoss is then a weighted
 * sum of these (weightedLogloss), bit-identical to logloss with the same weights, without a log per row per replicate.
 */
export function logTerms(
  labels: ArrayLike<number>,
  probs: ArrayLike<number>,
  out = new Float64Array(labels.length),
): Float64Array {
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - PROB_CLIP, Math.max(PROB_CLIP, probs[i]));
    out[i] = labels[i] ? Math.log(p) : Math.log(1 - p);
  }
  return out;
}

/** logloss from logTerms, row i weighted by mult[unit[i]] (unit: the row's group), or by mult[i] without units. */
export function weightedLogloss(terms: Float64Array, mult: ArrayLike<number>, unit?: ArrayLike<number>): number {
  let sum = 0,
    total = 0;
  for (let i = 0; i < terms.length; i++) {
    const w = unit ? mult[unit[i]] : mult[i];
    if (w === 0) continue;
    sum -= w * terms[i];
    total += w;
  }
  return sum / total;
}

export interface CalibrationBin {
  count: number;
  meanPrediction: number;
  observedRate: number;
}

export interface Calibration {
  meanPrediction: number;
  observedRate: number;
  /** meanPrediction / observedRate: 1 is calibrated on average, above 1 over-predicts. */
  ratio: number;
  /** Expected calibration error over equal-mass bins. */
  ece: number;
  bins: CalibrationBin[];
}

/** `order` sorts rows by probability ascending (the AUC's order serves: the link function is monotone). */
export function calibration(
  labels: ArrayLike<number>,
  probs: ArrayLike<number>,
  order: Uint32Array,
  binCount = 10,
): Calibration {
  const n = order.length;
  let sp = 0,
    sy = 0;
  for (let i = 0; i < n; i++) {
    sp += probs[i];
    sy += labels[i];
  }
  const bins: CalibrationBin[] = [];
  let ece = 0;
  const k = Math.min(binCount, n);
  for (let b = 0; b < k; b++) {
    const lo = Math.floor((b * n) / k),
      hi = Math.floor(((b + 1) * n) / k);
    let bp = 0,
      by = 0;
    for (let i = lo; i < hi; i++) {
      bp += probs[order[i]];
      by += labels[order[i]];
    }
    const count = hi - lo;
    if (count === 0) continue;
    bins.push({ count, meanPrediction: bp / count, observedRate: by / count });
    ece += (count / n) * Math.abs(bp / count - by / count);
  }
  return { meanPrediction: sp / n, observedRate: sy / n, ratio: sp / n / (sy / n), ece, bins };
}
