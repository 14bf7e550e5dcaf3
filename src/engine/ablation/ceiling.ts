/**
 * Slot ceiling (docs/metrics.md 3a): for each row, the label picks the candidate value of the slot that pushes the
 * frozen ranker furthest in its favour (max score for positives, min for negatives). The oracle AUC is the best any
 * assignment of candidate values can reach. Cost K x n inferences per slot, sent as calls of
 * floor(batch / K) rows x K candidates, the shape that keeps a GPU busy.
 */
import type { RecLensConfig } from '../config/types';
import type { FeedArray } from '../data/batches';
import { buildRunRecord, JobContext, JobOptions, withJob } from '../job';
import { InFlight } from '../model/inFlight';
import { auc } from '../metrics/auc';
import { JobControl, report, throwIfCancelled } from '../progress';
import type { RunRecord } from '../runs/runRecord';
import { permutation, seededRandom } from '../util/random';
import { scoreMasked, targetSeed } from './ablate';
import { AblationTarget, resolveSlots, resolveTargets } from './slots';

export interface CeilingOptions extends JobOptions {
  slots?: string[];
  candidates?: number;
}

export interface CeilingRow {
  slot: string;
  inputs: string[];
  candidates: number;
  aucFull: number;
  aucMask: number;
  aucOracle: number;
  ceiling: number;
  realised: number;
  efficiency: number | null;
}

export interface CeilingResult {
  rows: number;
  results: CeilingRow[];
  executionProvider: string;
  inferences: number;
  seconds: number;
}

/** K distinct values of the target's inputs, drawn from the data's rows in a seeded order. */
export function drawCandidates(ctx: JobContext, target: AblationTarget, k: number): Map<string, FeedArray> {
  const order = permutation(ctx.mat.rows, seededRandom(targetSeed(ctx.seed, `ceiling:${target.name}`, 0)));
  const inputs = ctx.mat.inputs.filter((i) => target.inputs.includes(i.name));
  const seen = new Set<string>();
  const chosen: number[] = [];
  for (let i = 0; i < order.length && chosen.length < k; i++) {
    const r = order[i];
    const key = inputs
      .map((inp) => Array.from(ctx.mat.columns.read(inp.name, r, r + 1) as ArrayLike<number | bigint>).join(','))
      .join('|');
    if (seen.has(key)) continue;
    seen.add(key);
    chosen.push(r);
  }
  const out = new Map<string, FeedArray>();
  for (const inp of inputs) {
    const rows = chosen.map((r) => ctx.mat.columns.read(inp.name, r, r + 1));
    const Ctor = rows[0].constructor as new (n: number) => FeedArray;
    const block = new Ctor(chosen.length * inp.width);
    rows.forEach((row, c) => (block as Float32Array).set(row as Float32Array, c * inp.width));
    out.set(inp.name, block);
  }
  return out;
}

/** Oracle scores: per row, max over candidates if positive, min if negative. */
async function oracleScores(
  ctx: JobContext,
  target: AblationTarget,
  candidates: Map<string, FeedArray>,
  k: number,
): Promise<Float32Array> {
  const { mat, rs } = ctx;
  const rowsPerCall = Math.max(1, Math.floor(ctx.batchSize / k));
  const oracle = new Float32Array(mat.rows);
  const flight = new InFlight();
  try {
    for (let start = 0; start < mat.rows; start += rowsPerCall) {
      throwIfCancelled(ctx.control);
      const end = Math.min(mat.rows, start + rowsPerCall);
      const m = end - start;
      const feeds = mat.inputs.map((inp) => {
        const cand = candidates.get(inp.name) as Float32Array | undefined;
        const col = cand ? undefined : mat.columns.read(inp.name, start, end);
        const Ctor = (cand ?? col!).constructor as new (n: number) => FeedArray;
        const data = new Ctor(m * k * inp.width) as Float32Array;
        for (let r = 0; r < m; r++) {
          if (cand) data.set(cand, r * k * inp.width);
          else {
            const row = (col as Float32Array).subarray(r * inp.width, (r + 1) * inp.width);
            for (let c = 0; c < k; c++) data.set(row, (r * k + c) * inp.width);
          }
        }
        return { name: inp.name, dtype: inp.dtype, dims: inp.dims, data: data as FeedArray };
      });
      await flight.push(
        rs.run(m * k, feeds).then((s) => {
          for (let r = 0; r < m; r++) {
            const positive = mat.labels[start + r] === 1;
            let best = s[r * k];
            for (let c = 1; c < k; c++) {
              const v = s[r * k + c];
              if (positive ? v > best : v < best) best = v;
            }
            oracle[start + r] = best;
          }
          report(ctx.control, { phase: `ceiling ${target.name}`, done: end, total: mat.rows });
        }),
      );
    }
    await flight.drain();
  } finally {
    await flight.settle();
  }
  return oracle;
}

export async function ceiling(
  config: RecLensConfig,
  opts: CeilingOptions = {},
  control?: JobControl,
): Promise<{ result: CeilingResult; record: RunRecord<CeilingResult> }> {
  const k = Math.max(2, opts.candidates ?? 32);
  return withJob(config, opts, control, async (ctx) => {
    const slots = resolveSlots(
      config,
      ctx.mat.inputs.map((i) => i.name),
    );
    const targets = resolveTargets(slots, opts.slots);
    ctx.plan(1 + 2 * targets.length);
    const full = await ctx.score('baseline');
    ctx.probs(full); // validates the scores (finite, in range)
    const aucFull = auc(ctx.mat.labels, full);
    let inferences = ctx.mat.rows;
    const results: CeilingRow[] = [];
    for (const target of targets) {
      const masked = await scoreMasked(ctx, target);
      const candidates = drawCandidates(ctx, target, k);
      const kk =
        candidates.values().next().value!.length / ctx.mat.inputs.find((i) => i.name === target.inputs[0])!.width;
      ctx.pass();
      const oracle = await oracleScores(ctx, target, candidates, kk);
      inferences += ctx.mat.rows * (kk + 1);
      const aucMask = auc(ctx.mat.labels, masked);
      const aucOracle = auc(ctx.mat.labels, oracle);
      const ceil = aucOracle - aucMask;
      const realised = aucFull - aucMask;
      results.push({
        slot: target.name,
        inputs: target.inputs,
        candidates: kk,
        aucFull,
        aucMask,
        aucOracle,
        ceiling: ceil,
        realised,
        efficiency: Math.abs(ceil) > 1e-12 ? realised / ceil : null,
      });
    }
    const tEnd = performance.now();
    const result: CeilingResult = {
      rows: ctx.mat.rows,
      results,
      executionProvider: ctx.rs.provider,
      inferences,
      seconds: (tEnd - ctx.started) / 1000,
    };
    const record = buildRunRecord(
      'ceiling',
      { ...ctx, rows: ctx.mat.rows },
      { slots: opts.slots ?? null, candidates: k, limit: opts.limit ?? null },
      { totalSeconds: (tEnd - ctx.started) / 1000 },
      result,
    );
    return { result, record };
  });
}
