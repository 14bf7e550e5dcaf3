/**
 * Point metrics of one scoring and paired bootstrap intervals for "base minus variant" differences: each replicate
 * draws groups once and scores base and variants with the same draw (docs/metrics.md section 1, Uncertainty).
 *
 * Scorings are taken one at a time (PairedAccumulator): each is sorted once, its metrics under every replicate's
 * draw are kept as B numbers, and its arrays are dropped, so memory does not grow with the number of variants.
 * The draws are replayed from the seed (or kept, when small), so the numbers equal drawing once per replicate
 * across all variants.
 */
import { seededRandom } from '../util/random';
import { sortScores } from './argsort';
import { aucRanked, gaucFromGroups, groupAucs, rankedGroups } from './auc';
import { drawMultiplicities, forEachDrawOf4, percentileInterval } from './bootstrap';
import { logloss, logTerms, weightedLogloss } from './loss';
import { aucsFromCodes, bucketAucs, groupedLogloss, groupLogTerms, groupSizes, rankCodes } from './rankWalk';

export interface Scoring {
  scores: Float32Array;
  probs: Float32Array;
}

export interface PointMetrics {
  auc: number;
  gauc: number | null;
  logloss: number;
}

export interface PairedSetup {
  labels: Uint8Array;
  groups?: Int32Array;
  groupCount: number;
  bootstrap: number;
  seed: number;
  /** Row segments (e.g. item popularity buckets): point AUCs are also reported within each bucket. */
  segments?: { name: string; buckets: string[]; of: Uint8Array }[];
  /** Bytes of bootstrap draws kept in memory (default 64 MiB); beyond it they are replayed from the seed. */
  keepDrawsBytes?: number;
}

export interface PairedInput extends PairedSetup {
  base: Scoring;
  /** Each entry: the repeats of one variant (e.g. R permutations); deltas use their mean. */
  variants: Scoring[][];
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

interface Point {
  auc: number;
  gauc: number;
  logloss: number;
}
/** One scoring's metrics: at the point estimate, under each replicate, within each segment bucket. */
interface Measured {
  point: Point;
  reps: { auc: Float64Array; gauc: Float64Array; logloss: Float64Array };
  segAucs: number[][];
}
/** A variant's repeats so far: their points, and per replicate the running sums (in repeat order) for the mean. */
interface VariantSums {
  points: Point[];
  auc: Float64Array;
  gauc: Float64Array;
  logloss: Float64Array;
  segAucs: number[][][];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const nullable = (x: number) => (Number.isNaN(x) ? null : x);
/** Bootstrap draws kept in memory up to this many bytes (one byte per unit per replicate); beyond it they are replayed. */
const KEEP_DRAWS_BYTES = 64 * 2 ** 20;

export class PairedAccumulator {
  private readonly units: number;
  /** Rows per bucket of each segmentation. */
  private readonly segCounts: number[][];
  /** Rows per group (group bootstrap), for the replicates' LogLoss by group. */
  private readonly sizes?: Float64Array;
  private readonly kept?: Uint8Array;
  private base?: Measured;
  private readonly variants: VariantSums[] = [];

  constructor(private readonly setup: PairedSetup) {
    const { labels, groups, groupCount, bootstrap: B } = setup;
    this.units = groups ? groupCount : labels.length;
    this.segCounts = (setup.segments ?? []).map((seg) => {
      const count = seg.buckets.map(() => 0);
      for (let r = 0; r < labels.length; r++) if (seg.of[r] < count.length) count[seg.of[r]]++;
      return count;
    });
    if (groups && B > 0) this.sizes = groupSizes(groups, groupCount);
    if (B > 0 && B * this.units <= (setup.keepDrawsBytes ?? KEEP_DRAWS_BYTES)) {
      // Multiplicities are small integers; a byte holds them unless one unit is drawn 256+ times (then: replay).
      const kept = new Uint8Array(B * this.units);
      let fits = true;
      this.forEachDraw((b, mult) => {
        for (let u = 0; u < this.units; u++) {
          const m = mult[u];
          if (m > 255) fits = false;
          kept[b * this.units + u] = m;
        }
      });
      if (fits) this.kept = kept;
    }
  }

  /** Calls fn with replicate b's multiplicities, b = 0..B-1, drawn in the one sequence the seed gives. */
  private forEachDraw(fn: (b: number, mult: ArrayLike<number>) => void): void {
    const B = this.setup.bootstrap;
    if (this.kept) {
      for (let b = 0; b < B; b++) fn(b, this.kept.subarray(b * this.units, (b + 1) * this.units));
      return;
    }
    const rng = seededRandom(this.setup.seed);
    const mult = new Float64Array(this.units);
    for (let b = 0; b < B; b++) fn(b, drawMultiplicities(this.units, rng, mult));
  }

  /** Like forEachDraw, four replicates at a time (fewer in the last call): fn(b, the draws of b, b+1, ...). */
  private forEachDrawOf4(fn: (b: number, mults: ArrayLike<number>[]) => void): void {
    const B = this.setup.bootstrap;
    if (this.kept) {
      for (let b = 0; b < B; b += 4) {
        const mults: ArrayLike<number>[] = [];
        for (let k = b; k < Math.min(B, b + 4); k++)
          mults.push(this.kept.subarray(k * this.units, (k + 1) * this.units));
        fn(b, mults);
      }
      return;
    }
    forEachDrawOf4(this.units, this.setup.seed, 0, B, fn);
  }

  private measure(s: Scoring): Measured {
    const { labels, groups, groupCount, bootstrap: B } = this.setup;
    const { order, sorted, labels: rl } = sortScores(s.scores, labels);
    const ranked = rl!;
    const ga = groups ? groupAucs(order, s.scores, labels, groups, groupCount) : undefined;
    const point: Point = {
      auc: aucRanked(sorted, ranked),
      gauc: ga ? gaucFromGroups(ga) : NaN,
      logloss: logloss(labels, s.probs),
    };
    const reps = { auc: new Float64Array(B), gauc: new Float64Array(B), logloss: new Float64Array(B) };
    if (B > 0) {
      const rankedUnit = groups ? rankedGroups(order, groups) : order;
      const codes = rankCodes(sorted, ranked, rankedUnit, this.units);
      // Group bootstrap: LogLoss from per-group sums, O(groups) a replicate; row bootstrap: per-row terms.
      const termSums = groups ? groupLogTerms(labels, s.probs, groups, groupCount) : undefined;
      const terms = termSums ? undefined : logTerms(labels, s.probs);
      const quad = codes ? new Float64Array(4) : undefined;
      this.forEachDrawOf4((b, mults) => {
        // AUC: four replicates per walk of the rank codes (the last group of four padded with repeats).
        if (codes) {
          aucsFromCodes(codes, mults, quad!);
          for (let k = 0; k < mults.length; k++) reps.auc[b + k] = quad![k];
        }
        mults.forEach((mult, k) => {
          if (!codes) reps.auc[b + k] = aucRanked(sorted, ranked, rankedUnit, mult);
          reps.gauc[b + k] = ga ? gaucFromGroups(ga, mult) : NaN;
          reps.logloss[b + k] = termSums ? groupedLogloss(termSums, this.sizes!, mult) : weightedLogloss(terms!, mult);
        });
      });
    }
    // Each segment bucket's AUC from the one rank order (equal to sorting the bucket's rows alone).
    const segAucs = (this.setup.segments ?? []).map((seg) =>
      bucketAucs(sorted, ranked, order, seg.of, seg.buckets.length),
    );
    return { point, reps, segAucs };
  }

  /** The base scoring; must come first. */
  addBase(s: Scoring): void {
    this.base = this.measure(s);
  }

  /** One repeat of variant `v` (variants numbered from 0 in order; repeats of a variant in order). */
  addRepeat(v: number, s: Scoring): void {
    if (!this.base) throw new Error('PairedAccumulator: the base scoring comes first');
    if (v !== this.variants.length && v !== this.variants.length - 1)
      throw new Error(`PairedAccumulator: variant ${v} out of order`);
    const m = this.measure(s);
    const B = this.setup.bootstrap;
    if (v === this.variants.length) {
      this.variants.push({
        points: [],
        auc: new Float64Array(B),
        gauc: new Float64Array(B),
        logloss: new Float64Array(B),
        segAucs: m.segAucs.map((b) => b.map(() => [])),
      });
    }
    const acc = this.variants[v];
    acc.points.push(m.point);
    // Running sums in repeat order: the same additions as summing the repeats' values with reduce.
    for (let b = 0; b < B; b++) {
      acc.auc[b] += m.reps.auc[b];
      acc.gauc[b] += m.reps.gauc[b];
      acc.logloss[b] += m.reps.logloss[b];
    }
    m.segAucs.forEach((buckets, i) => buckets.forEach((a, j) => acc.segAucs[i][j].push(a)));
  }

  result(): PairedResult {
    const base = this.base;
    if (!base) throw new Error('PairedAccumulator: no base scoring');
    const bp = base.point;
    const B = this.setup.bootstrap;
    const result: PairedResult = {
      base: { auc: bp.auc, gauc: nullable(bp.gauc), logloss: bp.logloss },
      variants: this.variants.map((acc) => {
        const m = {
          auc: mean(acc.points.map((p) => p.auc)),
          gauc: mean(acc.points.map((p) => p.gauc)),
          logloss: mean(acc.points.map((p) => p.logloss)),
        };
        const out: PairedResult['variants'][number] = {
          metrics: { auc: m.auc, gauc: nullable(m.gauc), logloss: m.logloss },
          repeatAucs: acc.points.map((p) => p.auc),
          delta: { auc: bp.auc - m.auc, gauc: nullable(bp.gauc - m.gauc), logloss: m.logloss - bp.logloss },
        };
        if (B > 0) {
          const R = acc.points.length;
          const d = { auc: [] as number[], gauc: [] as number[], logloss: [] as number[] };
          for (let b = 0; b < B; b++) {
            d.auc.push(base.reps.auc[b] - acc.auc[b] / R);
            d.gauc.push(base.reps.gauc[b] - acc.gauc[b] / R);
            d.logloss.push(acc.logloss[b] / R - base.reps.logloss[b]);
          }
          out.ci = {
            deltaAuc: percentileInterval(d.auc),
            deltaGauc: this.setup.groups ? percentileInterval(d.gauc) : null,
            deltaLogloss: percentileInterval(d.logloss),
          };
        }
        return out;
      }),
    };
    if (this.setup.segments) {
      result.segments = this.setup.segments.map((seg, i) => ({
        name: seg.name,
        buckets: seg.buckets.map((bucket, j) => ({
          bucket,
          rows: this.segCounts[i][j],
          baseAuc: base.segAucs[i][j],
          variantAucs: this.variants.map((acc) => mean(acc.segAucs[i][j])),
        })),
      }));
    }
    return result;
  }
}

/** All scorings at once (held by the caller). */
export function pairedMetrics(input: PairedInput): PairedResult {
  const acc = new PairedAccumulator(input);
  acc.addBase(input.base);
  input.variants.forEach((reps, v) => reps.forEach((s) => acc.addRepeat(v, s)));
  return acc.result();
}
