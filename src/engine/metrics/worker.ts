/** Worker-thread entry: base metrics (sorting millions of scores, bootstrap) off the caller's main thread. */
import { parentPort } from 'worker_threads';
import { computeBaseMetrics, MetricsInput } from './baseMetrics';

parentPort?.on('message', (input: MetricsInput) => {
  try {
    parentPort!.postMessage({ ok: true, result: computeBaseMetrics(input) });
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: String((e as Error)?.stack ?? e) });
  }
});
