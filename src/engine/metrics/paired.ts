/**
 * Point metrics of one scoring and paired bootstrap intervals for "base minus variant" differences: each replicate
 * draws groups once and scores base and variants with the same draw (docs/metrics.md section 1, Uncertainty).
 */
import { seededRandom } from '../util/random';
import { argsortFloat32 } from './argsort';
import { aucFromOrder, gaucFromGroups, GroupAucs, groupAucs } from './auc';
import { drawMultiplicities, percentileInterval } from './bootstrap';
import { logloss } from './loss';

export interface Scoring {
  scores: Float32Array;
  probs: Float32Array;
}

export interface PointMetrics {
  auc: number;
  gauc: number | null;
  logloss: number;
}

export interface PairedInput {
  labels: Uint8Array;
  groups?: Int32Array;
  groupCount: number;
  base: Scoring;
  /** Each entry: the repeats of one variant (e.g. R permutations); deltas use their mean. */
  variants: Scoring[][];
  bootstrap: number;
  seed: number;
  /** Row segments (e.g. item popularity buckets): point AUCs are also reported within each bucket. */
  segments?: { name: string; buckets: string[]; of: Uint8Array }[];
}

export interface SegmentPoints {
  name: string;
  buckets: { bucket: string; rows: number; baseAuc: number; variantAucs: number[] }[];
}

export interface PairedResult {
  segments?: SegmentPoints[];
  base: PointMetrics;
  variants: {
    metrics: PointMetrics;
    /** Per-repeat AUCs (spread of permutation repeats). */
    repeatAucs: number[];
    delta: PointMetrics;
    ci?: { deltaAuc: [number, number]; deltaGauc: [number, number] | null; deltaLogloss: [number, number] };
  }[];
}

interface Prepared { order: Uint32Array; ga?: GroupAucs; s: Scoring }

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const nullable = (x: number) => (Number.isNaN(x) ? null : x);

export function pairedMetrics(input: PairedInput): PairedResult {
  const { labels, groups, groupCount } = input;
  const prep = (s: Scoring): Prepared => {
    const order = argsortFloat32(s.scores);
    return { order, ga: groups ? groupAucs(order, s.scores, labels, groups, groupCount) : undefined, s };
  };
  const point = (p: Prepared, w?: Float64Array, mult?: Float64Array) => ({
    auc: aucFromOrder(p.order, p.s.scores, labels, w),
    gauc: p.ga ? gaucFromGroups(p.ga, mult) : NaN,
    logloss: logloss(labels, p.s.probs, w),
  });
  const base = prep(input.base);
  const variants = input.variants.map((reps) => reps.map(prep));
  const basePoint = point(base);
  const varPoints = variants.map((reps) => reps.map((p) => point(p)));
  const summary = (pts: { auc: number; gauc: number; logloss: number }[]) => ({ auc: mean(pts.map((p) => p.auc)), gauc: mean(pts.map((p) => p.gauc)), logloss: mean(pts.map((p) => p.logloss)) });

  const result: PairedResult = {
    base: { auc: basePoint.auc, gauc: nullable(basePoint.gauc), logloss: basePoint.logloss },
    variants: varPoints.map((pts) => {
      const m = summary(pts);
      return {
        metrics: { auc: m.auc, gauc: nullable(m.gauc), logloss: m.logloss },
        repeatAucs: pts.map((p) => p.auc),
        delta: { auc: basePoint.auc - m.auc, gauc: nullable(basePoint.gauc - m.gauc), logloss: m.logloss - basePoint.logloss },
      };
    }),
  };
  if (input.segments) {
    result.segments = input.segments.map((seg) => ({
      name: seg.name,
      buckets: seg.buckets.map((bucket, b) => {
        const rows: number[] = [];
        for (let r = 0; r < labels.length; r++) if (seg.of[r] === b) rows.push(r);
        const sub = (s: Scoring) => {
          const sc = Float32Array.from(rows, (r) => s.scores[r]);
          return aucFromOrder(argsortFloat32(sc), sc, Uint8Array.from(rows, (r) => labels[r]));
        };
        return { bucket, rows: rows.length, baseAuc: sub(input.base), variantAucs: input.variants.map((reps) => mean(reps.map(sub))) };
      }),
    }));
  }
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
      result.variants[v].ci = { deltaAuc: percentileInterval(d.auc), deltaGauc: groups ? percentileInterval(d.gauc) : null, deltaLogloss: percentileInterval(d.logloss) };
    });
  }
  return result;
}
