/** What every scoring job shares: an open workspace, its rows built once, an inference worker, and its run record. */
import * as path from 'path';
import type { ProviderName, RecLensConfig } from './config/types';
import { Materialized, materialize } from './data/materialize';
import { inputError } from './errors';
import { FeedBuilder, scoreBatches } from './model/batchScorer';
import { knownModelSha256, planModelLoad } from './model/modelCache';
import { RemoteSession } from './model/remoteSession';
import { sessionKey } from './model/sessionKeeper';
import { JobControl, report } from './progress';
import { assertReadableFile } from './util/safeFile';
import { fileFingerprint, fileStampOf, sha256 } from './runs/hash';
import { reproduceArgs } from './runs/reproduce';
import { newRunId, readPackageVersion, RunRecord } from './runs/runRecord';
import { openScoringWorkspace, Workspace } from './workspace';

export interface JobOptions {
  seed?: number;
  providers?: ProviderName[];
  batchSize?: number;
  limit?: number;
}

export interface JobContext {
  config: RecLensConfig;
  ws: Workspace;
  mat: Materialized;
  rs: RemoteSession;
  batchSize: number;
  seed: number;
  control?: JobControl;
  started: number;
  /** Announces how many passes over the rows the job makes, so progress reads "pass 12 / 37". */
  plan(steps: number): void;
  /** Starts the next pass (score() does this itself; a job that scores rows its own way calls it). */
  pass(): void;
  /** Scores all rows with some inputs replaced (feed returns undefined to keep an input as it is). */
  score(
    phase: string,
    replace?: (input: string, start: number, end: number) => ReturnType<FeedBuilder> | undefined,
  ): Promise<Float32Array>;
  probs(scores: Float32Array): Float32Array;
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Probabilities from raw outputs, checking they are finite (and in [0, 1] for probability outputs). */
export function toProbabilities(config: RecLensConfig, outputName: string, scores: Float32Array): Float32Array {
  const probs = new Float32Array(scores.length);
  const logit = config.model.outputKind === 'logit';
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (!Number.isFinite(s)) {
      throw inputError(
        `The model produced a ${Number.isNaN(s) ? 'NaN' : 'infinite'} score for data row ${i + 1} of ${config.data.path}. Look for NaN or extreme values in that row's inputs, or a numerically unstable model output.`,
        { file: config.data.path },
      );
    }
    if (logit) probs[i] = sigmoid(s);
    else if (s < 0 || s > 1) {
      throw inputError(
        `Output "${outputName}" gave ${s} for data row ${i + 1}, outside [0, 1], but model.outputKind is "probability". Set "outputKind": "logit" in reclens.json if the model outputs logits.`,
        { file: config.file, path: ['model'] },
      );
    } else probs[i] = s;
  }
  return probs;
}

/** A control whose progress events carry the job's pass counter once the job has planned its passes. */
function countingControl(control: JobControl | undefined) {
  let step = 0,
    steps: number | undefined;
  const wrapped: JobControl | undefined = control && {
    signal: control.signal,
    onProgress: (e) => control.onProgress?.(steps ? { ...e, step: Math.max(1, Math.min(step, steps)), steps } : e),
  };
  return {
    control: wrapped,
    plan: (n: number) => {
      steps = n;
    },
    pass: () => {
      step++;
    },
  };
}

/**
 * What identifies a file's contents between two looks at it without reading it (any write changes ctime): the stamp
 * of runs/hash.ts, in nanoseconds.
 */
export async function fileStamp(file: string): Promise<string | undefined> {
  return (await fileStampOf(file))?.stamp;
}

/** Throws unless the model file still has the stamp it had before RecLens and onnxruntime read it. */
export async function assertModelUnchanged(file: string, before: string | undefined): Promise<void> {
  const after = await fileStamp(file);
  if (before === undefined || after !== before)
    throw inputError(
      `Model file ${file} changed while RecLens opened it (it was written or replaced meanwhile). Run the job again once the file is complete.`,
      { file, field: 'model' },
    );
}

/** An open workspace, and the inference worker still loading the model (see openWorkspaceAndSession). */
export interface OpenedJob {
  ws: Workspace;
  /** Resolves once onnxruntime has loaded the model and the file is known unchanged. */
  session: Promise<RemoteSession>;
  /** Closes the session (once it has settled) and the workspace. */
  close(): Promise<void>;
}

/**
 * Opens the workspace and the inference worker at once: onnxruntime loads the model from its file (seconds for a
 * 200 MB ranker, on one core: its default pool runs one thread here) while openWorkspace reads, hashes and inspects
 * the same file on other threads and DuckDB opens the data; a job may go on to decode rows before the session is
 * ready. The run record's model sha256 is of the bytes openWorkspace read; the file's stamp (inode, size, mtime,
 * ctime) taken before onnxruntime opened it must equal the stamp after both finished, so the hash is of the model
 * that runs (a file rewritten meanwhile is an error).
 *
 * On a model-cache hit (a settled stamp whose hash and inspection are remembered, and onnxruntime loads the saved
 * graph or the job reuses a kept worker), neither onnxruntime nor the workspace reads the model file: the hash is
 * the remembered one, and the same stamp check after the session is ready proves the file is the one it was
 * remembered for (docs/performance.md, "Round 9").
 */
export async function openJob(
  config: RecLensConfig,
  providers: ProviderName[] | undefined,
  writable: readonly string[] = [],
): Promise<OpenedJob> {
  const file = config.model.path;
  // Checked before onnxruntime opens it: a FIFO would block its worker forever, a huge file would exhaust memory.
  await assertReadableFile(file, 'Model file');
  const stamped = await fileStampOf(file);
  const before = stamped?.stamp;
  const chain = providers ?? config.runtime.executionProviders;
  const threads = config.runtime.threads;
  // onnxruntime's optimised graph saved by an earlier job, or saved by this one (model/modelCache.ts).
  const cache = planModelLoad(config.dir, file, stamped, chain, threads);
  // The inference worker an earlier job of this process left idle for this model file, stamp and hash, if any
  // (model/sessionKeeper.ts). Only for a settled stamp, whose hash the model cache remembers.
  const keyFor = (sha: string) =>
    stamped?.settled
      ? sessionKey({
          file: path.resolve(file),
          stamp: stamped.stamp,
          sha256: sha,
          providers: chain,
          threads,
          output: config.model.output,
        })
      : undefined;
  const knownSha = stamped?.settled ? knownModelSha256(config.dir, file, stamped.stamp) : undefined;
  const keptKey = knownSha === undefined ? undefined : keyFor(knownSha);
  const kept = keptKey === undefined ? undefined : RemoteSession.reuse(keptKey);
  // With the saved graph or a kept worker, onnxruntime does not read the model file: neither does the workspace when
  // the model cache remembers its inspection (the stamp is checked again once the session is ready, below).
  // (cache.remembered is the memo's, as knownSha is: given only when a saved graph is there, i.e. for the CPU provider.)
  const remembered = kept || cache.files?.load ? cache.remembered : undefined;
  const opening = openScoringWorkspace(config, writable, remembered);
  const loading = kept
    ? Promise.resolve(kept)
    : RemoteSession.open(
        file,
        chain,
        threads,
        opening.then((ws) => ws.outputName),
        cache.files,
      );
  // onnxruntime may fail (a corrupt model) before the workspace has opened: handled below, never left unhandled.
  loading.catch(() => cache.abandon());
  let ws: Workspace;
  try {
    ws = await opening;
  } catch (e) {
    // The workspace's error names the file or field at fault; onnxruntime's own would only repeat it less clearly.
    // It is thrown at once: RemoteSession.open has rejected too (its output name was this workspace's), and the
    // worker ends by itself once onnxruntime has finished loading (never inside that native call).
    void loading
      .then(
        (rs) => rs.close(),
        () => undefined,
      )
      .finally(() => cache.abandon());
    throw e;
  }
  const session = loading.then(async (rs) => {
    try {
      // After both reads (the workspace's has finished: ws is open): the hash is of the model that runs.
      await assertModelUnchanged(file, before);
      const expected = kept ? knownSha : cache.expectedSha256;
      if (expected !== undefined && expected !== ws.onnx.sha256)
        throw inputError(
          `Model file ${file} changed while RecLens opened it (its contents no longer match the stamp it had). Run the job again.`,
          { file, field: 'model' },
        );
      cache.finish(ws.onnx, kept ? undefined : rs.modelCache);
      // The worker is kept for the next job on this model when this job closes it (sessionKeeper.ts).
      const key = keyFor(ws.onnx.sha256);
      if (key !== undefined) rs.keepOnClose(key);
      return rs;
    } catch (e) {
      cache.abandon();
      await rs.close();
      throw e;
    }
  });
  session.catch(() => undefined); // awaited by the job; a failure first elsewhere must not leave it unhandled
  return {
    ws,
    session,
    close: async () => {
      await session.then(
        (rs) => rs.close(),
        () => undefined,
      );
      ws.close();
    },
  };
}

/** openJob, waiting for the session too (a job that scores as soon as it has opened). */
export async function openWorkspaceAndSession(
  config: RecLensConfig,
  providers: ProviderName[] | undefined,
  writable: readonly string[] = [],
): Promise<{ ws: Workspace; rs: RemoteSession }> {
  const job = await openJob(config, providers, writable);
  try {
    return { ws: job.ws, rs: await job.session };
  } catch (e) {
    await job.close();
    throw e;
  }
}

export async function withJob<T>(
  config: RecLensConfig,
  opts: JobOptions,
  outerControl: JobControl | undefined,
  fn: (ctx: JobContext) => Promise<T>,
): Promise<T> {
  const started = performance.now();
  const counter = countingControl(outerControl);
  const control = counter.control;
  report(control, { phase: 'open', done: 0, total: 1 });
  // The model loads in the inference worker while the workspace opens and the rows are decoded (see openJob).
  const opened = await openJob(config, opts.providers);
  const { ws } = opened;
  let release: (() => void) | undefined;
  try {
    const mat = await materialize(ws, control, opts.limit);
    release = mat.release; // in the finally below: after the job's last pass, or its failure or cancellation
    if (mat.rows === 0)
      throw inputError(`No evaluation rows in ${config.data.path}. Point data.path at a file with rows.`, {
        file: config.file,
        path: ['data', 'path'],
      });
    const rs = await opened.session;
    const batchSize = opts.batchSize ?? ws.batchSize;
    const ctx: JobContext = {
      config,
      ws,
      mat,
      rs,
      batchSize,
      seed: opts.seed ?? 0,
      control,
      started,
      plan: counter.plan,
      pass: counter.pass,
      score: (phase, replace) => (
        counter.pass(),
        scoreBatches(
          rs,
          mat.inputs,
          mat.rows,
          batchSize,
          (inp, start, end) => replace?.(inp.name, start, end) ?? mat.columns.read(inp.name, start, end),
          control,
          (done) => report(control, { phase, done, total: mat.rows }),
        )
      ),
      probs: (scores) => toProbabilities(config, ws.outputName, scores),
    };
    return await fn(ctx);
  } finally {
    release?.();
    await opened.close();
  }
}

/** The provider that ran a job and the ones skipped before it (a RemoteSession, or a kNN result). */
export interface RanOn {
  provider: string;
  fallbacks: { provider: string; reason: string }[];
}

export function buildRunRecord<R>(
  kind: string,
  ctx: Pick<JobContext, 'config' | 'ws' | 'seed'> & { rs: RanOn; rows: number },
  options: Record<string, unknown>,
  timings: Record<string, number>,
  results: R,
): RunRecord<R> {
  const { config, ws } = ctx;
  return {
    version: 1,
    id: newRunId(kind),
    kind,
    createdAt: new Date().toISOString(),
    reclens: readPackageVersion(),
    config: { file: config.file, sha256: sha256(JSON.stringify(config.raw)), name: config.name },
    model: { file: config.model.path, sha256: ws.onnx.sha256 },
    data: { file: config.data.path, ...fileFingerprint(config.data.path), rows: ctx.rows },
    seed: ctx.seed,
    options,
    executionProvider: ctx.rs.provider,
    providerFallbacks: ctx.rs.fallbacks,
    timings,
    results,
    invocation: reproduceArgs(kind, config.file, ctx.seed, options),
    ...(ws.warnings.length ? { warnings: ws.warnings.map((w) => w.message) } : {}),
  };
}
