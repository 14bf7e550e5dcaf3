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

  private constructor(
    private readonly worker: Worker,
    readonly provider: ProviderName,
    readonly fallbacks: ProviderFallback[],
    private readonly output: string,
    private readonly label: string,
  ) {
    worker.on('message', (msg: WorkerReply) => {
      if (msg.type === 'ready') return;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.type === 'outputs') {
        recycleFeedBuffers(msg.feedBuffers ?? []);
        p.resolve(msg.outputs);
      } else p.reject(revive(msg.error));
    });
    worker.on('error', (e) => this.failAll(e));
    worker.on('exit', (code) => {
      if (code !== 0) this.failAll(new Error(`inference worker exited with code ${code}`));
    });
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

  async close(): Promise<void> {
    clearFeedPool();
    await this.worker.terminate();
  }
}
