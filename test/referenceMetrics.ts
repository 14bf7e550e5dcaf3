/**
 * The straightforward metric algorithms the optimised engine replaced (comparator argsort, AUC through the order
 * with per-row weights, a full LogLoss per replicate, all variants held at once). Tests check that the engine's
 * numbers are identical to these, bit for bit, for the same seed.
 */
import { aucFromOrder, gaucFromGroups, type GroupAucs } from '../src/engine/metrics/auc';
import { drawMultiplicities, percentileInterval } from '../src/engine/metrics/bootstrap';
import { calibration, logloss, PROB_CLIP } from '../src/engine/metrics/loss';
import type { PairedInput, Scoring } from '../src/engine/metrics/paired';
import type { SliceMetricsInput } from '../src/engine/slices/sliceMetrics';
import { seededRandom } from '../src/engine/util/random';

/** Per-group AUCs through the order (the engine's groupAucs before it gathered each group's rows). */
export function referenceGroupAucs(
  order: Uint32Array,
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  groups: Int32Array,
  groupCount: number,
): GroupAucs {
  const n = order.length;
  const sizes = new Float64Array(groupCount);
  for (let i = 0; i < n; i++) sizes[groups[i]]++;
  const offsets = new Uint32Array(groupCount + 1);
  for (let g = 0; g < groupCount; g++) offsets[g + 1] = offsets[g] + sizes[g];
  const cursor = offsets.slice(0, groupCount);
  const inGroups = new Uint32Array(n);
  for (let i = 0; i < n; i++) inGroups[cursor[groups[order[i]]]++] = order[i];
  const aucs = new Float64Array(groupCount);
  let used = 0,
    skipped = 0;
  for (let g = 0; g < groupCount; g++) {
    aucs[g] = sizes[g] ? aucFromOrder(inGroups.subarray(offsets[g], offsets[g + 1]), scores, labels) : NaN;
    if (sizes[g] === 0) continue;
    if (Number.isNaN(aucs[g])) skipped++;
    else used++;
  }
  return { aucs, sizes, used, skipped };
}

/** Stable ascending argsort with a comparator (float32 values; -0 before +0 as the bit-pattern radix sort does). */
export function referenceArgsort(scores: Float32Array): Uint32Array {
  const idx = Array.from({ length: scores.length }, (_, i) => i);
  const notNegZero = (x: number) => (Object.is(x, -0) ? 0 : 1);
  idx.sort((a, b) => {
    const x = scores[a],
      y = scores[b];
    if (x < y) return -1;
    if (x > y) return 1;
    return notNegZero(x) - notNegZero(y) || a - b;
  });
  return Uint32Array.from(idx);
}

export function referenceBootstrap(
  labels: Uint8Array,
  scores: Float32Array,
  probs: Float32Array,
  groups: Int32Array | undefined,
  groupCount: number,
  B: number,
  seed: number,
) {
  const order = referenceArgsort(scores);
  const ga = groups ? referenceGroupAucs(order, scores, labels, groups, groupCount) : undefined;
  const n = labels.length;
  const rng = seededRandom(seed);
  const units = ga ? ga.sizes.length : n;
  const mult = new Float64Array(units);
  const rowWeights = ga ? new Float64Array(n) : mult;
  const aucs: number[] = [],
    gaucs: number[] = [],
    losses: number[] = [];
  for (let b = 0; b < B; b++) {
    drawMultiplicities(units, rng, mult);
    if (ga) for (let i = 0; i < n; i++) rowWeights[i] = mult[groups![i]];
    aucs.push(aucFromOrder(order, scores, labels, rowWeights));
    losses.push(logloss(labels, probs, rowWeights));
    if (ga) gaucs.push(gaucFromGroups(ga, mult));
  }
  return {
    auc: aucFromOrder(order, scores, labels),
    ci: {
      auc: percentileInterval(aucs),
      gauc: ga ? percentileInterval(gaucs) : null,
      logloss: percentileInterval(losses),
    },
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The paired-bootstrap deltas, replicate by replicate over every variant held in memory. */
export function referencePaired(input: PairedInput) {
  const { labels, groups, groupCount } = input;
  const prep = (s: Scoring) => {
    const order = referenceArgsort(s.scores);
    return { order, ga: groups ? referenceGroupAucs(order, s.scores, labels, groups, groupCount) : undefined, s };
  };
  type P = ReturnType<typeof prep>;
  const point = (p: P, w?: Float64Array, mult?: Float64Array) => ({
    auc: aucFromOrder(p.order, p.s.scores, labels, w),
    gauc: p.ga ? gaucFromGroups(p.ga, mult) : NaN,
    logloss: logloss(labels, p.s.probs, w),
  });
  const summary = (pts: { auc: number; gauc: number; logloss: number }[]) => ({
    auc: mean(pts.map((p) => p.auc)),
    gauc: mean(pts.map((p) => p.gauc)),
    logloss: mean(pts.map((p) => p.logloss)),
  });
  const base = prep(input.base);
  const variants = input.variants.map((reps) => reps.map(prep));
  const bp0 = point(base);
  const out = variants.map((reps) => {
    const m = summary(reps.map((p) => point(p)));
    return {
      auc: m.auc,
      deltaAuc: bp0.auc - m.auc,
      deltaGauc: bp0.gauc - m.gauc,
      deltaLogloss: m.logloss - bp0.logloss,
      ci: undefined as
        undefined | { deltaAuc: [number, number]; deltaGauc: [number, number] | null; deltaLogloss: [number, number] },
    };
  });
  const B = input.bootstrap;
  if (B > 0) {
    const rng = seededRandom(input.seed);
    const n = labels.length;
    const units = groups ? groupCount : n;
    const mult = new Float64Array(units);
    const w = groups ? new Float64Array(n) : mult;
    const deltas = variants.map(() => ({ auc: [] as number[], gauc: [] as number[], logloss: [] as number[] }));
    for (let b = 0; b < B; b++) {
      drawMultiplicities(units, rng, mult);
      if (groups) for (let i = 0; i < n; i++) w[i] = mult[groups[i]];
      const bp = point(base, w, mult);
      variants.forEach((reps, v) => {
        const m = summary(reps.map((p) => point(p, w, mult)));
        deltas[v].auc.push(bp.auc - m.auc);
        deltas[v].gauc.push(bp.gauc - m.gauc);
        deltas[v].logloss.push(m.logloss - bp.logloss);
      });
    }
    deltas.forEach((d, v) => {
      out[v].ci = {
        deltaAuc: percentileInterval(d.auc),
        deltaGauc: groups ? percentileInterval(d.gauc) : null,
        deltaLogloss: percentileInterval(d.logloss),
      };
    });
  }
  return out;
}

/**
 * Slice metrics as the engine computed them before one sort served every slice: each slice's rows copied out and
 * sorted on their own, AUC through the order with per-row weights, and a full LogLoss per slice per replicate.
 */
export function referenceSliceMetrics(input: SliceMetricsInput) {
  const n = input.labels.length;
  const part = (index: Uint32Array) => {
    const labels = Uint8Array.from(index, (r) => input.labels[r]);
    const scores = Float32Array.from(index, (r) => input.scores[r]);
    const probs = Float32Array.from(index, (r) => input.probs[r]);
    const groups = input.groups ? Int32Array.from(index, (r) => input.groups![r]) : undefined;
    const order = referenceArgsort(scores);
    const ga = groups ? referenceGroupAucs(order, scores, labels, groups, input.groupCount) : undefined;
    return { index, labels, scores, probs, groups, order, ga };
  };
  const nullIfNaN = (x: number) => (Number.isNaN(x) ? null : x);
  const whole = part(Uint32Array.from({ length: n }, (_, i) => i));
  const wholePoint = {
    rows: n,
    auc: aucFromOrder(whole.order, whole.scores, whole.labels),
    gauc: whole.ga ? nullIfNaN(gaucFromGroups(whole.ga)) : null,
    logloss: logloss(whole.labels, whole.probs),
    calibration: calibration(whole.labels, whole.probs, whole.order),
  };
  const parts = input.slices.map((s) => {
    const idx: number[] = [];
    for (let r = 0; r < n; r++) if (s.rows[r]) idx.push(r);
    return part(Uint32Array.from(idx));
  });
  const rows = parts.map((p) => {
    let positives = 0;
    for (let i = 0; i < p.labels.length; i++) positives += p.labels[i];
    const a = p.labels.length ? nullIfNaN(aucFromOrder(p.order, p.scores, p.labels)) : null;
    const g = p.ga ? nullIfNaN(gaucFromGroups(p.ga)) : null;
    const ll = p.labels.length ? logloss(p.labels, p.probs) : NaN;
    return {
      rows: p.labels.length,
      positives,
      auc: a,
      gauc: g,
      logloss: ll,
      calibration: p.labels.length ? calibration(p.labels, p.probs, p.order) : undefined,
      ci: undefined as
        | undefined
        | {
            auc: [number, number];
            gauc: [number, number];
            logloss: [number, number];
            deltaAuc: [number, number];
            deltaGauc: [number, number];
            deltaLogloss: [number, number];
          },
    };
  });
  const B = input.bootstrap;
  if (B > 0) {
    const rng = seededRandom(input.seed);
    const units = input.groups ? input.groupCount : n;
    const mult = new Float64Array(units);
    const w = new Float64Array(n);
    const term = (labels: Uint8Array, probs: Float32Array) =>
      Float64Array.from(labels, (y, i) => {
        const q = Math.min(1 - PROB_CLIP, Math.max(PROB_CLIP, probs[i]));
        return y ? -Math.log(q) : -Math.log(1 - q);
      });
    const weighted = (terms: Float64Array, wt: Float64Array) => {
      let s = 0,
        d = 0;
      for (let i = 0; i < terms.length; i++) {
        s += wt[i] * terms[i];
        d += wt[i];
      }
      return s / d;
    };
    const wholeTerms = term(whole.labels, whole.probs);
    const partTerms = parts.map((p) => term(p.labels, p.probs));
    const acc = parts.map(() => ({ auc: [] as number[], gauc: [] as number[], ll: [] as number[] }));
    const dacc = parts.map(() => ({ auc: [] as number[], gauc: [] as number[], ll: [] as number[] }));
    for (let b = 0; b < B; b++) {
      drawMultiplicities(units, rng, mult);
      for (let i = 0; i < n; i++) w[i] = input.groups ? mult[input.groups[i]] : mult[i];
      const wAuc = aucFromOrder(whole.order, whole.scores, whole.labels, w);
      const wGauc = whole.ga ? gaucFromGroups(whole.ga, mult) : NaN;
      const wLl = weighted(wholeTerms, w);
      parts.forEach((p, k) => {
        if (p.labels.length === 0) return;
        const wk = Float64Array.from(p.index, (r) => w[r]);
        const a = aucFromOrder(p.order, p.scores, p.labels, wk);
        const g = p.ga ? gaucFromGroups(p.ga, mult) : NaN;
        const l = weighted(partTerms[k], wk);
        acc[k].auc.push(a);
        acc[k].gauc.push(g);
        acc[k].ll.push(l);
        dacc[k].auc.push(a - wAuc);
        dacc[k].gauc.push(g - wGauc);
        dacc[k].ll.push(l - wLl);
      });
    }
    rows.forEach((row, k) => {
      if (row.rows === 0) return;
      row.ci = {
        auc: percentileInterval(acc[k].auc),
        gauc: percentileInterval(acc[k].gauc),
        logloss: percentileInterval(acc[k].ll),
        deltaAuc: percentileInterval(dacc[k].auc),
        deltaGauc: percentileInterval(dacc[k].gauc),
        deltaLogloss: percentileInterval(dacc[k].ll),
      };
    });
  }
  return { whole: wholePoint, slices: rows };
}
