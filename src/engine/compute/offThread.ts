/** Runs heavy JavaScript tasks in a worker thread so the extension host (or the CLI's event loop) never stalls. */
import * as path from 'path';
import { Worker } from 'worker_threads';
import { CancelledError } from '../errors';
import type { MetricsInput } from '../metrics/baseMetrics';
import type { PairedInput, PairedResult, PairedSetup, Scoring } from '../metrics/paired';
import * as os from 'os';
import type { PairedMessage } from './worker';
import { mergeCrossFit, type CrossFitInput, type CrossFitOutput } from '../lis/crossFit';
import { finishSlices, wholeIntervals, type SliceMetricsInput, type SliceReport } from '../slices/sliceMetrics';
import type { UmapInput } from '../embedding/umap';
import type { ComputeReply, ComputeTaskName, TaskCall, TaskInput, TaskResult } from './tasks';

/** Runs one task of the compute worker in a fresh worker thread; its input and result types come from WorkerTasks. */
export function runTask<K extends ComputeTaskName>(
  task: K,
  input: TaskInput<K>,
  signal?: AbortSignal,
  onProgress?: (done: number, total: number) => void,
): Promise<TaskResult<K>> {
  const worker = new Worker(path.join(__dirname, 'worker.js'));
  const ended = callWorker(worker, task, input, signal, onProgress);
  void ended.then(
    () => worker.terminate(),
    () => worker.terminate(),
  );
  return ended;
}

/** One call to a compute worker: posts the task and settles with its reply (cancel: the worker is terminated). */
function callWorker<K extends ComputeTaskName>(
  worker: Worker,
  task: K,
  input: TaskInput<K>,
  signal?: AbortSignal,
  onProgress?: (done: number, total: number) => void,
): Promise<TaskResult<K>> {
  return new Promise((resolve, reject) => {
    const done = () => {
      signal?.removeEventListener('abort', onAbort);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onAbort = () => {
      done();
      void worker.terminate();
      reject(new CancelledError());
    };
    const onMessage = (msg: ComputeReply<K>) => {
      if ('progress' in msg) {
        onProgress?.(msg.progress.done, msg.progress.total);
        return;
      }
      done();
      if (msg.ok) resolve(msg.result);
      else reject(new Error(`compute worker failed: ${msg.error}`));
    };
    const onError = (e: Error) => {
      done();
      reject(e);
    };
    const onExit = () => {
      done();
      reject(new Error(`compute worker ended before the ${task} task finished`));
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.once('exit', onExit);
    // Copies (not transfers) so the caller keeps its arrays; a few MB per million rows (none for shared memory).
    worker.postMessage({ task, input } as TaskCall<K>);
  });
}

export const computeBaseMetricsOffThread = (input: MetricsInput, signal?: AbortSignal) =>
  runTask('base', input, signal);
export const pairedMetricsOffThread = (input: PairedInput, signal?: AbortSignal) => runTask('paired', input, signal);
export const crossFitOffThread = (input: CrossFitInput, signal?: AbortSignal) => runTask('crossFit', input, signal);

/**
 * The cross-fit with its splits dealt round-robin over a pool of compute workers (one per core, at most 4, at
 * most one per split): splits are independent (own folds, own seeded draws), so the merged result is the same as
 * one worker's. RECLENS_WORKERS overrides the pool size.
 */
export async function crossFitPool(input: CrossFitInput, signal?: AbortSignal): Promise<CrossFitOutput> {
  const size = poolSize(input.splits);
  if (size === 1) return crossFitOffThread(input, signal);
  const shares = Array.from({ length: size }, (_, w) =>
    Array.from({ length: input.splits }, (_, s) => s).filter((s) => s % size === w),
  );
  const outs = await Promise.all(shares.map((only) => crossFitOffThread({ ...input, only }, signal)));
  return mergeCrossFit(
    shares.map((only, k) => ({ only, out: outs[k] })),
    input.splits,
  );
}
export const sliceMetricsOffThread = (input: SliceMetricsInput, notes: string[], signal?: AbortSignal) =>
  runTask('slices', { input, notes }, signal);
export const pcaOffThread = (x: Float32Array, rows: number, dim: number, components: number, signal?: AbortSignal) =>
  runTask('pca', { x, rows, dim, components }, signal);
export const umapOffThread = (
  input: UmapInput,
  signal?: AbortSignal,
  onProgress?: (done: number, total: number) => void,
) => runTask('umap', input, signal, onProgress);

/**
 * Paired metrics computed in the compute worker while inference goes on: each scoring is transferred (not copied)
 * as soon as it exists and measured there, so neither thread holds every variant's scores. add() waits while
 * `depth` scorings are queued, which bounds memory when metrics are slower than inference.
 */
export class PairedMetricsWorker {
  private seq = 0;
  private acked = 0;
  private waiting: (() => void) | undefined;
  private failure: Error | undefined;
  private finished: { resolve: (r: PairedResult) => void; reject: (e: Error) => void } | undefined;
  private readonly worker: Worker;
  private readonly onAbort = () => this.fail(new CancelledError());

  constructor(
    setup: PairedSetup,
    private readonly signal?: AbortSignal,
    private readonly depth = 2,
  ) {
    this.worker = new Worker(path.join(__dirname, 'worker.js'));
    signal?.addEventListener('abort', this.onAbort, { once: true });
    this.worker.on('message', (msg: { ack?: number; ok?: boolean; result?: PairedResult; error?: string }) => {
      if (msg.ack !== undefined) {
        this.acked = msg.ack + 1;
        this.wake();
        return;
      }
      if (msg.ok) this.finished?.resolve(msg.result!);
      else this.fail(new Error(`compute worker failed: ${msg.error}`));
    });
    this.worker.once('error', (e) => this.fail(e));
    this.post({ session: 'paired', op: 'open', setup });
  }

  private post(msg: PairedMessage, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(msg, transfer);
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    this.finished?.reject(e);
    this.wake();
    void this.close();
  }

  /** Sends the base scoring (variant -1) or one repeat of variant v; the arrays are transferred, so the caller loses them. */
  async add(variant: number, scoring: Scoring): Promise<void> {
    if (this.failure) throw this.failure;
    const transfer = [...new Set([scoring.scores.buffer, scoring.probs.buffer] as ArrayBuffer[])];
    this.post({ session: 'paired', op: 'add', seq: this.seq++, variant, scoring }, transfer);
    while (!this.failure && this.seq - this.acked > this.depth)
      await new Promise<void>((r) => {
        this.waiting = r;
      });
    if (this.failure) throw this.failure;
  }

  async finish(): Promise<PairedResult> {
    if (this.failure) throw this.failure;
    const result = new Promise<PairedResult>((resolve, reject) => {
      this.finished = { resolve, reject };
    });
    this.post({ session: 'paired', op: 'finish' });
    try {
      return await result;
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    this.signal?.removeEventListener('abort', this.onAbort);
    await this.worker.terminate();
  }
}

/** Compute workers for a pool: one per core, at most 4 (RECLENS_WORKERS overrides), at most `jobs`. */
function poolSize(jobs: number): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(jobs, Number(process.env.RECLENS_WORKERS) || Math.min(cores, 4)));
}

/**
 * Slice metrics with the bootstrap's replicates split over a pool of compute workers: one worker (`on`, when the
 * caller started one ahead) sorts and
 * measures once and hands back the replicate units in shared memory; each pool worker scores a contiguous range of
 * replicates (replaying the seeded draws before it), so the merged intervals are those of one worker. `whole`: the
 * whole's intervals from the same replicates (eval's base ci), when there is a bootstrap.
 */
export async function sliceMetricsPool(
  input: SliceMetricsInput,
  notes: string[],
  signal?: AbortSignal,
  on?: ComputeWorker,
): Promise<{ report: SliceReport; whole?: ReturnType<typeof wholeIntervals> }> {
  const B = input.bootstrap;
  const call = <K extends ComputeTaskName>(task: K, a: TaskInput<K>) =>
    on ? on.run(task, a, signal) : runTask(task, a, signal);
  if (B <= 0) return { report: await call('slices', { input, notes }) };
  const size = poolSize(B);
  const { report, boot } = await call('slicesPrepare', { input, notes });
  if (!boot) return { report };
  const ranges = Array.from({ length: size }, (_, w) => [Math.floor((w * B) / size), Math.floor(((w + 1) * B) / size)]);
  const values = await Promise.all(ranges.map(([from, to]) => runTask('sliceReplicates', { boot, from, to }, signal)));
  return { report: finishSlices(report, values), whole: wholeIntervals(values, input.groups !== undefined) };
}

/**
 * A compute worker started before its tasks are known, so that its start-up (loading the engine's modules, a few
 * tenths of a second) overlaps other work: eval starts two while the rows are scored. Tasks run one after another;
 * close() ends the worker (also after a failure or cancel).
 */
export class ComputeWorker {
  private readonly worker = new Worker(path.join(__dirname, 'worker.js'));
  private queue: Promise<unknown> = Promise.resolve();
  private ended = false;

  constructor() {
    this.worker.on('error', () => undefined); // reported to the task running then; idle, the next call fails
    this.worker.once('exit', () => (this.ended = true));
  }

  run<K extends ComputeTaskName>(task: K, input: TaskInput<K>, signal?: AbortSignal): Promise<TaskResult<K>> {
    const result = this.queue.then(() => {
      if (this.ended) throw new Error(`compute worker ended before the ${task} task started`);
      return callWorker(this.worker, task, input, signal);
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/** The array itself when it lives in shared memory, else a copy there: posted to workers without a copy. */
export function inSharedMemory<T extends Uint8Array | Int32Array | Float32Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const out = new (a.constructor as { new (b: SharedArrayBuffer): T })(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}
