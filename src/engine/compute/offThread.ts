/** Runs heavy JavaScript tasks in a worker thread so the extension host (or the CLI's event loop) never stalls. */
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { PcaResult } from '../embedding/pca';
import type { UmapInput } from '../embedding/umap';
import { CancelledError } from '../errors';
import type { BaseMetrics, MetricsInput } from '../metrics/baseMetrics';
import type { PairedInput, PairedResult } from '../metrics/paired';
import type { SliceMetricsInput, SliceReport } from '../slices/sliceMetrics';
import type { ComputeTask } from './worker';

export function runTask<T>(task: ComputeTask, input: unknown, signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'worker.js'));
    const onAbort = () => { void worker.terminate(); reject(new CancelledError()); };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (msg: { ok?: boolean; result?: T; error?: string; progress?: { done: number; total: number } }) => {
      if (msg.progress) { onProgress?.(msg.progress.done, msg.progress.total); return; }
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (msg.ok) resolve(msg.result!);
      else reject(new Error(`compute worker failed: ${msg.error}`));
    });
    worker.once('error', (e) => { signal?.removeEventListener('abort', onAbort); reject(e); });
    // Copies (not transfers) so the caller keeps its arrays; a few MB per million rows.
    worker.postMessage({ task, input });
  });
}

export const computeBaseMetricsOffThread = (input: MetricsInput, signal?: AbortSignal) => runTask<BaseMetrics>('base', input, signal);
export const pairedMetricsOffThread = (input: PairedInput, signal?: AbortSignal) => runTask<PairedResult>('paired', input, signal);
export const sliceMetricsOffThread = (input: SliceMetricsInput, notes: string[], signal?: AbortSignal) => runTask<SliceReport>('slices', { input, notes }, signal);
export const pcaOffThread = (x: Float32Array, rows: number, dim: number, components: number, signal?: AbortSignal) => runTask<PcaResult>('pca', { x, rows, dim, components }, signal);
export const umapOffThread = (input: UmapInput, signal?: AbortSignal, onProgress?: (done: number, total: number) => void) => runTask<Float32Array>('umap', input, signal, onProgress);
