/** What every scoring job shares: an open workspace, its rows built once, an inference worker, and its run record. */
import type { ProviderName, RecLensConfig } from './config/types';
import { Materialized, materialize } from './data/materialize';
import { inputError } from './errors';
import { FeedBuilder, scoreBatches } from './model/batchScorer';
import { RemoteSession } from './model/remoteSession';
import { JobControl, report } from './progress';
import { fileFingerprint, sha256 } from './runs/hash';
import { reproduceArgs } from './runs/reproduce';
import { newRunId, readPackageVersion, RunRecord } from './runs/runRecord';
import { openWorkspace, Workspace } from './workspace';

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
  const ws = await openWorkspace(config);
  try {
    const mat = await materialize(ws, control, opts.limit);
    if (mat.rows === 0)
      throw inputError(`No evaluation rows in ${config.data.path}. Point data.path at a file with rows.`, {
        file: config.file,
        path: ['data', 'path'],
      });
    const rs = await RemoteSession.open(
      config.model.path,
      opts.providers ?? config.runtime.executionProviders,
      config.runtime.threads,
      ws.outputName,
    );
    const batchSize = opts.batchSize ?? config.runtime.batchSize;
    try {
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
      await rs.close();
    }
  } finally {
    ws.close();
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
