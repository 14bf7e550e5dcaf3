/**
 * Metrics per slice, paired against the whole (metrics.md section 1, Uncertainty): every bootstrap replicate
 * draws groups (users) once and scores the whole and each slice with that same draw, so "slice minus whole" gets
 * an interval that accounts for their overlap. A slice is flagged when the paired interval of its AUC minus the
 * whole's lies entirely below 0.
 */
import { argsortFloat32 } from '../metrics/argsort';
import { aucFromOrder, gaucFromGroups, GroupAucs, groupAucs } from '../metrics/auc';
import { drawMultiplicities, percentileInterval } from '../metrics/bootstrap';
import { Calibration, calibration, logloss, PROB_CLIP } from '../metrics/loss';
import { seededRandom } from '../util/random';

export interface SliceMetricsInput {
  labels: Uint8Array;
  scores: Float32Array;
  probs: Float32Array;
  groups?: Int32Array;
  groupCount: number;
  slices: { name: string; source: 'config' | 'auto'; description?: string; rows: Uint8Array }[];
  bootstrap: number;
  seed: number;
}

type Interval = [number, number];

export interface SliceRow {
  name: string;
  source: 'config' | 'auto';
  description?: string;
  rows: number;
  positives: number;
  /** Share of the whole's rows. */
  share: number;
  auc: number | null;
  gauc: number | null;
  logloss: number;
  calibration: Calibration;
  /** Slice minus whole (LogLoss too: positive = the slice's loss is higher). */
  delta: { auc: number | null; gauc: number | null; logloss: number };
  ci?: {
    auc: Interval | null;
    gauc: Interval | null;
    logloss: Interval;
    deltaAuc: Interval | null;
    deltaGauc: Interval | null;
    deltaLogloss: Interval;
  };
  /** The paired interval of AUC(slice) - AUC(whole) lies entirely below 0. */
  flagged: boolean;
}

export interface SliceReport {
  whole: { rows: number; auc: number; gauc: number | null; logloss: number; calibration: Calibration };
  slices: SliceRow[];
  bootstrap: { replicates: number; seed: number; unit: 'group' | 'row' } | null;
  /** How slices were decided, and why some automatic ones are absent. */
  notes: string[];
  /** The flag rule in words. */
  rule: string;
}

export const FLAG_RULE =
  'flagged: the 95% paired group-bootstrap interval of AUC(slice) - AUC(whole) lies entirely below 0';

const nullIfNaN = (x: number) => (Number.isNaN(x) ? null : x);
const intervalOrNull = (v: number[]): Interval | null => {
  const i = percentileInterval(v);
  return Number.isNaN(i[0]) ? null : i;
};

interface Part {
  index: Uint32Array;
  labels: Uint8Array;
  scores: Float32Array;
  probs: Float32Array;
  groups?: Int32Array;
  order: Uint32Array;
  ga?: GroupAucs;
}

function part(input: SliceMetricsInput, index: Uint32Array): Part {
  const labels = Uint8Array.from(index, (r) => input.labels[r]);
  const scores = Float32Array.from(index, (r) => input.scores[r]);
  const probs = Float32Array.from(index, (r) => input.probs[r]);
  const groups = input.groups ? Int32Array.from(index, (r) => input.groups![r]) : undefined;
  const order = argsortFloat32(scores);
  return {
    index,
    labels,
    scores,
    probs,
    groups,
    order,
    ga: groups ? groupAucs(order, scores, labels, groups, input.groupCount) : undefined,
  };
}

export function sliceMetrics(input: SliceMetricsInput, notes: string[] = []): SliceReport {
  const n = input.labels.length;
  const whole = part(
    input,
    Uint32Array.from({ length: n }, (_, i) => i),
  );
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
    return part(input, Uint32Array.from(idx));
  });
  const rows: SliceRow[] = input.slices.map((s, k) => {
    const p = parts[k];
    let positives = 0;
    for (let i = 0; i < p.labels.length; i++) positives += p.labels[i];
    const auc = p.labels.length ? nullIfNaN(aucFromOrder(p.order, p.scores, p.labels)) : null;
    const gauc = p.ga ? nullIfNaN(gaucFromGroups(p.ga)) : null;
    const ll = p.labels.length ? logloss(p.labels, p.probs) : NaN;
    return {
      name: s.name,
      source: s.source,
      description: s.description,
      rows: p.labels.length,
      positives,
      share: p.labels.length / n,
      auc,
      gauc,
      logloss: ll,
      calibration: p.labels.length
        ? calibration(p.labels, p.probs, p.order)
        : { meanPrediction: NaN, observedRate: NaN, ratio: NaN, ece: NaN, bins: [] },
      delta: {
        auc: auc === null ? null : auc - wholePoint.auc,
        gauc: gauc === null || wholePoint.gauc === null ? null : gauc - wholePoint.gauc,
        logloss: ll - wholePoint.logloss,
      },
      flagged: false,
    };
  });

  const B = input.bootstrap;
  if (B > 0) {
    const rng = seededRandom(input.seed);
    const units = input.groups ? input.groupCount : n;
    const mult = new Float64Array(units);
    const w = new Float64Array(n);
    // Per-row loss terms once: a replicate's LogLoss is their weighted mean (same clip as logloss()).
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
    const pw = parts.map((p) => new Float64Array(p.index.length));
    const acc = parts.map(() => ({
      auc: [] as number[],
      gauc: [] as number[],
      ll: [] as number[],
      dAuc: [] as number[],
      dGauc: [] as number[],
      dLl: [] as number[],
    }));
    for (let b = 0; b < B; b++) {
      drawMultiplicities(units, rng, mult);
      for (let i = 0; i < n; i++) w[i] = input.groups ? mult[input.groups[i]] : mult[i];
      const wAuc = aucFromOrder(whole.order, whole.scores, whole.labels, w);
      const wGauc = whole.ga ? gaucFromGroups(whole.ga, mult) : NaN;
      const wLl = weighted(wholeTerms, w);
      parts.forEach((p, k) => {
        if (p.labels.length === 0) return;
        const wk = pw[k];
        for (let i = 0; i < wk.length; i++) wk[i] = w[p.index[i]];
        const a = aucFromOrder(p.order, p.scores, p.labels, wk);
        const g = p.ga ? gaucFromGroups(p.ga, mult) : NaN;
        const l = weighted(partTerms[k], wk);
        const c = acc[k];
        c.auc.push(a);
        c.gauc.push(g);
        c.ll.push(l);
        c.dAuc.push(a - wAuc);
        c.dGauc.push(g - wGauc);
        c.dLl.push(l - wLl);
      });
    }
    rows.forEach((row, k) => {
      const c = acc[k];
      if (row.rows === 0) return;
      row.ci = {
        auc: intervalOrNull(c.auc),
        gauc: intervalOrNull(c.gauc),
        logloss: percentileInterval(c.ll),
        deltaAuc: intervalOrNull(c.dAuc),
        deltaGauc: intervalOrNull(c.dGauc),
        deltaLogloss: percentileInterval(c.dLl),
      };
      row.flagged = row.ci.deltaAuc !== null && row.ci.deltaAuc[1] < 0;
    });
  }
  return {
    whole: wholePoint,
    slices: rows,
    bootstrap: B > 0 ? { replicates: B, seed: input.seed, unit: input.groups ? 'group' : 'row' } : null,
    notes,
    rule: FLAG_RULE,
  };
}
