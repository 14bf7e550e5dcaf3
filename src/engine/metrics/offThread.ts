/** Runs metric tasks in a worker thread so the extension host (or the CLI's event loop) never stalls. */
import * as path from 'path';
import { Worker } from 'worker_threads';
import { CancelledError } from '../errors';
import type { BaseMetrics, MetricsInput } from './baseMetrics';
import type { PairedInput, PairedResult } from './paired';
import type { MetricsTask } from './worker';

function runTask<T>(task: MetricsTask, input: unknown, signal?: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'worker.js'));
    const onAbort = () => { void worker.terminate(); reject(new CancelledError()); };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (msg: { ok: boolean; result?: T; error?: string }) => {
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (msg.ok) resolve(msg.result!);
      else reject(new Error(`metrics worker failed: ${msg.error}`));
    });
    worker.once('error', (e) => { signal?.removeEventListener('abort', onAbort); reject(e); });
    // Copies (not transfers) so the caller keeps its arrays; a few MB per million rows.
    worker.postMessage({ task, input });
  });
}

export function computeBaseMetricsOffThread(input: MetricsInput, signal?: AbortSignal): Promise<BaseMetrics> {
  return runTask('base', input, signal);
}

export function pairedMetricsOffThread(input: PairedInput, signal?: AbortSignal): Promise<PairedResult> {
  return runTask('paired', input, signal);
}
