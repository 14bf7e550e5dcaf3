/** `reclens eval`: score every evaluation row with the ranker and compute the base metrics. */
import type { RecLensConfig } from './config/types';
import { Batch, StreamStats, streamBatches } from './data/batches';
import { Materialized, reusedRows, RowCollector } from './data/materialize';
import { scoreBatches } from './model/batchScorer';
import { inputError } from './errors';
import type { BaseMetrics } from './metrics/baseMetrics';
import { InFlight } from './model/inFlight';
import { RemoteSession } from './model/remoteSession';
import { JobControl, report, throwIfCancelled } from './progress';
import { buildRunRecord, openJob, toProbabilities } from './job';
import type { Curves } from './metrics/curves';
import type { SortedScores } from './metrics/argsort';
import type { RunRecord } from './runs/runRecord';
import type { Workspace } from './workspace';
import { ComputeWorker, inSharedMemory, sliceMetricsPool } from './compute/offThread';
import { evalSlices, evalSlicesAside, withAutoSlices } from './slices/evalSlices';
import { autoSliceMasks } from './slices/auto';
import { StreamedKeyIds, streamedKeyIds } from './slices/keyIds';
import { configSliceMasks, SliceMask } from './slices/membership';
import type { KeyColumnIds } from './data/keys';
import type { SliceReport } from './slices/sliceMetrics';
import type { WarmSizes } from './compute/warmMemory';

export interface EvalOptions {
  limit?: number;
  seed?: number;
  bootstrap?: number;
  /** Overrides runtime.executionProviders. */
  providers?: RecLensConfig['runtime']['executionProviders'];
  batchSize?: number;
  /** Per-slice metrics (configured and automatic slices); default true. */
  slices?: boolean;
}

export interface Scored {
  labels: Uint8Array;
  scores: Float32Array;
  probs: Float32Array;
  groups?: Int32Array;
  groupCount: number;
  stats: StreamStats;
}

export interface EvalResult extends BaseMetrics {
  executionProvider: string;
  providerFallbacks: { provider: string; reason: string }[];
  seconds: number;
  missingKeys: Record<string, { missing: number; total: number }>;
  /** ROC and precision-recall curves (thinned) and the probability histogram by label; absent in older records. */
  curves?: Curves;
  /** Metrics per slice, paired against the whole (absent with --no-slices). */
  slices?: SliceReport;
}

/** Grows a typed array by doubling; the data's row count is known up front, so this rarely runs. */
function ensure<T extends Float32Array | Uint8Array | Int32Array>(a: T, n: number, make: (n: number) => T): T {
  if (a.length >= n) return a;
  const b = make(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

/** Batches that may wait at the inference worker while the next one is built. */
const MAX_IN_FLIGHT = 2;
/**
 * Bytes of decoded feeds held back while the model still loads. Decoding, not inference, bounds a cold eval (the
 * bench model scores 1M rows in ~0.6 s, decoding takes ~2.5 s), so the start's wait for the model (~1 s cold) is
 * spent decoding ahead: ~44 MovieLens batches of 8192 rows (2.9 MB each) fit.
 */
const MAX_AHEAD_BYTES = 128 * 2 ** 20;

/**
 * Scores all rows: the data stream builds batches on this thread while the inference worker scores earlier ones
 * (onnxruntime's run() blocks its thread, so it lives in the worker). `rs` may still be loading the model: the first
 * batches are decoded meanwhile (up to MAX_AHEAD_BYTES of feeds, then as many as may be in flight).
 */
export async function scoreWorkspace(
  ws: Workspace,
  rs: RemoteSession | Promise<RemoteSession>,
  opts: EvalOptions,
  control?: JobControl,
  collect?: RowCollector,
  /** Key columns numbered on the way (the automatic slices' user and item ids). */
  keyColumns?: KeyColumnIds[],
  /** Called with the labels and scores once the last batch is scored, before the spill and the checks finish. */
  onScored?: (labels: Uint8Array, scores: Float32Array) => void,
): Promise<Scored> {
  const batchSize = opts.batchSize ?? ws.batchSize;
  const total = Math.min(ws.data.rows, opts.limit ?? Infinity);
  if (total === 0) {
    throw inputError(
      `No evaluation rows in ${ws.config.data.path}${ws.config.data.filter ? ` after data.filter (${ws.config.data.filter})` : ''}${opts.limit === 0 ? ' (--limit 0)' : ''}. Point data.path at a file with rows.`,
      { file: ws.config.data.path, path: ['data', 'path'] },
    );
  }
  // In shared memory: the metrics workers read them without a copy.
  let labels = new Uint8Array(new SharedArrayBuffer(total)),
    scores = new Float32Array(new SharedArrayBuffer(total * 4)),
    groups = ws.plan.groupIndex !== undefined ? new Int32Array(new SharedArrayBuffer(total * 4)) : undefined;
  const stats: StreamStats = { rows: 0, groupKeys: [], missingKeys: {} };
  const flight = new InFlight(MAX_IN_FLIGHT);
  const session = Promise.resolve(rs);
  // Batches decoded while the model loads, sent in order once it has loaded (or failed to: they then fail too).
  let loaded = !(rs instanceof Promise);
  session.then(
    () => (loaded = true),
    () => (loaded = true),
  );
  const ahead: Batch[] = [];
  let aheadBytes = 0;
  const sendAhead = async () => {
    for (const b of ahead.splice(0)) await flight.push(send(b));
    aheadBytes = 0;
  };
  const send = (batch: Batch) =>
    session
      .then((r) =>
        r.run(
          batch.size,
          ws.plan.inputs.map((inp) => ({
            name: inp.name,
            dtype: inp.dtype,
            dims: inp.dims,
            data: batch.feeds.get(inp.name)!,
          })),
        ),
      )
      .then((s) => {
        scores = ensure(scores, batch.start + batch.size, (n) => new Float32Array(new SharedArrayBuffer(n * 4)));
        scores.set(s, batch.start);
        report(control, { phase: 'inference', done: batch.start + batch.size, total });
      });
  try {
    for await (const batch of streamBatches(ws.duck, ws.plan, batchSize, stats, control, opts.limit, keyColumns)) {
      throwIfCancelled(control);
      labels = ensure(labels, batch.start + batch.size, (n) => new Uint8Array(new SharedArrayBuffer(n)));
      labels.set(batch.labels, batch.start);
      if (groups && batch.groups) {
        groups = ensure(groups, batch.start + batch.size, (n) => new Int32Array(new SharedArrayBuffer(n * 4)));
        groups.set(batch.groups, batch.start);
      }
      await collect?.add(batch); // before the feeds are transferred (copied there: the spill writes them later)
      const bytes = [...batch.feeds.values()].reduce((s, f) => s + f.byteLength, 0);
      if (!loaded && aheadBytes + bytes <= MAX_AHEAD_BYTES) {
        ahead.push(batch);
        aheadBytes += bytes;
        continue;
      }
      await sendAhead();
      await flight.push(send(batch));
    }
    await sendAhead();
    await flight.drain();
  } catch (e) {
    collect?.abort();
    throw e;
  } finally {
    await flight.settle();
  }
  const n = stats.rows;
  if (n === 0) {
    collect?.abort();
    throw inputError(`No evaluation rows in ${ws.config.data.path}. Point data.path at a file with rows.`, {
      file: ws.config.data.path,
      path: ['data', 'path'],
    });
  }
  labels = labels.subarray(0, n);
  scores = scores.subarray(0, n);
  groups = groups?.subarray(0, n);
  onScored?.(labels, scores);
  await collect?.finishLater(stats);
  return checkScored(ws, { labels, scores, groups, groupCount: stats.groupKeys.length, stats });
}

/** Scores rows decoded by an earlier job (no file read). */
export async function scoreReused(
  ws: Workspace,
  rs: RemoteSession,
  mat: Materialized,
  opts: EvalOptions,
  control?: JobControl,
): Promise<Scored> {
  const scores = await scoreBatches(
    rs,
    mat.inputs,
    mat.rows,
    opts.batchSize ?? ws.batchSize,
    (inp, start, end) => mat.columns.read(inp.name, start, end),
    control,
    (done) => report(control, { phase: 'inference', done, total: mat.rows }),
  );
  return checkScored(ws, {
    labels: mat.labels,
    scores,
    groups: mat.groups,
    groupCount: mat.groupCount,
    stats: mat.stats,
  });
}

function checkScored(ws: Workspace, s: Omit<Scored, 'probs'>): Scored {
  const { labels, scores } = s;
  const n = labels.length;

  const probs = toProbabilities(ws.config, ws.outputName, scores);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i];
  if (positives === 0 || positives === n) {
    throw inputError(
      `All ${n} evaluation rows have label ${positives === 0 ? 0 : 1}; AUC needs both classes. Check data.label and data.filter.`,
      { file: ws.config.data.path, path: ['data', 'label'] },
    );
  }
  return { ...s, probs };
}

/**
 * The base metrics, curves and slice metrics of a scoring, in the workers started for them. With slices, one worker
 * sorts the scores once in shared memory and both take that order (no second sort); the base intervals then come
 * from the slices' bootstrap (the same draws), not a second one.
 */
async function evalMetrics(
  ws: Workspace,
  scored: Scored,
  workers: ComputeWorker[],
  aside: ReturnType<typeof evalSlicesAside> | undefined,
  streamKeys: StreamedKeyIds | undefined,
  /** The sort, when it was started as the last batch was scored. */
  sortedEarly: Promise<SortedScores> | undefined,
  opts: EvalOptions,
  control?: JobControl,
): Promise<{ metrics: BaseMetrics; curves?: Curves; slices?: SliceReport }> {
  const seed = opts.seed ?? 0;
  const B = opts.bootstrap ?? 0;
  const signal = control?.signal;
  // In shared memory (scored rows are, reused rows and probabilities are copied there): posted without a copy.
  const groups = scored.groups && inSharedMemory(scored.groups);
  const common = {
    labels: inSharedMemory(scored.labels),
    scores: inSharedMemory(scored.scores),
    probs: inSharedMemory(scored.probs),
    groups,
  };
  const rows = common.labels.length;
  // The slice metrics' log terms while the first worker sorts (the second is idle until the sort is in).
  const terms = aside ? workers[1].run('logTerms', { labels: common.labels, probs: common.probs }, signal) : undefined;
  terms?.catch(() => undefined); // awaited below; a slice error first must not leave it unhandled
  const sorted = aside
    ? (sortedEarly ?? workers[0].run('sortShared', { scores: common.scores, labels: common.labels }, signal))
    : undefined;
  sorted?.catch(() => undefined); // awaited below; a slice error first must not leave it unhandled
  const base = (async () =>
    workers[0].run(
      'base',
      {
        ...common,
        groupCount: scored.groupCount,
        bootstrap: aside ? 0 : B,
        seed,
        curves: true,
        sorted: await sorted,
      },
      signal,
    ))();
  base.catch(() => undefined);
  let slices: SliceReport | undefined;
  let wholeCi: BaseMetrics['ci'];
  if (aside) {
    report(control, { phase: 'slices', done: 0, total: 1 });
    const asideRead = await aside.done;
    let masks: { masks: SliceMask[]; notes: string[] } = asideRead;
    // Read for the data's row count; scoring found another (cannot happen unless the file changed): read again.
    if (masks.masks.some((m) => m.rows.length < rows))
      masks = streamKeys
        ? { masks: await configSliceMasks(ws.duck, ws.config, ws.plan.fromClause, rows, ws.data.rows), notes: [] }
        : await evalSlices(ws, rows);
    // The automatic slices from the keys the scoring stream numbered and the lookups read meanwhile (while the
    // worker sorts the scores).
    if (streamKeys && asideRead.lookups)
      masks = withAutoSlices(masks.masks, autoSliceMasks(asideRead.lookups, streamKeys.keys()));
    if (masks.masks.length || B > 0) {
      const pooled = await sliceMetricsPool(
        {
          ...common,
          groupCount: scored.groupCount,
          slices: masks.masks.map((m) => ({ ...m, rows: inSharedMemory(m.rows) })),
          bootstrap: B,
          seed,
          sorted: await sorted,
          terms: await terms,
        },
        masks.notes,
        signal,
        workers[1],
      );
      if (masks.masks.length) slices = pooled.report;
      wholeCi = pooled.whole;
    }
  }
  const { curves, ...metrics } = await base;
  if (wholeCi) {
    metrics.ci = wholeCi;
    metrics.bootstrap = { replicates: B, seed, unit: groups ? 'group' : 'row' };
  }
  return { metrics, curves, slices };
}

/**
 * The 1M-row arrays eval's metrics workers allocate after the last score (bootstrap 0), per worker: byte lengths for
 * warmMemory's prefault. With slices: the first sorts in shared memory (argsort.ts: keys, order and their two scatter
 * buffers, the ranked labels) and computes the base metrics (auc.ts byGroup: rows, scores, labels; curves.ts: two
 * count arrays); the second the log terms (shared) and prepareSlices' scratch codes, ranked probabilities,
 * membership words in row and score order, and with groups its byGroup and words in group order. Without slices one
 * worker sorts (not shared) and computes the base metrics. A size that does not come up is only memory touched early.
 */
export function tailBuffers(n: number, grouped: boolean, withSlices: boolean): WarmSizes[] {
  const w4 = 4 * n;
  const sort = [w4, w4, w4, w4, n];
  const byGroupBuffers = grouped ? [w4, w4, n] : [];
  const base = [...byGroupBuffers, w4, w4];
  if (!withSlices) return [{ plain: [...sort, ...base], shared: [] }];
  return [
    { plain: base, shared: sort },
    { plain: [w4, w4, w4, w4, ...byGroupBuffers, ...(grouped ? [w4] : [])], shared: [8 * n] },
  ];
}

export interface EvalRun {
  result: EvalResult;
  record: RunRecord<EvalResult>;
}

export async function evaluate(config: RecLensConfig, opts: EvalOptions = {}, control?: JobControl): Promise<EvalRun> {
  const t0 = performance.now();
  const seed = opts.seed ?? 0;
  report(control, { phase: 'open', done: 0, total: 1 });
  // The model loads in the inference worker while the workspace opens and the first batches decode (see openJob).
  const opened = await openJob(config, opts.providers);
  const { ws } = opened;
  let ms: RemoteSession | undefined; // set once the model has loaded: scoring cannot end before that
  const session = opened.session.then((r) => (ms = r));
  session.catch(() => undefined); // a failed load reaches the job through the batches that wait for it
  let reused: Materialized | undefined;
  try {
    const tOpen = performance.now();
    const withSlices = opts.slices !== false;
    const expected = Math.min(ws.data.rows, opts.limit ?? Infinity);
    // Rows decoded by an earlier job are scored from there; otherwise they are kept for the next job.
    reused = reusedRows(ws, opts.limit); // held until the finally below
    // The automatic slices' user and item keys come from the scoring stream when it reads the file (not with reused
    // rows, or where it cannot stand in for their own read); the rest of the slices' rows are read (a second DuckDB
    // connection) while the rows are scored: they need only the count.
    const streamKeys = withSlices && !reused ? streamedKeyIds(ws, expected) : undefined;
    const aside = withSlices ? evalSlicesAside(ws, expected, streamKeys !== undefined) : undefined;
    // The metrics workers start now, so their start-up overlaps the scoring: one for the base metrics and curves
    // (and the one sort both need), one for the slice metrics.
    const workers = withSlices ? [new ComputeWorker(), new ComputeWorker()] : [new ComputeWorker()];
    // Idle until the last score, they touch the buffers their tasks will allocate then (page faults of fresh memory
    // were ~0.2 s of the tail's critical path at 1M rows; compute/warmMemory.ts).
    tailBuffers(expected, ws.plan.groupIndex !== undefined, withSlices).forEach((sizes, k) =>
      workers[k].run('prefault', sizes, control?.signal).catch(() => undefined),
    );
    let scored: Scored;
    let metrics: BaseMetrics, curves: Curves | undefined;
    let slices: SliceReport | undefined;
    let tInfer: number;
    // With slices, the one sort both metrics workers read starts as soon as the last score is in (the spill, the
    // score checks, the probabilities and the slices' masks follow meanwhile). Scored rows are in shared memory.
    let sortedEarly: Promise<SortedScores> | undefined;
    const onScored = aside
      ? (labels: Uint8Array, scores: Float32Array) => {
          sortedEarly = workers[0].run('sortShared', { scores, labels }, control?.signal);
          sortedEarly.catch(() => undefined); // awaited by evalMetrics; a failed check first must not leave it unhandled
        }
      : undefined;
    try {
      try {
        throwIfCancelled(control);
        scored = reused
          ? await scoreReused(ws, await session, reused, opts, control)
          : await scoreWorkspace(
              ws,
              session,
              opts,
              control,
              new RowCollector(ws, opts.limit, true),
              streamKeys ? [streamKeys.users, streamKeys.items] : [],
              onScored,
            );
      } catch (e) {
        aside?.stop();
        await aside?.done.catch(() => undefined); // the read ends before the workspace closes
        throw e;
      } finally {
        // Closed before the metrics once it has run. After an error while onnxruntime still loads the model, the
        // worker closes itself when the load ends (never inside that native call) and the error is not held back.
        const closing = opened.session.then(
          (r) => r.close(),
          () => undefined,
        );
        if (ms) await closing;
      }
      tInfer = performance.now();
      report(control, { phase: 'metrics', done: 0, total: 1 });
      ({ metrics, curves, slices } = await evalMetrics(
        ws,
        scored,
        workers,
        aside,
        streamKeys,
        sortedEarly,
        opts,
        control,
      ));
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }
    const tEnd = performance.now();
    report(control, { phase: 'metrics', done: 1, total: 1 });
    const result: EvalResult = {
      ...metrics,
      ...(slices ? { slices } : {}),
      executionProvider: ms!.provider,
      providerFallbacks: ms!.fallbacks,
      seconds: (tEnd - t0) / 1000,
      missingKeys: scored.stats.missingKeys,
      curves,
    };
    const record = buildRunRecord(
      'eval',
      { config, ws, seed, rs: ms!, rows: scored.labels.length },
      {
        limit: opts.limit ?? null,
        bootstrap: opts.bootstrap ?? 0,
        batchSize: opts.batchSize ?? ws.batchSize,
      },
      {
        openSeconds: (tOpen - t0) / 1000,
        inferenceSeconds: (tInfer - tOpen) / 1000,
        metricsSeconds: (tEnd - tInfer) / 1000,
        totalSeconds: (tEnd - t0) / 1000,
      },
      result,
    );
    return { result, record };
  } finally {
    reused?.release();
    ws.close();
  }
}
