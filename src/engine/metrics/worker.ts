/** Worker-thread entry for heavy metric work (sorting millions of scores, bootstrap), off the caller's main thread. */
import { parentPort } from 'worker_threads';
import { computeBaseMetrics } from './baseMetrics';
import { pairedMetrics } from './paired';

const TASKS = { base: computeBaseMetrics, paired: pairedMetrics } as const;
export type MetricsTask = keyof typeof TASKS;

parentPort?.on('message', (msg: { task: MetricsTask; input: never }) => {
  try {
    parentPort!.postMessage({ ok: true, result: TASKS[msg.task](msg.input) });
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: String((e as Error)?.stack ?? e) });
  }
});
