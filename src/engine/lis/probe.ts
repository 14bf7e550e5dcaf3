/**
 * The "retrained ranker" of docs/metrics.md 3b: a logistic regression on standardised features, fitted by Newton's
 * method with a backtracking line search (so near-separable leaky features cannot make it diverge). Small and
 * central, so written by hand; test/lisReference.test.ts checks it against scikit-learn's LogisticRegression.
 *
 * Objective (minimised): sum over fitted rows of the log loss + (penalty * m / 2) * sum_j w_j^2 over the feature
 * weights (not the intercept), on features standardised with the fitted rows' mean and population sd; m = fitted
 * rows. In scikit-learn terms: LogisticRegression(C = 1 / (penalty * m)) on the same standardised features.
 */
export interface ProbeModel {
  weights: Float64Array; // bias first
  means: Float64Array;
  sds: Float64Array;
  iterations: number;
}

/** The default penalty: weak enough to leave the fit unchanged to ~1e-6, strong enough to keep separable data finite. */
export const PROBE_PENALTY = 1e-6;

/** Fits on rows where `fit[r]` is non-zero. X is row-major n x p. */
export function fitProbe(
  X: Float64Array,
  p: number,
  y: Uint8Array,
  fit: Uint8Array,
  penalty = PROBE_PENALTY,
  maxIterations = 100,
): ProbeModel {
  const n = y.length;
  const means = new Float64Array(p),
    sds = new Float64Array(p);
  let m = 0;
  for (let r = 0; r < n; r++)
    if (fit[r]) {
      m++;
      for (let j = 0; j < p; j++) means[j] += X[r * p + j];
    }
  for (let j = 0; j < p; j++) means[j] /= Math.max(1, m);
  for (let r = 0; r < n; r++) if (fit[r]) for (let j = 0; j < p; j++) sds[j] += (X[r * p + j] - means[j]) ** 2;
  for (let j = 0; j < p; j++) sds[j] = Math.sqrt(sds[j] / Math.max(1, m)) || 1;
  const q = p + 1;
  const lambda = penalty * m;
  const w = new Float64Array(q);
  const z = new Float64Array(q);
  const row = (r: number) => {
    z[0] = 1;
    for (let j = 0; j < p; j++) z[j + 1] = (X[r * p + j] - means[j]) / sds[j];
  };
  // Penalised negative log likelihood at weights v (log(1 + e^eta) computed without overflow).
  const objective = (v: Float64Array) => {
    let f = 0;
    for (let r = 0; r < n; r++) {
      if (!fit[r]) continue;
      row(r);
      let eta = 0;
      for (let j = 0; j < q; j++) eta += v[j] * z[j];
      f += (eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta))) - (y[r] ? eta : 0);
    }
    for (let j = 1; j < q; j++) f += 0.5 * lambda * v[j] * v[j];
    return f;
  };
  let f = objective(w);
  let it = 0;
  const trial = new Float64Array(q);
  for (; it < maxIterations; it++) {
    const grad = new Float64Array(q);
    const hess = new Float64Array(q * q);
    for (let r = 0; r < n; r++) {
      if (!fit[r]) continue;
      row(r);
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
      if (j > 0) {
        grad[j] += lambda * w[j];
        hess[j * q + j] += lambda;
      }
      hess[j * q + j] += 1e-12 * m;
    }
    const step = solve(hess, grad, q);
    let slope = 0;
    for (let j = 0; j < q; j++) slope += grad[j] * step[j];
    // Backtracking (Armijo): halve the Newton step until the objective falls enough.
    let t = 1,
      fNew = f;
    for (let halvings = 0; halvings < 40; halvings++, t /= 2) {
      for (let j = 0; j < q; j++) trial[j] = w[j] - t * step[j];
      fNew = objective(trial);
      if (fNew <= f - 1e-4 * t * slope) break;
    }
    if (!(fNew <= f)) break; // no descent left: at the optimum to machine precision
    let change = 0;
    for (let j = 0; j < q; j++) {
      change = Math.max(change, Math.abs(trial[j] - w[j]));
      w[j] = trial[j];
    }
    const drop = f - fNew;
    f = fNew;
    if (change < 1e-10 || drop <= 1e-15 * Math.max(1, Math.abs(f))) {
      it++;
      break;
    }
  }
  return { weights: w, means, sds, iterations: it };
}

/** The probe's logit for rows where `rows` is undefined (all) or rows[r] is non-zero; others are left at 0. */
export function probeScores(
  model: ProbeModel,
  X: Float64Array,
  p: number,
  into?: Float32Array,
  rows?: Uint8Array,
): Float32Array {
  const n = X.length / p;
  const out = into ?? new Float32Array(n);
  for (let r = 0; r < n; r++) {
    if (rows && !rows[r]) continue;
    let eta = model.weights[0];
    for (let j = 0; j < p; j++) eta += (model.weights[j + 1] * (X[r * p + j] - model.means[j])) / model.sds[j];
    out[r] = eta;
  }
  return out;
}

/** Solves A x = b for a small symmetric positive-definite A (Gaussian elimination with partial pivoting). */
function solve(A: Float64Array, b: Float64Array, q: number): Float64Array {
  const M = Float64Array.from(A),
    x = Float64Array.from(b);
  for (let c = 0; c < q; c++) {
    let piv = c;
    for (let r = c + 1; r < q; r++) if (Math.abs(M[r * q + c]) > Math.abs(M[piv * q + c])) piv = r;
    if (piv !== c) {
      for (let k = 0; k < q; k++) {
        const t = M[c * q + k];
        M[c * q + k] = M[piv * q + k];
        M[piv * q + k] = t;
      }
      const t = x[c];
      x[c] = x[piv];
      x[piv] = t;
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
