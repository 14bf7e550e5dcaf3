/** An onnxruntime session in a worker thread: inputs go over by transfer, outputs come back; the caller never blocks. */
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { ProviderName } from '../config/types';
import { RecLensError } from '../errors';
import { clearFeedPool, recycleFeedBuffers } from '../data/feedPool';
import { scoresFromOutput } from './infer';
import type { ProviderFallback } from './session';
import type { ModelCacheFiles, ModelCacheUse } from './modelCache';
import type { WorkerError, WorkerFeed, WorkerInit, WorkerReply, WorkerRequest } from './inferenceWorkerMain';
import type { TaskResult } from '../compute/tasks';
import { Keepable, keepIdle, takeKept } from './sessionKeeper';

function revive(e: WorkerError): Error {
  if (e.name === 'RecLensError')
    return new RecLensError((e.kind ?? 'input') as 'input', e.message, (e.where ?? {}) as object);
  return new Error(e.message);
}

export class RemoteSession {
  private nextId = 0;
  private readonly pending = new Map<
    number,
    { resolve: (o: TaskResult<'infer'>) => void; reject: (e: Error) => void }
  >();
  private failure: Error | undefined;
  /** Whether the model came from the saved-graph cache or was saved to it (model/modelCache.ts); set by open(). */
  modelCache?: ModelCacheUse;
  /** How many jobs used this worker before this one (model/sessionKeeper.ts: 0 for a fresh worker). */
  reuses = 0;
  /** The key under which close() hands the worker to the keeper instead of ending it (see keepOnClose). */
  private keepKey: string | undefined;
  private closed = false;
  /** This object's listeners on the worker, removed when the worker is handed on to the next job. */
  private readonly listeners: [string, (...a: unknown[]) => void][] = [];

  private constructor(
    private readonly worker: Worker,
    readonly provider: ProviderName,
    readonly fallbacks: ProviderFallback[],
    private readonly output: string,
    private readonly label: string,
  ) {
    this.listen('message', (msg: WorkerReply) => {
      if (msg.type === 'ready') return;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.type === 'outputs') {
        recycleFeedBuffers(msg.feedBuffers ?? []);
        p.resolve(msg.outputs);
      } else p.reject(revive(msg.error));
    });
    this.listen('error', (e: Error) => this.failAll(e));
    this.listen('exit', (code: number) => {
      if (code !== 0) this.failAll(new Error(`inference worker exited with code ${code}`));
    });
  }

  private listen<A extends unknown[]>(event: string, fn: (...a: A) => void): void {
    const f = fn as unknown as (...a: unknown[]) => void;
    this.worker.on(event, f);
    this.listeners.push([event, f]);
  }

  /** The inference worker's thread id (tests: a kept worker serves the next job). */
  get workerThreadId(): number {
    return this.worker.threadId;
  }

  /**
   * From now on close() hands the worker to the keeper under `key` (model/sessionKeeper.ts) when it is healthy and
   * idle, instead of ending it. openJob sets it once it has checked the model file unchanged.
   */
  keepOnClose(key: string): void {
    this.keepKey = key;
  }

  /** A session on the worker kept under `key` by an earlier job's close(), if one is idle (it is then this job's). */
  static reuse(key: string): RemoteSession | undefined {
    const kept = takeKept<KeptWorker>(key);
    if (!kept) return undefined;
    const { provider, fallbacks, output, label, modelCache, reuses } = kept.state;
    const rs = new RemoteSession(kept.worker, provider, fallbacks, output, label);
    rs.modelCache = modelCache;
    rs.reuses = reuses + 1;
    return rs; // kept again only once its job has checked the model unchanged (keepOnClose)
  }

  private failAll(e: Error): void {
    this.failure = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  /**
   * Opens `model` (a file, or ONNX bytes built in code) on the provider chain. `output` names the score output
   * that run() returns; runOutputs() can ask for any outputs. `output` may be a promise, so the model loads while
   * its caller still inspects it (a 200 MB model takes onnxruntime seconds); if it rejects, so does open(), at once,
   * and the worker ends in the background once onnxruntime has finished loading (see endingInBackground).
   */
  static open(
    model: string | Uint8Array,
    providers: ProviderName[],
    threads: number,
    output: string | Promise<string>,
    cache?: ModelCacheFiles,
  ): Promise<RemoteSession> {
    const worker = new Worker(path.join(__dirname, 'inferenceWorkerMain.js'), {
      workerData: { model, providers, threads, ...(cache ? { cache } : {}) } satisfies WorkerInit,
    });
    RemoteSession.live++;
    worker.once('exit', () => RemoteSession.live--);
    return new Promise((resolve, reject) => {
      // A worker is never terminated while onnxruntime is still creating its session: terminating it inside that
      // native call aborts the whole process (Napi::Error -> std::terminate, seen under load in the test suite), which
      // in the editor would take the extension host down. So a rejected `output` rejects open() at once (the user
      // hears of a workspace error without waiting for the load) but the worker ends only at its first reply.
      let replied = false;
      let ended: (() => void) | undefined;
      const named = Promise.resolve(output);
      named.catch((e: unknown) => {
        if (replied) return; // handled with the reply
        const ending = new Promise<void>((done) => (ended = done));
        RemoteSession.ending.add(ending);
        void ending.then(() => RemoteSession.ending.delete(ending));
        reject(e);
      });
      const firstReply = () => {
        replied = true;
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (msg: WorkerReply) => {
        firstReply();
        if (ended) void worker.terminate().then(ended, ended);
        else if (msg.type === 'ready')
          named.then(
            (name) => {
              const rs = new RemoteSession(
                worker,
                msg.provider,
                msg.fallbacks,
                name,
                typeof model === 'string' ? model : 'a RecLens-built ONNX graph',
              );
              rs.modelCache = msg.cache;
              resolve(rs);
            },
            (e: unknown) => void worker.terminate().then(() => reject(e)),
          );
        else {
          void worker.terminate();
          reject(msg.type === 'error' ? revive(msg.error) : new Error('unexpected worker reply'));
        }
      };
      const onError = (e: Error) => {
        firstReply();
        ended?.();
        reject(e);
      };
      const onExit = (code: number) => {
        firstReply();
        ended?.();
        reject(new Error(`inference worker exited with code ${code} before it loaded the model`));
      };
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
    });
  }

  private static live = 0;

  /** Inference workers started and not yet exited, kept idle ones included (tests: nothing leaks). */
  static get liveWorkers(): number {
    return RemoteSession.live;
  }

  /** Workers whose open() was given up while onnxruntime was loading: each ends once its load has finished. */
  private static readonly ending = new Set<Promise<void>>();

  /** How many inference workers are still loading a model nobody waits for (they end by themselves). */
  static get loadingInBackground(): number {
    return RemoteSession.ending.size;
  }

  /** Resolves once every worker given up while loading has ended (tests; a host that wants to exit cleanly). */
  static async endingInBackground(): Promise<void> {
    await Promise.all([...RemoteSession.ending]);
  }

  /** Runs the model; feeds' buffers are transferred, so the caller must not touch them afterwards. */
  runOutputs(feeds: WorkerFeed[], outputs: string[]): Promise<TaskResult<'infer'>> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const transfer = [...new Set(feeds.map((f) => f.data.buffer as ArrayBuffer))];
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, task: 'infer', input: { feeds, outputs } } satisfies WorkerRequest, transfer);
    });
  }

  /** Scores one batch of `rows` rows: one float per row from the score output. */
  async run(
    rows: number,
    feeds: { name: string; dtype: string; dims: number[]; data: ArrayBufferView }[],
  ): Promise<Float32Array> {
    const out = await this.runOutputs(
      feeds.map((f) => ({ ...f, dims: [rows, ...f.dims] })),
      [this.output],
    );
    return scoresFromOutput(out[this.output], this.output, rows, this.label);
  }

  /**
   * Ends this job's use of the session: the worker goes to the keeper (keepOnClose) if nothing is in flight and it
   * has not failed, else it is terminated. A second close() does nothing (the worker may be another job's by then).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearFeedPool();
    if (this.keepKey === undefined || this.failure || this.pending.size > 0) {
      await this.worker.terminate();
      return;
    }
    for (const [event, fn] of this.listeners) this.worker.off(event, fn);
    this.failure = new Error('This inference session was closed (its worker was kept for the next job).');
    const { provider, fallbacks, output, label, modelCache, reuses } = this;
    await keepIdle(
      this.keepKey,
      new KeptWorker(this.worker, { provider, fallbacks, output, label, modelCache, reuses }),
    );
  }
}

/** An idle inference worker and what a session on it needs (model/sessionKeeper.ts). */
class KeptWorker implements Keepable {
  constructor(
    readonly worker: Worker,
    readonly state: {
      provider: ProviderName;
      fallbacks: ProviderFallback[];
      output: string;
      label: string;
      modelCache: ModelCacheUse | undefined;
      reuses: number;
    },
  ) {}

  async end(): Promise<void> {
    await this.worker.terminate();
  }

  hold(held: boolean): void {
    if (held) this.worker.ref();
    else this.worker.unref();
  }

  watch(lost: () => void): () => void {
    this.worker.once('exit', lost);
    this.worker.once('error', lost);
    return () => {
      this.worker.off('exit', lost);
      this.worker.off('error', lost);
    };
  }
}
