/** The base metrics of one scoring of the evaluation rows, with group-bootstrap intervals (docs/metrics.md section 1). */
import { seededRandom } from '../util/random';
import { SortedScores, sortScores } from './argsort';
import { aucRanked, gaucFromGroups, groupAucs, rankedGroups } from './auc';
import { drawMultiplicities, percentileInterval } from './bootstrap';
import { computeCurves, Curves } from './curves';
import { Calibration, calibration, logloss, logTerms, weightedLogloss } from './loss';

export interface MetricsInput {
  labels: Uint8Array;
  /** The model's raw output (probability or logit): ranks rows. */
  scores: Float32Array;
  /** Probabilities for LogLoss and calibration. */
  probs: Float32Array;
  groups?: Int32Array;
  groupCount?: number;
  bootstrap?: number;
  seed?: number;
  /** Also the ROC / PR curves and the probability histogram, from the same sort (eval's Run panel). */
  curves?: boolean;
  /** sortScores(scores, labels) when the caller has it (eval sorts once for these and the slice metrics). */
  sorted?: SortedScores;
}

export interface BaseMetrics {
  rows: number;
  positives: number;
  auc: number;
  gauc: number | null;
  groups: { used: number; skipped: number } | null;
  logloss: number;
  calibration: Calibration;
  ci?: { auc: [number, number]; gauc: [number, number] | null; logloss: [number, number] };
  bootstrap?: { replicates: number; seed: number; unit: 'group' | 'row' };
  curves?: Curves;
}

export function computeBaseMetrics(input: MetricsInput): BaseMetrics {
  const { labels, scores, probs, groups } = input;
  const n = labels.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i];
  // One sort; every replicate below walks the ranked rows sequentially.
  const { order, sorted, labels: ranked } = input.sorted ?? sortScores(scores, labels);
  const auc = aucRanked(sorted, ranked!);
  const ga = groups ? groupAucs(order, scores, labels, groups, input.groupCount ?? 0) : undefined;
  const out: BaseMetrics = {
    rows: n,
    positives,
    auc,
    gauc: ga ? nullIfNaN(gaucFromGroups(ga)) : null,
    groups: ga ? { used: ga.used, skipped: ga.skipped } : null,
    logloss: logloss(labels, probs),
    calibration: calibration(labels, probs, order),
  };
  if (input.curves) out.curves = computeCurves(labels, scores, { histogramOf: probs, range: [0, 1], order });
  const B = input.bootstrap ?? 0;
  if (B > 0) {
    const seed = input.seed ?? 0;
    const rng = seededRandom(seed);
    const units = ga ? ga.sizes.length : n;
    const mult = new Float64Array(units);
    // Replicate weights are mult[unit]: the group of each ranked row (or the row itself), and of each row for LogLoss.
    const rankedUnit = ga ? rankedGroups(order, groups!) : order;
    const terms = logTerms(labels, probs);
    const aucs: number[] = [],
      gaucs: number[] = [],
      losses: number[] = [];
    for (let b = 0; b < B; b++) {
      drawMultiplicities(units, rng, mult);
      aucs.push(aucRanked(sorted, ranked!, rankedUnit, mult));
      losses.push(weightedLogloss(terms, mult, ga ? groups : undefined));
      if (ga) gaucs.push(gaucFromGroups(ga, mult));
    }
    out.ci = {
      auc: percentileInterval(aucs),
      gauc: ga ? percentileInterval(gaucs) : null,
      logloss: percentileInterval(losses),
    };
    out.bootstrap = { replicates: B, seed, unit: ga ? 'group' : 'row' };
  }
  return out;
}

function nullIfNaN(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}
