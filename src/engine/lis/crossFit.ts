/**
 * Cross-fitted probes (docs/metrics.md 3b): users split into F folds, S times with seeded splits; each fold's rows
 * are scored by a probe fitted on the other folds, so every row is scored once out of fold per split. Returns the
 * AUC of every probe on every split and paired bootstrap replicates pooled over the splits: replicate b uses split
 * b mod S and one draw of users, shared by the baseline and every variant, so differences and ratios are paired.
 * Pure and synchronous: it runs in the compute worker (compute/worker.ts).
 */
import { argsortFloat32 } from '../metrics/argsort';
import { aucFromOrder } from '../metrics/auc';
import { drawMultiplicities } from '../metrics/bootstrap';
import { permutation, seededRandom } from '../util/random';
import { fitProbe, PROBE_PENALTY } from './probe';

export interface CrossFitInput {
  labels: Uint8Array;
  /** Dense user index per row (0..groupCount-1, numbered in order of first appearance). */
  groups: Int32Array;
  groupCount: number;
  /** logit M(x_r) per row. */
  base: Float64Array;
  /** Each variant's extra features, row-major n x 2 (phi_P or phi_T). */
  extras: Float64Array[];
  folds: number;
  splits: number;
  seed: number;
  /** Pooled bootstrap replicates (over all splits together). */
  bootstrap: number;
  /** Also fit the richer probe (pairwise products of the features and the logit) on the same folds. */
  richer: boolean;
  penalty?: number;
  /** Only these splits (a worker's share in crossFitPool); the other splits' entries are left NaN. Default all. */
  only?: number[];
}

export interface ProbeFamily {
  /** AUC of the baseline probe (logit only) per split. */
  baselineAucs: number[];
  /** [variant][split] AUC of the probe with the variant's features. */
  variantAucs: number[][];
  /** [variant] pooled replicate AUC gains (variant minus baseline), `bootstrap` values. */
  replicates: Float64Array[];
}

export interface CrossFitOutput {
  logistic: ProbeFamily;
  richer?: ProbeFamily;
}

/** The seed of split s: documented in docs/metrics.md so the Python reference can reproduce the folds. */
export function splitSeed(seed: number, split: number): number {
  return (((seed | 0) ^ 0x5eed) + 7919 * split) | 0;
}

/** Fold (0..F-1) of every user on split s: a seeded permutation of users dealt round-robin into F folds. */
export function userFolds(groupCount: number, folds: number, seed: number, split: number): Uint8Array {
  const perm = permutation(groupCount, seededRandom(splitSeed(seed, split)));
  const fold = new Uint8Array(groupCount);
  for (let k = 0; k < groupCount; k++) fold[perm[k]] = k % folds;
  return fold;
}

/** Columns [logit, extras...] and, for the richer probe, their pairwise products (squares included) appended. */
export function probeDesign(
  base: Float64Array,
  extra: Float64Array | undefined,
  richer: boolean,
): { X: Float64Array; p: number } {
  const n = base.length;
  const k = extra ? 3 : 1;
  const p = richer ? k + (k * (k + 1)) / 2 : k;
  const X = new Float64Array(n * p);
  const v = new Float64Array(k);
  for (let r = 0; r < n; r++) {
    v[0] = base[r];
    if (extra) {
      v[1] = extra[2 * r];
      v[2] = extra[2 * r + 1];
    }
    let c = r * p;
    for (let j = 0; j < k; j++) X[c++] = v[j];
    if (richer) for (let a = 0; a < k; a++) for (let b = a; b < k; b++) X[c++] = v[a] * v[b];
  }
  return { X, p };
}

/** Out-of-fold probe logits for one split: each fold scored by the probe fitted on the others. */
export function outOfFoldScores(
  X: Float64Array,
  p: number,
  labels: Uint8Array,
  rowFold: Uint8Array,
  folds: number,
  penalty: number,
): Float32Array {
  const n = labels.length;
  const out = new Float32Array(n);
  const fit = new Uint8Array(n);
  for (let f = 0; f < folds; f++) {
    for (let r = 0; r < n; r++) fit[r] = rowFold[r] === f ? 0 : 1;
    const model = fitProbe(X, p, labels, fit, penalty);
    for (let r = 0; r < n; r++) {
      if (fit[r]) continue;
      let eta = model.weights[0];
      for (let j = 0; j < p; j++) eta += (model.weights[j + 1] * (X[r * p + j] - model.means[j])) / model.sds[j];
      out[r] = eta;
    }
  }
  return out;
}

export function crossFit(input: CrossFitInput): CrossFitOutput {
  const { labels, groups, groupCount, folds, splits, bootstrap } = input;
  const n = labels.length;
  const penalty = input.penalty ?? PROBE_PENALTY;
  const kinds = input.richer ? [false, true] : [false];
  const families: ProbeFamily[] = kinds.map(() => ({
    baselineAucs: new Array<number>(splits).fill(NaN),
    variantAucs: input.extras.map(() => new Array<number>(splits).fill(NaN)),
    replicates: input.extras.map(() => new Float64Array(bootstrap).fill(NaN)),
  }));
  const rowFold = new Uint8Array(n);
  const mult = new Float64Array(groupCount);
  const weights = new Float64Array(n);
  for (const s of input.only ?? Array.from({ length: splits }, (_, k) => k)) {
    const fold = userFolds(groupCount, folds, input.seed, s);
    for (let r = 0; r < n; r++) rowFold[r] = fold[groups[r]];
    kinds.forEach((richer, k) => {
      // One design matrix at a time (built again per split: cheap), so memory stays a few arrays of n.
      const scored = [undefined, ...input.extras].map((extra) => {
        const { X, p } = probeDesign(input.base, extra, richer);
        const scores = outOfFoldScores(X, p, labels, rowFold, folds, penalty);
        return { scores, order: argsortFloat32(scores) };
      });
      const aucs = scored.map((x) => aucFromOrder(x.order, x.scores, labels));
      families[k].baselineAucs[s] = aucs[0];
      input.extras.forEach((_, v) => {
        families[k].variantAucs[v][s] = aucs[v + 1];
      });
      // This split's share of the pooled replicates: b = s, s + S, s + 2S, ...; the same user draws for both probe kinds.
      const rng = seededRandom(splitSeed(input.seed, s) ^ 0x0b00);
      for (let b = s; b < bootstrap; b += splits) {
        drawMultiplicities(groupCount, rng, mult);
        for (let r = 0; r < n; r++) weights[r] = mult[groups[r]];
        const base = aucFromOrder(scored[0].order, scored[0].scores, labels, weights);
        for (let v = 0; v < input.extras.length; v++)
          families[k].replicates[v][b] =
            aucFromOrder(scored[v + 1].order, scored[v + 1].scores, labels, weights) - base;
      }
    });
  }
  return input.richer ? { logistic: families[0], richer: families[1] } : { logistic: families[0] };
}

/** Puts the shares of a cross-fit run split by split (`only`) back together: split s and replicates b = s mod S. */
export function mergeCrossFit(parts: { only: number[]; out: CrossFitOutput }[], splits: number): CrossFitOutput {
  const merge = (pick: (o: CrossFitOutput) => ProbeFamily | undefined): ProbeFamily | undefined => {
    const first = pick(parts[0].out);
    if (!first) return undefined;
    const fam: ProbeFamily = {
      baselineAucs: [...first.baselineAucs],
      variantAucs: first.variantAucs.map((x) => [...x]),
      replicates: first.replicates.map((x) => Float64Array.from(x)),
    };
    for (const { only, out } of parts.slice(1)) {
      const f = pick(out)!;
      for (const s of only) {
        fam.baselineAucs[s] = f.baselineAucs[s];
        f.variantAucs.forEach((a, v) => {
          fam.variantAucs[v][s] = a[s];
        });
        f.replicates.forEach((r, v) => {
          for (let b = s; b < r.length; b += splits) fam.replicates[v][b] = r[b];
        });
      }
    }
    return fam;
  };
  const logistic = merge((o) => o.logistic)!,
    richer = merge((o) => o.richer);
  return richer ? { logistic, richer } : { logistic };
}
