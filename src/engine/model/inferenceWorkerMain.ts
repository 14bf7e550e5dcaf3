/**
 * Worker-thread side of RemoteSession: owns an onnxruntime session (onnxruntime-node's run() blocks the calling
 * thread, so it must not run on the extension host's main thread) and runs the requests it receives.
 */
import { parentPort, workerData } from 'worker_threads';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { ProviderName } from '../config/types';
import { RecLensError } from '../errors';
import { createSession, ort } from './session';
import type { TaskCall, TaskResult } from '../compute/tasks';

export interface WorkerInit {
  model: string | Uint8Array;
  providers: ProviderName[];
  threads: number;
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
export type InferRequest = { id: number } & TaskCall<'infer'>;
/** Lets the kept batches go (unanswered; it takes its turn in the request queue after the calls before it). */
export type DropRowsRequest = { id: number; task: 'dropRows' };
export type WorkerRequest = InferRequest | DropRowsRequest;
export type WorkerError = { name: string; kind?: string; message: string; where?: unknown };
export type WorkerReply =
  | { type: 'ready'; provider: ProviderName; fallbacks: { provider: string; reason: string }[] }
  | { type: 'outputs'; id: number; outputs: TaskResult<'infer'>; feedBuffers: ArrayBuffer[] }
  | { type: 'error'; id: number; error: WorkerError };

function serialise(e: unknown): WorkerError {
  if (e instanceof RecLensError) return { name: e.name, kind: e.kind, message: e.message, where: e.where };
  return { name: 'Error', message: (e as Error)?.message ?? String(e) };
}

async function main(): Promise<void> {
  const init = workerData as WorkerInit;
  let session: InferenceSession;
  try {
    const ms = await createSession(init.model, init.providers, init.threads);
    session = ms.session;
    parentPort!.postMessage({ type: 'ready', provider: ms.provider, fallbacks: ms.fallbacks } satisfies WorkerReply);
  } catch (e) {
    parentPort!.postMessage({ type: 'error', id: -1, error: serialise(e) } satisfies WorkerReply);
    return;
  }
  const { Tensor: T } = ort();
  // Kept batches (a call with rows.keep): their input tensors by first row, for later calls on the same rows.
  const kept = new Map<number, { end: number; feeds: Record<string, Tensor> }>();
  // Requests are handled one at a time in arrival order; the main thread keeps the queue short.
  let chain = Promise.resolve();
  parentPort!.on('message', (msg: WorkerRequest) => {
    if (msg.task === 'dropRows') {
      chain = chain.then(() => kept.clear());
      return;
    }
    const { id, input: req } = msg;
    chain = chain.then(async () => {
      try {
        const feeds: Record<string, Tensor> = {};
        for (const f of req.feeds) feeds[f.name] = new T(f.dtype as 'float32', f.data as Float32Array, f.dims);
        if (req.rows?.keep) kept.set(req.rows.start, { end: req.rows.end, feeds: { ...feeds } });
        else if (req.rows) {
          const { start, end } = req.rows;
          const k = kept.get(start);
          if (!k || k.end !== end) throw new Error(`rows ${start}-${end} are not kept by the inference worker`);
          for (const name of Object.keys(k.feeds)) feeds[name] ??= k.feeds[name];
        }
        const out = await session.run(feeds, req.outputs);
        const outputs: TaskResult<'infer'> = {};
        const transfer: ArrayBuffer[] = [];
        for (const name of req.outputs) {
          const t = out[name];
          const data = (t.data as ArrayBufferView & { slice(): ArrayBufferView }).slice(); // own buffer, transferable
          outputs[name] = { type: t.type, dims: [...t.dims], data };
          transfer.push(data.buffer as ArrayBuffer);
        }
        // The feeds' buffers go back too, so the main thread reuses them for its next batches (data/feedPool.ts).
        // (Not a kept batch's: the worker holds on to those.)
        const feedBuffers = [...new Set(req.rows?.keep ? [] : req.feeds.map((f) => f.data.buffer))].filter(
          (b): b is ArrayBuffer => b instanceof ArrayBuffer && !transfer.includes(b),
        );
        parentPort!.postMessage({ type: 'outputs', id, outputs, feedBuffers } satisfies WorkerReply, [
          ...transfer,
          ...feedBuffers,
        ]);
      } catch (e) {
        parentPort!.postMessage({ type: 'error', id, error: serialise(e) } satisfies WorkerReply);
      }
    });
  });
}

void main();
