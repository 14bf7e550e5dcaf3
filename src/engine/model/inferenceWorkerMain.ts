/**
 * Worker-thread side of RemoteSession: owns an onnxruntime session (onnxruntime-node's run() blocks the calling
 * thread, so it must not run on the extension host's main thread) and runs the requests it receives.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parentPort, threadId, workerData } from 'worker_threads';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { ProviderName } from '../config/types';
import { RecLensError } from '../errors';
import { createSession, ort } from './session';
import type { ModelCacheFiles, ModelCacheUse } from './modelCache';
import type { TaskCall, TaskResult } from '../compute/tasks';

export interface WorkerInit {
  model: string | Uint8Array;
  providers: ProviderName[];
  threads: number;
  /** The saved-graph cache's files for this load (model/modelCache.ts), if any. */
  cache?: ModelCacheFiles;
}
export interface WorkerFeed {
  name: string;
  dtype: string;
  dims: number[];
  data: ArrayBufferView;
}
export interface WorkerOutput {
  type: string;
  dims: number[];
  data: ArrayBufferView;
}
/** One inference call (WorkerTasks' `infer`), numbered so that its reply finds the caller. */
export type WorkerRequest = { id: number } & TaskCall<'infer'>;
export type WorkerError = { name: string; kind?: string; message: string; where?: unknown };
export type WorkerReply =
  | {
      type: 'ready';
      provider: ProviderName;
      fallbacks: { provider: string; reason: string }[];
      cache?: ModelCacheUse;
    }
  | { type: 'outputs'; id: number; outputs: TaskResult<'infer'>; feedBuffers: ArrayBuffer[] }
  | { type: 'error'; id: number; error: WorkerError };

function serialise(e: unknown): WorkerError {
  if (e instanceof RecLensError) return { name: e.name, kind: e.kind, message: e.message, where: e.where };
  return { name: 'Error', message: (e as Error)?.message ?? String(e) };
}

/**
 * With RECLENS_INFER_TIMELINE=DIR, each request's times (ms since the epoch: received, feeds wrapped, onnxruntime's
 * run began, ended, reply posted; then the batch's rows) go to DIR/infer-PID-THREAD.json, rewritten every 25 requests (a worker is
 * terminated, not ended, so there is no last write): when onnxruntime ran and when it waited, for
 * `node bench/infertimeline.mjs DIR` (docs/performance.md, Round 8). Off by default: a measuring aid, not a feature.
 */
function inferTimeline(): ((t: number[]) => void) | undefined {
  const dir = process.env.RECLENS_INFER_TIMELINE;
  if (!dir) return undefined;
  const rows: number[][] = [];
  const file = path.join(dir, `infer-${process.pid}-${threadId}.json`);
  return (t) => {
    rows.push(t);
    if (rows.length % 25 === 0) fs.writeFileSync(file, JSON.stringify(rows));
  };
}

async function main(): Promise<void> {
  const init = workerData as WorkerInit;
  let session: InferenceSession;
  try {
    const ms = await createSession(init.model, init.providers, init.threads, init.cache);
    session = ms.session;
    parentPort!.postMessage({
      type: 'ready',
      provider: ms.provider,
      fallbacks: ms.fallbacks,
      cache: ms.cache,
    } satisfies WorkerReply);
  } catch (e) {
    parentPort!.postMessage({ type: 'error', id: -1, error: serialise(e) } satisfies WorkerReply);
    return;
  }
  const { Tensor: T } = ort();
  const timeline = inferTimeline();
  // Requests are handled one at a time in arrival order; the main thread keeps the queue short.
  let chain = Promise.resolve();
  parentPort!.on('message', ({ id, input: req }: WorkerRequest) => {
    const received = timeline && performance.timeOrigin + performance.now();
    chain = chain.then(async () => {
      try {
        const began = timeline && performance.timeOrigin + performance.now();
        const feeds: Record<string, Tensor> = {};
        for (const f of req.feeds) feeds[f.name] = new T(f.dtype as 'float32', f.data as Float32Array, f.dims);
        const ran = timeline && performance.timeOrigin + performance.now();
        const out = await session.run(feeds, req.outputs);
        const finished = timeline && performance.timeOrigin + performance.now();
        const outputs: TaskResult<'infer'> = {};
        const transfer: ArrayBuffer[] = [];
        for (const name of req.outputs) {
          const t = out[name];
          const data = (t.data as ArrayBufferView & { slice(): ArrayBufferView }).slice(); // own buffer, transferable
          outputs[name] = { type: t.type, dims: [...t.dims], data };
          transfer.push(data.buffer as ArrayBuffer);
        }
        // The feeds' buffers go back too, so the main thread reuses them for its next batches (data/feedPool.ts).
        const feedBuffers = [...new Set(req.feeds.map((f) => f.data.buffer))].filter(
          (b): b is ArrayBuffer => b instanceof ArrayBuffer && !transfer.includes(b),
        );
        parentPort!.postMessage({ type: 'outputs', id, outputs, feedBuffers } satisfies WorkerReply, [
          ...transfer,
          ...feedBuffers,
        ]);
        timeline?.([
          received || 0,
          began || 0,
          ran || 0,
          finished || 0,
          performance.timeOrigin + performance.now(),
          req.feeds[0]?.dims[0] ?? 0,
        ]);
      } catch (e) {
        parentPort!.postMessage({ type: 'error', id, error: serialise(e) } satisfies WorkerReply);
      }
    });
  });
}

void main();
