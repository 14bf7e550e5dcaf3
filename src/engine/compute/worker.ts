/** Worker-thread entry for heavy JavaScript work (sorting millions of scores, bootstrap, PCA, UMAP). */
import { parentPort } from 'worker_threads';
import { pca } from '../embedding/pca';
import { umapProject, UmapInput } from '../embedding/umap';
import { computeBaseMetrics } from '../metrics/baseMetrics';
import { pairedMetrics } from '../metrics/paired';
import { sliceMetrics, SliceMetricsInput } from '../slices/sliceMetrics';

const TASKS = {
  base: computeBaseMetrics,
  paired: pairedMetrics,
  slices: (a: { input: SliceMetricsInput; notes: string[] }) => sliceMetrics(a.input, a.notes),
  pca: (a: { x: Float32Array; rows: number; dim: number; components: number }) => pca(a.x, a.rows, a.dim, a.components),
  umap: (a: UmapInput) => umapProject(a, (epoch, total) => {
    if (epoch % 10 === 0) parentPort!.postMessage({ progress: { done: epoch, total } });
  }),
} as const;
export type ComputeTask = keyof typeof TASKS;

parentPort?.on('message', async (msg: { task: ComputeTask; input: never }) => {
  try {
    parentPort!.postMessage({ ok: true, result: await TASKS[msg.task](msg.input) });
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: String((e as Error)?.stack ?? e) });
  }
});
