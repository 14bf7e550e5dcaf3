/** An onnxruntime session in a worker thread: batches go over by transfer, scores come back; the caller never blocks. */
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { ProviderName } from '../config/types';
import { RecLensError } from '../errors';
import type { ProviderFallback } from './session';
import type { WorkerError, WorkerFeed, WorkerInit, WorkerReply } from './inferenceWorkerMain';

function revive(e: WorkerError): Error {
  if (e.name === 'RecLensError') return new RecLensError((e.kind ?? 'input') as 'input', e.message, (e.where ?? {}) as object);
  return new Error(e.message);
}

export class RemoteSession {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (s: Float32Array) => void; reject: (e: Error) => void }>();
  private failure: Error | undefined;

  private constructor(private readonly worker: Worker, readonly provider: ProviderName, readonly fallbacks: ProviderFallback[]) {
    worker.on('message', (msg: WorkerReply) => {
      if (msg.type === 'ready') return;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.type === 'scores') p.resolve(msg.scores);
      else p.reject(revive(msg.error));
    });
    worker.on('error', (e) => this.failAll(e));
    worker.on('exit', (code) => { if (code !== 0) this.failAll(new Error(`inference worker exited with code ${code}`)); });
  }

  private failAll(e: Error): void {
    this.failure = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  static open(modelFile: string, providers: ProviderName[], threads: number, output: string): Promise<RemoteSession> {
    const worker = new Worker(path.join(__dirname, 'inferenceWorkerMain.js'), { workerData: { modelFile, providers, threads, output } satisfies WorkerInit });
    return new Promise((resolve, reject) => {
      const onMessage = (msg: WorkerReply) => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        if (msg.type === 'ready') resolve(new RemoteSession(worker, msg.provider, msg.fallbacks));
        else { void worker.terminate(); reject(msg.type === 'error' ? revive(msg.error) : new Error('unexpected worker reply')); }
      };
      const onError = (e: Error) => { worker.off('message', onMessage); reject(e); };
      worker.on('message', onMessage);
      worker.once('error', onError);
    });
  }

  /** Scores one batch. The feeds' buffers are transferred: the caller must not touch them afterwards. */
  run(rows: number, feeds: WorkerFeed[]): Promise<Float32Array> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const transfer = [...new Set(feeds.map((f) => f.data.buffer as ArrayBuffer))];
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, rows, feeds }, transfer);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
