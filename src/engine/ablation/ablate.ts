/**
 * Mask and permute ablations (docs/metrics.md section 2). One baseline pass, then one pass per (target, method,
 * repeat): S targets x R repeats cost S*R (+S for mask) + 1 inference passes over rows built once.
 */
import type { RecLensConfig } from '../config/types';
import type { FeedArray } from '../data/batches';
import { buildRunRecord, JobContext, JobOptions, withJob } from '../job';
import { PairedMetricsWorker } from '../compute/offThread';
import { PassQueue, passQueueDepth } from '../model/batchScorer';
import { report } from '../progress';
import type { JobControl } from '../progress';
import type { RunRecord } from '../runs/runRecord';
import type { PermutedColumn, Permuter } from '../data/rowCache';
import { permutationWithinGroups, seededRandom } from '../util/random';
import { neutralRowFrom, repeatRow } from './neutral';
import { rowSegments } from './segments';
import { slicedPermutation } from './slicedPermutation';
import { restrictToSlice } from '../slices/restrict';
import { AblationTarget, neutralFor, resolveSlots, resolveTargets } from './slots';
import { tablePermuter, tableRowsOf } from './tablePermuter';

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
  return ctx.score(phase, maskedFeeds(ctx, target));
}

/** The target's inputs as their neutral row repeated (the other inputs as they are). */
function maskedFeeds(ctx: JobContext, target: AblationTarget): Replace {
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
  return (name, start, end) => {
    const row = rows.get(name);
    return row ? repeatRow(row, end - start) : undefined;
  };
}

type Replace = (input: string, start: number, end: number) => FeedArray | undefined;

/** The target's inputs with rows permuted by `repeat`'s seeded permutation (within groups when asked). */
function closePermuter(permuters: Map<string, Promise<Permuter>>, name: string): void {
  permuters
    .get(name)
    ?.then((p) => p.close())
    .catch(() => undefined);
  permuters.delete(name);
}

async function permutedFeeds(
  ctx: JobContext,
  target: AblationTarget,
  permuters: Map<string, Promise<Permuter>>,
  repeat: number,
  withinGroup: boolean,
): Promise<PassFeeds> {
  const rng = seededRandom(targetSeed(ctx.seed, target.name, repeat));
  // Drawn in slices (the next pass is prepared while this one is fed to the inference worker).
  const perm =
    withinGroup && ctx.mat.groups
      ? permutationWithinGroups(ctx.mat.groups, ctx.mat.groupCount, rng)
      : await slicedPermutation(ctx.mat.rows, rng);
  // The permuted inputs, read in row order (gathered in memory, or shuffled on disk when the rows are spilled).
  const permuted = new Map<string, PermutedColumn>();
  for (const name of target.inputs) permuted.set(name, (await permuters.get(name)!).permuted(perm));
  return {
    replace: (name, start, end) => permuted.get(name)?.read(start, end),
    close: () => {
      for (const p of permuted.values()) p.close();
    },
  };
}

/** What a pass replaces: its feeds, and close() once every batch is built. */
interface PassFeeds {
  replace: Replace;
  close(): void;
}

/**
 * Scores the baseline and every variant back to back through one queue of batches (model/batchScorer PassQueue): a
 * pass's first batches are built while the previous pass's last ones still run, and each pass is prepared (its
 * permutation drawn, a spilled column read on a libuv thread) while the pass before it scores. Each pass's scores
 * go to `done` in pass order as they complete.
 */
async function scoreAllPasses(
  ctx: JobContext,
  passes: { phase: string; prepare?: () => Promise<PassFeeds> }[],
  done: (pass: number, scores: Float32Array) => Promise<void>,
): Promise<void> {
  const depth = passQueueDepth(ctx.mat.inputs, ctx.batchSize);
  const queue = new PassQueue(ctx.rs, ctx.mat.inputs, ctx.mat.rows, ctx.batchSize, ctx.control, depth);
  const prepare = (i: number): Promise<PassFeeds | undefined> => {
    const p = passes[i]?.prepare?.() ?? Promise.resolve(undefined);
    p.catch(() => undefined); // awaited when its pass comes; closed in the finally below if it never does
    return p;
  };
  let current = -1;
  let next = prepare(0);
  let chain: Promise<void> = Promise.resolve();
  const delivered: Promise<void>[] = [];
  try {
    for (let i = 0; i < passes.length; i++) {
      const { phase } = passes[i];
      // At most two passes' scores wait for the metrics worker (each holds a score array of all rows).
      if (i >= 2) await delivered[i - 2];
      const f = await next;
      next = prepare(i + 1);
      ctx.pass();
      current = i;
      let queued: { scores: Promise<Float32Array> };
      try {
        queued = await queue.queue(
          (inp, start, end) => f?.replace(inp.name, start, end) ?? ctx.mat.columns.read(inp.name, start, end),
          // Only the newest pass reports: the last batches of the one before finish after the counter moved on.
          (n) => current === i && report(ctx.control, { phase, done: n, total: ctx.mat.rows }),
        );
      } finally {
        f?.close(); // every batch of the pass is built
      }
      chain = chain.then(async () => done(i, await queued.scores));
      chain.catch(() => undefined); // awaited below (or by the next passes); a failure stops the loop
      delivered.push(chain);
    }
    await queue.drain();
    await chain;
  } finally {
    await queue.settle();
    await chain.catch(() => undefined);
    await next.then((f) => f?.close()).catch(() => undefined);
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
    const meta: { target: AblationTarget; method: AblationMethod; repeats?: number }[] = [];
    const passList: Parameters<typeof scoreAllPasses>[1] = [{ phase: 'baseline' }];
    const variantOf: number[] = [-1];
    const permuters = new Map<string, Promise<Permuter>>();
    for (const target of targets) {
      if (method === 'mask' || method === 'both') {
        variantOf.push(meta.length);
        passList.push({
          phase: `mask ${target.name}`,
          prepare: async () => ({ replace: maskedFeeds(ctx, target), close: () => undefined }),
        });
        meta.push({ target, method: 'mask' });
      }
      if (method === 'permute' || method === 'both') {
        for (let r = 0; r < repeats; r++) {
          variantOf.push(meta.length);
          passList.push({
            phase: `permute ${target.name} (${r + 1})`,
            prepare: async () => {
              // One permuter per input for all repeats of the target (a spilled column is read once, not per repeat).
              // A table-backed input is gathered from its table by the rows' keys (tablePermuter.ts); the key read
              // waits for the segments' scan (one DuckDB connection runs one streaming query at a time).
              for (const name of target.inputs)
                if (!permuters.has(name))
                  permuters.set(
                    name,
                    segmentsRead
                      .catch(() => undefined)
                      .then(() => tableRowsOf(whole, name, restricted?.index))
                      .then((t) => (t ? tablePermuter(t) : ctx.mat.columns.permuter(name))),
                  );
              const f = await permutedFeeds(ctx, target, permuters, r, !!opts.withinGroup);
              return {
                replace: f.replace,
                close: () => {
                  f.close();
                  if (r === repeats - 1) for (const name of target.inputs) closePermuter(permuters, name);
                },
              };
            },
          });
        }
        meta.push({ target, method: 'permute', repeats });
      }
    }
    // Metrics are measured in the compute worker as each pass ends, overlapping the next passes' inference.
    let metrics: PairedMetricsWorker | undefined;
    try {
      await scoreAllPasses(ctx, passList, async (i, scores) => {
        if (!metrics) {
          const segments = await segmentsRead;
          metrics = new PairedMetricsWorker(
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
        }
        await metrics.add(variantOf[i], { scores, probs: ctx.probs(scores) });
      });
    } catch (e) {
      for (const name of [...permuters.keys()]) closePermuter(permuters, name);
      await segmentsRead.catch(() => undefined); // let the scan end before the workspace closes
      await metrics?.close();
      throw e;
    }
    const passes = passList.length;
    const tInfer = performance.now();
    const paired = await metrics!.finish();
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
