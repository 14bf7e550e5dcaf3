/**
 * Metrics per slice, paired against the whole (metrics.md section 1, Uncertainty): every bootstrap replicate
 * draws groups (users) once and scores the whole and each slice with that same draw, so "slice minus whole" gets
 * an interval that accounts for their overlap. A slice is flagged when the paired interval of its AUC minus the
 * whole's lies entirely below 0.
 *
 * One sort serves the whole and every slice: a slice's rows taken in the whole's stable score order are the
 * slice's own stable order, with the same ties, so each slice is the whole's ranked rows filtered by its mask (no
 * sort per slice). Every sum runs in the order the per-slice sort gave, so point metrics and the AUC / GAUC
 * intervals are bit for bit those of sorting each slice on its own (test/sliceMetrics.test.ts checks against that
 * algorithm, kept in test/referenceMetrics.ts). A replicate's LogLoss with group units comes from per-group sums
 * of the log terms (O(groups), not O(rows), per slice per replicate): the sums' order differs, so those intervals
 * agree with the per-row sums within 1e-12, not bit for bit. Replicates are independent given the seed, so ranges
 * of them can run in different workers (compute/offThread.ts sliceMetricsPool) and merge to the same report.
 */
import { SortedScores, sortScores } from '../metrics/argsort';
import { byGroup, gaucFromGroups, groupAucsOf, GroupAucs } from '../metrics/auc';
import { forEachDrawOf4, percentileInterval } from '../metrics/bootstrap';
import { Calibration, CalibrationBin, logTerms } from '../metrics/loss';
import { aucFromCodes, aucsFromCodes, groupedLogloss } from '../metrics/rankWalk';
import { warmArray } from '../compute/warmMemory';

export interface SliceMetricsInput {
  labels: Uint8Array;
  scores: Float32Array;
  probs: Float32Array;
  groups?: Int32Array;
  groupCount: number;
  slices: { name: string; source: 'config' | 'auto'; description?: string; rows: Uint8Array }[];
  bootstrap: number;
  seed: number;
  /** sortScores(scores, labels) when the caller has it (one sort for eval's base and slice metrics). */
  sorted?: SortedScores;
  /** logTerms(labels, probs) when the caller has them (eval: computed while the sort runs). */
  terms?: Float64Array;
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

/**
 * One part (the whole or a slice) as a replicate reads it. `ranked`: its rows in ascending score order, each as
 * rankWalk's rank code, unit << 2 | (last row of a run of tied scores) << 1 | label, where the unit is the bootstrap
 * unit (group, or row index without groups). LogLoss with groups: the sum of log terms and the row count per group present; without
 * groups: the part's row indices (undefined: every row) into the whole's log terms.
 */
export interface PartUnits {
  ranked: Uint32Array;
  ga?: GroupAucs;
  llGroups?: Int32Array;
  llSums?: Float64Array;
  llCounts?: Float64Array;
  llRows?: Uint32Array;
}

/** Everything the bootstrap replicates read, in typed arrays (shared memory when prepared for a worker pool). */
export interface SliceBootstrap {
  replicates: number;
  seed: number;
  units: number;
  whole: PartUnits;
  /** Per slice; null for a slice without rows (it gets no interval). */
  slices: (PartUnits | null)[];
  /** Every row's log term (row units only). */
  terms?: Float64Array;
}

/** Metric values of a range of replicates, in replicate order. */
export interface ReplicateValues {
  whole: { auc: Float64Array; gauc: Float64Array; logloss: Float64Array };
  slices: ({ auc: Float64Array; gauc: Float64Array; logloss: Float64Array } | null)[];
}

function alloc<T extends Uint32Array | Float64Array | Int32Array | Uint8Array | Float32Array>(
  make: { new (b: ArrayBufferLike): T; BYTES_PER_ELEMENT: number },
  n: number,
  shared: boolean,
): T {
  const bytes = n * make.BYTES_PER_ELEMENT;
  return new make(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
}

/** Weight 1 for every bootstrap unit: a point AUC from rank codes (the same sums as unweighted). */
const onesFor = new WeakMap<SliceMetricsInput, Float64Array>();
function unitWeights(input: SliceMetricsInput): Float64Array {
  let ones = onesFor.get(input);
  // Without a bootstrap every rank code has unit 0.
  const units = input.bootstrap <= 0 ? 1 : input.groups ? input.groupCount : input.labels.length;
  if (!ones) onesFor.set(input, (ones = new Float64Array(units).fill(1)));
  return ones;
}

/** The whole's rows in ascending score order: row, score, probability, label and bootstrap unit. */
interface Ranked {
  order: Uint32Array;
  sorted: Float32Array;
  probs: Float32Array;
  labels: Uint8Array;
  /** Absent without a bootstrap (every unit 0). */
  units?: Uint32Array;
}

interface PartPoint {
  rows: number;
  positives: number;
  auc: number;
  logloss: number;
  calibration: Calibration;
  units: PartUnits;
}

/**
 * One part's point metrics and replicate units from the whole's ranked rows: `calibration`'s and `logloss`'s sums
 * in the same order as over the part's own arrays (probabilities and log terms in row order, bins in score order).
 */
function measurePart(
  input: SliceMetricsInput,
  ranked: Ranked,
  terms: Float64Array,
  member: { mask: Uint8Array; words: Uint32Array; bit: number } | undefined,
  want: { bootstrap: boolean; shared: boolean; scratch?: Uint32Array },
): PartPoint {
  const mask = member?.mask;
  const { labels, probs, groups, groupCount } = input;
  const n = labels.length;
  let rows = 0,
    positives = 0,
    sp = 0,
    ll = 0;
  const grouped = groups !== undefined && want.bootstrap;
  const gSums = grouped ? new Float64Array(groupCount) : undefined,
    gCounts = grouped ? new Float64Array(groupCount) : undefined;
  for (let r = 0; r < n; r++) {
    if (mask && !mask[r]) continue;
    rows++;
    positives += labels[r];
    sp += probs[r];
    ll -= terms[r];
    if (gSums) {
      gSums[groups![r]] += terms[r];
      gCounts![groups![r]]++;
    }
  }
  let llRows: Uint32Array | undefined;
  if (want.bootstrap && !groups && mask) {
    llRows = alloc(Uint32Array, rows, want.shared);
    for (let r = 0, c = 0; r < n; r++) if (mask[r]) llRows[c++] = r;
  }
  // Ranked units, and the calibration bins (equal-mass over the part's rank positions) in the same walk.
  // Kept for the replicates with a bootstrap; without one, only the point AUC reads them (one buffer for all parts).
  const packed =
    want.bootstrap || !want.scratch ? alloc(Uint32Array, rows, want.shared) : want.scratch.subarray(0, rows);
  const k = Math.min(10, rows);
  const bins: CalibrationBin[] = [];
  let ece = 0,
    bin = 0,
    lo = 0,
    hi = k ? Math.floor(rows / k) : 0,
    bp = 0,
    by = 0,
    c = 0,
    last = 0;
  const closeBins = () => {
    while (bin < k && c === hi) {
      const count = hi - lo;
      if (count > 0) {
        bins.push({ count, meanPrediction: bp / count, observedRate: by / count });
        ece += (count / rows) * Math.abs(bp / count - by / count);
      }
      bin++;
      lo = hi;
      hi = Math.floor(((bin + 1) * rows) / k);
      bp = 0;
      by = 0;
    }
  };
  closeBins();
  for (let i = 0; i < n; i++) {
    if (member && !(member.words[i] & member.bit)) continue;
    const s = ranked.sorted[i];
    const unit = ranked.units ? ranked.units[i] : 0;
    // A new run of tied scores closes the previous one: its last row gets the end bit (rankWalk's rank codes).
    if (c > 0 && !(s === last)) packed[c - 1] |= 2;
    packed[c] = ((unit << 2) | ranked.labels[i]) >>> 0;
    last = s;
    bp += ranked.probs[i];
    by += ranked.labels[i];
    c++;
    closeBins();
  }
  if (c > 0) packed[c - 1] |= 2;
  const units: PartUnits = { ranked: packed, llRows };
  if (gSums) {
    let present = 0;
    for (let g = 0; g < groupCount; g++) if (gCounts![g] > 0) present++;
    units.llGroups = alloc(Int32Array, present, want.shared);
    units.llSums = alloc(Float64Array, present, want.shared);
    units.llCounts = alloc(Float64Array, present, want.shared);
    for (let g = 0, j = 0; g < groupCount; g++)
      if (gCounts![g] > 0) {
        units.llGroups[j] = g;
        units.llSums[j] = gSums[g];
        units.llCounts[j++] = gCounts![g];
      }
  }
  return {
    rows,
    positives,
    auc: aucFromCodes(packed, unitWeights(input)),
    logloss: ll / rows,
    calibration: {
      meanPrediction: sp / rows,
      observedRate: positives / rows,
      ratio: sp / rows / (positives / rows),
      ece,
      bins,
    },
    units,
  };
}

/** A replicate's LogLoss of one part: per-group sums with groups, per-row terms without. */
function partLogloss(u: PartUnits, mult: Float64Array, terms?: Float64Array): number {
  if (u.llGroups) return groupedLogloss(u.llSums!, u.llCounts!, mult, u.llGroups);
  let sum = 0,
    total = 0;
  if (u.llRows) {
    const rows = u.llRows;
    for (let j = 0; j < rows.length; j++) {
      const r = rows[j];
      const w = mult[r];
      if (w === 0) continue;
      sum -= w * terms![r];
      total += w;
    }
  } else {
    for (let r = 0; r < terms!.length; r++) {
      const w = mult[r];
      if (w === 0) continue;
      sum -= w * terms![r];
      total += w;
    }
  }
  return sum / total;
}

/** Point metrics of the whole and every slice, and what the bootstrap needs (shared memory for a worker pool). */
export function prepareSlices(
  input: SliceMetricsInput,
  notes: string[] = [],
  shared = false,
): { report: SliceReport; boot?: SliceBootstrap } {
  const n = input.labels.length;
  if (n >= 2 ** 30) throw new Error(`slice metrics: ${n} rows is more than 2^30`);
  const B = input.bootstrap;
  // Fresh 1M-row arrays below come pre-faulted when the worker was handed them (compute/warmMemory.ts).
  const want = { bootstrap: B > 0, shared, scratch: B > 0 ? undefined : warmArray(Uint32Array, n) };
  const s = input.sorted ?? sortScores(input.scores, input.labels);
  const { groups } = input;
  const rankedProbs = warmArray(Float32Array, n),
    rankedUnits = want.bootstrap ? new Uint32Array(n) : undefined;
  for (let i = 0; i < n; i++) rankedProbs[i] = input.probs[s.order[i]];
  if (rankedUnits) for (let i = 0; i < n; i++) rankedUnits[i] = groups ? groups[s.order[i]] : s.order[i];
  const ranked: Ranked = {
    order: s.order,
    sorted: s.sorted,
    probs: rankedProbs,
    labels: s.labels!,
    units: rankedUnits,
  };
  const terms = input.terms ?? logTerms(input.labels, input.probs, warmArray(Float64Array, n));
  const bg = groups ? byGroup(s.order, input.scores, input.labels, groups, input.groupCount) : undefined;

  const whole = measurePart(input, ranked, terms, undefined, want);
  if (bg) whole.units.ga = groupAucsOf(bg, input.groupCount);
  const wholePoint = {
    rows: n,
    auc: whole.auc,
    gauc: whole.units.ga ? nullIfNaN(gaucFromGroups(whole.units.ga)) : null,
    logloss: whole.logloss,
    calibration: whole.calibration,
  };
  // Membership of up to 32 slices per word, gathered into score (and by-group) order once: one random read per
  // row for them all, then every slice walks its rows sequentially.
  const parts: PartPoint[] = [];
  for (let first = 0; first < input.slices.length; first += 32) {
    const chunk = input.slices.slice(first, first + 32);
    const words = warmArray(Uint32Array, n);
    chunk.forEach((sl, k) => {
      const m = sl.rows,
        bit = (1 << k) >>> 0;
      for (let r = 0; r < n; r++) if (m[r]) words[r] |= bit;
    });
    const rankedWords = warmArray(Uint32Array, n);
    for (let i = 0; i < n; i++) rankedWords[i] = words[s.order[i]];
    let groupWords: Uint32Array | undefined;
    if (bg) {
      groupWords = warmArray(Uint32Array, n);
      for (let j = 0; j < n; j++) groupWords[j] = words[bg.rows[j]];
    }
    chunk.forEach((sl, k) => {
      const bit = 1 << k;
      const p = measurePart(input, ranked, terms, { mask: sl.rows, words: rankedWords, bit }, want);
      if (p.rows > 0 && bg) p.units.ga = groupAucsOf(bg, input.groupCount, groupWords, bit);
      parts.push(p);
    });
  }
  const rows: SliceRow[] = input.slices.map((sl, k) => {
    const p = parts[k];
    const auc = p.rows ? nullIfNaN(p.auc) : null;
    const gauc = p.units.ga ? nullIfNaN(gaucFromGroups(p.units.ga)) : null;
    const ll = p.rows ? p.logloss : NaN;
    return {
      name: sl.name,
      source: sl.source,
      description: sl.description,
      rows: p.rows,
      positives: p.positives,
      share: p.rows / n,
      auc,
      gauc,
      logloss: ll,
      calibration: p.rows ? p.calibration : { meanPrediction: NaN, observedRate: NaN, ratio: NaN, ece: NaN, bins: [] },
      delta: {
        auc: auc === null ? null : auc - wholePoint.auc,
        gauc: gauc === null || wholePoint.gauc === null ? null : gauc - wholePoint.gauc,
        logloss: ll - wholePoint.logloss,
      },
      flagged: false,
    };
  });
  const report: SliceReport = {
    whole: wholePoint,
    slices: rows,
    bootstrap: B > 0 ? { replicates: B, seed: input.seed, unit: input.groups ? 'group' : 'row' } : null,
    notes,
    rule: FLAG_RULE,
  };
  if (B <= 0) return { report };
  let sharedTerms: Float64Array | undefined;
  if (!input.groups) {
    sharedTerms = alloc(Float64Array, n, shared);
    sharedTerms.set(terms);
  }
  return {
    report,
    boot: {
      replicates: B,
      seed: input.seed,
      units: input.groups ? input.groupCount : n,
      whole: whole.units,
      slices: parts.map((p) => (p.rows > 0 ? p.units : null)),
      terms: sharedTerms,
    },
  };
}

/** Replicates [from, to) of the bootstrap: the seeded draws of the earlier ones are replayed, not used. */
export function sliceReplicates(boot: SliceBootstrap, from: number, to: number): ReplicateValues {
  const count = Math.max(0, to - from);
  const values = () => ({
    auc: new Float64Array(count),
    gauc: new Float64Array(count),
    logloss: new Float64Array(count),
  });
  const out: ReplicateValues = { whole: values(), slices: boot.slices.map((u) => (u ? values() : null)) };
  const parts = [boot.whole, ...boot.slices];
  const into = [out.whole, ...out.slices];
  // Four replicates per walk of each part's rank codes (rankWalk: identical sums, fewer reads).
  const aucs = new Float64Array(4);
  forEachDrawOf4(boot.units, boot.seed, from, Math.max(from, to), (b, mults) => {
    const at = b - from;
    for (let k = 0; k < parts.length; k++) {
      const u = parts[k],
        v = into[k];
      if (!u || !v) continue;
      aucsFromCodes(u.ranked, mults, aucs);
      mults.forEach((mult, r) => {
        v.auc[at + r] = aucs[r];
        v.gauc[at + r] = u.ga ? gaucFromGroups(u.ga, mult) : NaN;
        v.logloss[at + r] = partLogloss(u, mult, boot.terms);
      });
    }
  });
  return out;
}

/** The intervals and flags from the replicates' values (ranges in replicate order). */
export function finishSlices(report: SliceReport, ranges: ReplicateValues[]): SliceReport {
  const cat = (pick: (r: ReplicateValues) => Float64Array | undefined) =>
    ranges.flatMap((r) => Array.from(pick(r) ?? []));
  const wAuc = cat((r) => r.whole.auc),
    wGauc = cat((r) => r.whole.gauc),
    wLl = cat((r) => r.whole.logloss);
  report.slices.forEach((row, k) => {
    if (row.rows === 0 || !ranges[0]?.slices[k]) return;
    const a = cat((r) => r.slices[k]?.auc),
      g = cat((r) => r.slices[k]?.gauc),
      l = cat((r) => r.slices[k]?.logloss);
    row.ci = {
      auc: intervalOrNull(a),
      gauc: intervalOrNull(g),
      logloss: percentileInterval(l),
      deltaAuc: intervalOrNull(a.map((x, b) => x - wAuc[b])),
      deltaGauc: intervalOrNull(g.map((x, b) => x - wGauc[b])),
      deltaLogloss: percentileInterval(l.map((x, b) => x - wLl[b])),
    };
    row.flagged = row.ci.deltaAuc !== null && row.ci.deltaAuc[1] < 0;
  });
  return report;
}

/**
 * The whole's own intervals from the same replicates (the base metrics' ci: the same draws for the same seed; AUC
 * and GAUC bit for bit, LogLoss with group units within 1e-12 as above), so eval does not run a second bootstrap.
 */
export function wholeIntervals(
  ranges: ReplicateValues[],
  grouped: boolean,
): { auc: Interval; gauc: Interval | null; logloss: Interval } {
  const cat = (pick: (r: ReplicateValues) => Float64Array) => ranges.flatMap((r) => Array.from(pick(r)));
  return {
    auc: percentileInterval(cat((r) => r.whole.auc)),
    gauc: grouped ? percentileInterval(cat((r) => r.whole.gauc)) : null,
    logloss: percentileInterval(cat((r) => r.whole.logloss)),
  };
}

export function sliceMetrics(input: SliceMetricsInput, notes: string[] = []): SliceReport {
  const { report, boot } = prepareSlices(input, notes);
  return boot ? finishSlices(report, [sliceReplicates(boot, 0, boot.replicates)]) : report;
}
