/**
 * The "retrained ranker" of metrics.md 3b: a logistic regression on [logit M(x_r), phi(r)], fitted by Newton's
 * method (IRLS) on one half of the users and scored on the other. Small and central, so written by hand.
 */
export interface ProbeModel {
  weights: Float64Array; // bias first
  means: Float64Array;
  sds: Float64Array;
}

/** Fits on rows where `fit[r]` is true. X is row-major n x p. A small L2 keeps separable data finite. */
export function fitProbe(X: Float64Array, p: number, y: Uint8Array, fit: Uint8Array, l2 = 1e-4, iterations = 50): ProbeModel {
  const n = y.length;
  const means = new Float64Array(p), sds = new Float64Array(p);
  let m = 0;
  for (let r = 0; r < n; r++) if (fit[r]) { m++; for (let j = 0; j < p; j++) means[j] += X[r * p + j]; }
  for (let j = 0; j < p; j++) means[j] /= Math.max(1, m);
  for (let r = 0; r < n; r++) if (fit[r]) for (let j = 0; j < p; j++) sds[j] += (X[r * p + j] - means[j]) ** 2;
  for (let j = 0; j < p; j++) sds[j] = Math.sqrt(sds[j] / Math.max(1, m)) || 1;
  const q = p + 1;
  const w = new Float64Array(q);
  const z = new Float64Array(q);
  for (let it = 0; it < iterations; it++) {
    const grad = new Float64Array(q);
    const hess = new Float64Array(q * q);
    for (let r = 0; r < n; r++) {
      if (!fit[r]) continue;
      z[0] = 1;
      for (let j = 0; j < p; j++) z[j + 1] = (X[r * p + j] - means[j]) / sds[j];
      let eta = 0;
      for (let j = 0; j < q; j++) eta += w[j] * z[j];
      const mu = 1 / (1 + Math.exp(-eta));
      const s = mu * (1 - mu);
      for (let j = 0; j < q; j++) {
        grad[j] += (mu - y[r]) * z[j];
        for (let k = 0; k <= j; k++) hess[j * q + k] += s * z[j] * z[k];
      }
    }
    for (let j = 0; j < q; j++) {
      for (let k = 0; k < j; k++) hess[k * q + j] = hess[j * q + k];
      if (j > 0) { grad[j] += l2 * m * w[j]; hess[j * q + j] += l2 * m; }
      hess[j * q + j] += 1e-9;
    }
    const step = solve(hess, grad, q);
    let change = 0;
    for (let j = 0; j < q; j++) { w[j] -= step[j]; change = Math.max(change, Math.abs(step[j])); }
    if (change < 1e-8) break;
  }
  return { weights: w, means, sds };
}

export function probeScores(model: ProbeModel, X: Float64Array, p: number): Float32Array {
  const n = X.length / p;
  const out = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    let eta = model.weights[0];
    for (let j = 0; j < p; j++) eta += model.weights[j + 1] * (X[r * p + j] - model.means[j]) / model.sds[j];
    out[r] = eta;
  }
  return out;
}

/** Solves A x = b for a small symmetric positive-definite A (Gaussian elimination with partial pivoting). */
function solve(A: Float64Array, b: Float64Array, q: number): Float64Array {
  const M = Float64Array.from(A), x = Float64Array.from(b);
  for (let c = 0; c < q; c++) {
    let piv = c;
    for (let r = c + 1; r < q; r++) if (Math.abs(M[r * q + c]) > Math.abs(M[piv * q + c])) piv = r;
    if (piv !== c) {
      for (let k = 0; k < q; k++) { const t = M[c * q + k]; M[c * q + k] = M[piv * q + k]; M[piv * q + k] = t; }
      const t = x[c]; x[c] = x[piv]; x[piv] = t;
    }
    for (let r = c + 1; r < q; r++) {
      const f = M[r * q + c] / M[c * q + c];
      for (let k = c; k < q; k++) M[r * q + k] -= f * M[c * q + k];
      x[r] -= f * x[c];
    }
  }
  for (let c = q - 1; c >= 0; c--) {
    let s = x[c];
    for (let k = c + 1; k < q; k++) s -= M[c * q + k] * x[k];
    x[c] = s / M[c * q + c];
  }
  return x;
}
