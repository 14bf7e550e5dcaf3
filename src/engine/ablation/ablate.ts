/**
 * Mask and permute ablations (docs/metrics.md section 2). One baseline pass, then one pass per (target, method,
 * repeat): S targets x R repeats cost S*R (+S for mask) + 1 inference passes over rows built once.
 */
import type { RecLensConfig } from '../config/types';
import type { FeedArray } from '../data/batches';
import { buildRunRecord, JobContext, JobOptions, withJob } from '../job';
import { PairedMetricsWorker } from '../compute/offThread';
import type { JobControl } from '../progress';
import type { RunRecord } from '../runs/runRecord';
import { permutation, permutationWithinGroups, seededRandom } from '../util/random';
import { neutralRowFrom, repeatRow } from './neutral';
import { rowSegments } from './segments';
import { restrictToSlice } from '../slices/restrict';
import { AblationTarget, neutralFor, resolveSlots, resolveTargets } from './slots';

export type AblationMethod = 'mask' | 'permute';

export interface AblateOptions extends JobOptions {
  slots?: string[];
  method?: AblationMethod | 'both';
  repeats?: number;
  withinGroup?: boolean;
  bootstrap?: number;
  /** Restrict to one slice's rows (a name under reclens.json `slices`, or an automatic "auto:..." slice). */
  slice?: string;
}

export interface AblationRow {
  slot: string;
  method: AblationMethod;
  inputs: string[];
  auc: number;
  gauc: number | null;
  logloss: number;
  deltaAuc: number;
  deltaGauc: number | null;
  deltaLogloss: number;
  ci?: { deltaAuc: [number, number]; deltaGauc: [number, number] | null; deltaLogloss: [number, number] };
  repeats?: number;
  /** Standard deviation of the ablated AUC over permutation repeats. */
  aucSd?: number;
}

export interface AblationResult {
  rows: number;
  baseline: { auc: number; gauc: number | null; logloss: number };
  results: AblationRow[];
  bootstrap: { replicates: number; seed: number; unit: 'group' | 'row' } | null;
  executionProvider: string;
  inferencePasses: number;
  seconds: number;
  /** The slice the ablation was restricted to, if any. */
  slice?: string;
  /** AUC impact within cold / warm / hot items and users (point estimates; permutations averaged over repeats). */
  segments?: {
    name: string;
    buckets: {
      bucket: string;
      rows: number;
      baselineAuc: number;
      results: { slot: string; method: AblationMethod; deltaAuc: number }[];
    }[];
  }[];
}

/** A stable small integer from a string, to derive per-target seeds from the run seed. */
function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function targetSeed(seed: number, target: string, repeat: number): number {
  return (Math.imul(seed + 1, 0x9e3779b1) ^ hash(target) ^ Math.imul(repeat + 1, 0x85ebca6b)) >>> 0;
}

/** Scores with the target's inputs masked to their neutral values. */
export async function scoreMasked(
  ctx: JobContext,
  target: AblationTarget,
  phase = `mask ${target.name}`,
): Promise<Float32Array> {
  const rows = new Map<string, FeedArray>();
  for (const inp of ctx.mat.inputs) {
    if (target.inputs.includes(inp.name))
      rows.set(
        inp.name,
        neutralRowFrom(
          inp,
          (start, end) => ctx.mat.columns.read(inp.name, start, end),
          ctx.mat.rows,
          neutralFor(target, inp.name),
        ),
      );
  }
  return ctx.score(phase, (name, start, end) => {
    const row = rows.get(name);
    return row ? repeatRow(row, end - start) : undefined;
  });
}

async function scorePermuted(
  ctx: JobContext,
  target: AblationTarget,
  repeat: number,
  withinGroup: boolean,
): Promise<Float32Array> {
  const rng = seededRandom(targetSeed(ctx.seed, target.name, repeat));
  const perm =
    withinGroup && ctx.mat.groups
      ? permutationWithinGroups(ctx.mat.groups, ctx.mat.groupCount, rng)
      : permutation(ctx.mat.rows, rng);
  // The permuted inputs, read in row order (gathered in memory, or shuffled on disk when the rows are spilled).
  const permuted = new Map(target.inputs.map((name) => [name, ctx.mat.columns.permuted(name, perm)]));
  try {
    return await ctx.score(`permute ${target.name} (${repeat + 1})`, (name, start, end) =>
      permuted.get(name)?.read(start, end),
    );
  } finally {
    for (const p of permuted.values()) p.close();
  }
}

export async function ablate(
  config: RecLensConfig,
  opts: AblateOptions = {},
  control?: JobControl,
): Promise<{ result: AblationResult; record: RunRecord<AblationResult> }> {
  const method = opts.method ?? 'both';
  const repeats = Math.max(1, opts.repeats ?? 5);
  const bootstrap = opts.bootstrap ?? 200;
  return withJob(config, opts, control, async (whole) => {
    const restricted = opts.slice ? await restrictToSlice(whole, opts.slice) : undefined;
    const ctx = restricted?.ctx ?? whole;
    const slots = resolveSlots(
      config,
      ctx.mat.inputs.map((i) => i.name),
    );
    const targets = resolveTargets(slots, opts.slots);
    const t0 = performance.now();
    ctx.plan(1 + targets.length * ((method !== 'permute' ? 1 : 0) + (method !== 'mask' ? repeats : 0)));
    // The segments' key scan (DuckDB) runs while the baseline pass scores, instead of before it.
    const segmentsRead = restricted
      ? rowSegments(whole).then((segs) =>
          segs.map((s) => ({ ...s, of: Uint8Array.from(restricted.index, (r) => s.of[r]) })),
        )
      : rowSegments(ctx);
    segmentsRead.catch(() => undefined); // observed (awaited) after the baseline; no unhandled rejection meanwhile
    let baseline: Float32Array;
    try {
      baseline = await ctx.score('baseline');
    } catch (e) {
      await segmentsRead.catch(() => undefined); // let the scan end before the workspace closes
      throw e;
    }
    const segments = await segmentsRead;
    // Metrics are measured in the compute worker as each pass ends, overlapping the next pass's inference.
    const metrics = new PairedMetricsWorker(
      {
        labels: ctx.mat.labels,
        groups: ctx.mat.groups,
        groupCount: ctx.mat.groupCount,
        bootstrap,
        seed: ctx.seed,
        segments,
      },
      control?.signal,
    );
    let passes = 1;
    const meta: { target: AblationTarget; method: AblationMethod; repeats?: number }[] = [];
    try {
      const send = async (variant: number, scores: Float32Array) =>
        metrics.add(variant, { scores, probs: ctx.probs(scores) });
      await send(-1, baseline);
      for (const target of targets) {
        if (method === 'mask' || method === 'both') {
          await send(meta.length, await scoreMasked(ctx, target));
          meta.push({ target, method: 'mask' });
          passes++;
        }
        if (method === 'permute' || method === 'both') {
          for (let r = 0; r < repeats; r++) {
            await send(meta.length, await scorePermuted(ctx, target, r, !!opts.withinGroup));
            passes++;
          }
          meta.push({ target, method: 'permute', repeats });
        }
      }
    } catch (e) {
      await metrics.close();
      throw e;
    }
    const tInfer = performance.now();
    const paired = await metrics.finish();
    const tEnd = performance.now();
    const results: AblationRow[] = paired.variants.map((v, i) => {
      const m = meta[i];
      const row: AblationRow = {
        slot: m.target.name,
        method: m.method,
        inputs: m.target.inputs,
        auc: v.metrics.auc,
        gauc: v.metrics.gauc,
        logloss: v.metrics.logloss,
        deltaAuc: v.delta.auc,
        deltaGauc: v.delta.gauc,
        deltaLogloss: v.delta.logloss,
        ci: v.ci,
      };
      if (m.method === 'permute') {
        const mean = v.repeatAucs.reduce((a, b) => a + b, 0) / v.repeatAucs.length;
        row.repeats = m.repeats;
        row.aucSd = Math.sqrt(
          v.repeatAucs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, v.repeatAucs.length - 1),
        );
      }
      return row;
    });
    const result: AblationResult = {
      rows: ctx.mat.rows,
      baseline: paired.base,
      results,
      bootstrap:
        bootstrap > 0 ? { replicates: bootstrap, seed: ctx.seed, unit: ctx.mat.groups ? 'group' : 'row' } : null,
      executionProvider: ctx.rs.provider,
      inferencePasses: passes,
      ...(opts.slice ? { slice: opts.slice } : {}),
      seconds: (tEnd - ctx.started) / 1000,
      segments: paired.segments?.map((seg) => ({
        name: seg.name,
        buckets: seg.buckets.map((b) => ({
          bucket: b.bucket,
          rows: b.rows,
          baselineAuc: b.baseAuc,
          results: b.variantAucs.map((a, i) => ({
            slot: meta[i].target.name,
            method: meta[i].method,
            deltaAuc: b.baseAuc - a,
          })),
        })),
      })),
    };
    const record = buildRunRecord(
      'ablate',
      { ...ctx, rows: ctx.mat.rows },
      {
        slots: opts.slots ?? null,
        slice: opts.slice ?? null,
        method,
        repeats,
        withinGroup: !!opts.withinGroup,
        bootstrap,
        limit: opts.limit ?? null,
      },
      {
        inferenceSeconds: (tInfer - t0) / 1000,
        metricsSeconds: (tEnd - tInfer) / 1000,
        totalSeconds: (tEnd - ctx.started) / 1000,
      },
      result,
    );
    return { result, record };
  });
}
