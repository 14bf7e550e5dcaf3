/** Exact PCA: covariance (d x d) then a cyclic Jacobi eigen-decomposition; small and central, written by hand. */
export interface PcaResult {
  /** rows x components, row-major. */
  coords: Float32Array;
  components: number;
  /** Share of total variance of each of the top components (up to 10 reported). */
  explainedVariance: number[];
  /** Principal axes (components x dim), unit length. */
  axes: Float64Array;
}

/** Eigenvalues (descending) and eigenvectors (columns of V, matching order) of a symmetric d x d matrix. */
export function symmetricEigen(
  A: Float64Array,
  d: number,
  sweeps = 100,
): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(A);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < sweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1),
          s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p],
            akq = a[k * d + q];
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k],
            aqk = a[q * d + k];
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p],
            vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => a[j * d + j] - a[i * d + i]);
  const values = Float64Array.from(order, (i) => a[i * d + i]);
  const vectors = new Float64Array(d * d);
  order.forEach((src, dst) => {
    for (let k = 0; k < d; k++) vectors[k * d + dst] = v[k * d + src];
  });
  return { values, vectors };
}

export function pca(x: Float32Array, rows: number, dim: number, components = 2): PcaResult {
  const mean = new Float64Array(dim);
  for (let r = 0; r < rows; r++) for (let k = 0; k < dim; k++) mean[k] += x[r * dim + k];
  for (let k = 0; k < dim; k++) mean[k] /= rows;
  // Upper triangle of X_c^T X_c, one centred row at a time (cache-friendly, no n x d copy).
  const cov = new Float64Array(dim * dim);
  const c = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < dim; k++) c[k] = x[r * dim + k] - mean[k];
    for (let i = 0; i < dim; i++) {
      const ci = c[i];
      if (ci === 0) continue;
      const base = i * dim;
      for (let j = i; j < dim; j++) cov[base + j] += ci * c[j];
    }
  }
  for (let i = 0; i < dim; i++)
    for (let j = i; j < dim; j++) {
      cov[i * dim + j] /= Math.max(1, rows - 1);
      cov[j * dim + i] = cov[i * dim + j];
    }
  const { values, vectors } = symmetricEigen(cov, dim);
  const total = values.reduce((s, v) => s + Math.max(0, v), 0) || 1;
  const m = Math.min(components, dim);
  const axes = new Float64Array(m * dim);
  for (let p = 0; p < m; p++) {
    // Sign convention: the largest-magnitude loading is positive, so results do not flip between runs.
    let big = 0;
    for (let k = 0; k < dim; k++) if (Math.abs(vectors[k * dim + p]) > Math.abs(big)) big = vectors[k * dim + p];
    const sign = big < 0 ? -1 : 1;
    for (let k = 0; k < dim; k++) axes[p * dim + k] = sign * vectors[k * dim + p];
  }
  const coords = new Float32Array(rows * m);
  for (let r = 0; r < rows; r++) {
    for (let p = 0; p < m; p++) {
      let s = 0;
      for (let k = 0; k < dim; k++) s += (x[r * dim + k] - mean[k]) * axes[p * dim + k];
      coords[r * m + p] = s;
    }
  }
  return {
    coords,
    components: m,
    explainedVariance: Array.from(values.slice(0, Math.min(10, dim)), (v) => Math.max(0, v) / total),
    axes,
  };
}
