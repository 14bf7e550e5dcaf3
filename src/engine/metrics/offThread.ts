/** Runs computeBaseMetrics in a worker thread so the extension host (or CLI event loop) never stalls. */
import * as path from 'path';
import { Worker } from 'worker_threads';
import { CancelledError } from '../errors';
import type { BaseMetrics, MetricsInput } from './baseMetrics';

export function computeBaseMetricsOffThread(input: MetricsInput, signal?: AbortSignal): Promise<BaseMetrics> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'worker.js'));
    const onAbort = () => { void worker.terminate(); reject(new CancelledError()); };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (msg: { ok: boolean; result?: BaseMetrics; error?: string }) => {
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (msg.ok) resolve(msg.result!);
      else reject(new Error(`metrics worker failed: ${msg.error}`));
    });
    worker.once('error', (e) => { signal?.removeEventListener('abort', onAbort); reject(e); });
    // Copies (not transfers) so the caller keeps its arrays; a few MB per million rows.
    worker.postMessage(input);
  });
}
