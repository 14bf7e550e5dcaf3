/**
 * Compare two runs. Two evaluations of the same rows (same data fingerprint), e.g. two model versions, are scored
 * again and their differences get paired group-bootstrap intervals (resample users once, score both). Other pairs
 * of runs get their headline numbers side by side, without intervals (the record does not hold per-row scores).
 */
import { pairedMetricsOffThread } from './compute/offThread';
import { requireConfig } from './config/loadConfig';
import { inputError } from './errors';
import { withJob } from './job';
import type { JobControl } from './progress';
import type { RunRecord } from './runs/runRecord';
import { runLabel } from './runs/summary';

export interface RunComparison {
  a: { id: string; label: string; config: string; model: string };
  b: { id: string; label: string; config: string; model: string };
  sameData: boolean;
  rows: number | null;
  /** b minus a, with paired 95% intervals, when both are evaluations of the same rows. */
  paired: null | {
    a: { auc: number; gauc: number | null; logloss: number };
    b: { auc: number; gauc: number | null; logloss: number };
    diff: { auc: number; gauc: number | null; logloss: number };
    ci: { auc: [number, number]; gauc: [number, number] | null; logloss: [number, number] } | null;
    bootstrap: number;
    seed: number;
  };
  note: string | null;
}

async function scoresOf(configFile: string, seed: number, control?: JobControl) {
  const { config } = requireConfig(configFile);
  return withJob(config, { seed }, control, async (ctx) => {
    const scores = await ctx.score(`scoring ${config.name ?? configFile}`);
    return {
      scores,
      probs: ctx.probs(scores),
      labels: ctx.mat.labels,
      groups: ctx.mat.groups,
      groupCount: ctx.mat.groupCount,
    };
  });
}

export async function compareRuns(
  a: RunRecord,
  b: RunRecord,
  opts: { bootstrap?: number; seed?: number } = {},
  control?: JobControl,
): Promise<RunComparison> {
  const sameData = a.data.size === b.data.size && a.data.sample === b.data.sample && a.data.rows === b.data.rows;
  const out: RunComparison = {
    a: { id: a.id, label: runLabel(a), config: a.config.file, model: a.model.sha256.slice(0, 12) },
    b: { id: b.id, label: runLabel(b), config: b.config.file, model: b.model.sha256.slice(0, 12) },
    sameData,
    rows: sameData ? a.data.rows : null,
    paired: null,
    note: null,
  };
  if (a.kind !== 'eval' || b.kind !== 'eval') {
    out.note =
      'Paired intervals need two evaluations of the same rows; these runs are compared by their headline numbers only.';
    return out;
  }
  if (!sameData) {
    out.note = `The runs scored different data (${a.data.file}, ${a.data.rows} rows vs ${b.data.file}, ${b.data.rows} rows): differences are not paired.`;
    return out;
  }
  const seed = opts.seed ?? a.seed;
  const bootstrap = opts.bootstrap ?? 200;
  const sa = await scoresOf(a.config.file, seed, control);
  const sb = await scoresOf(b.config.file, seed, control);
  if (sa.labels.length !== sb.labels.length || sa.labels.some((l, i) => l !== sb.labels[i])) {
    throw inputError(
      `Runs ${a.id} and ${b.id} read the same file but their rows differ now (labels do not match row for row). Check data.filter in both configs.`,
      { file: b.config.file },
    );
  }
  const p = await pairedMetricsOffThread(
    { labels: sa.labels, groups: sa.groups, groupCount: sa.groupCount, base: sa, variants: [[sb]], bootstrap, seed },
    control?.signal,
  );
  const v = p.variants[0];
  const neg = (ci: [number, number] | null | undefined): [number, number] | null => (ci ? [-ci[1], -ci[0]] : null);
  out.paired = {
    a: p.base,
    b: v.metrics,
    // pairedMetrics reports base - variant (LogLoss: variant - base); here b - a for all three.
    diff: { auc: -v.delta.auc, gauc: v.delta.gauc === null ? null : -v.delta.gauc, logloss: v.delta.logloss },
    ci: v.ci ? { auc: neg(v.ci.deltaAuc)!, gauc: neg(v.ci.deltaGauc), logloss: v.ci.deltaLogloss } : null,
    bootstrap,
    seed,
  };
  return out;
}
