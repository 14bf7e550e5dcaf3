/** Worker-thread entry for heavy JavaScript work (sorting millions of scores, bootstrap, PCA, UMAP). */
import { parentPort } from 'worker_threads';
import { pca } from '../embedding/pca';
import { umapProject, UmapInput } from '../embedding/umap';
import { computeBaseMetrics } from '../metrics/baseMetrics';
import { PairedAccumulator, pairedMetrics, PairedSetup, Scoring } from '../metrics/paired';
import { crossFit } from '../lis/crossFit';
import { sliceMetrics, SliceMetricsInput } from '../slices/sliceMetrics';

const TASKS = {
  base: computeBaseMetrics,
  paired: pairedMetrics,
  crossFit,
  slices: (a: { input: SliceMetricsInput; notes: string[] }) => sliceMetrics(a.input, a.notes),
  pca: (a: { x: Float32Array; rows: number; dim: number; components: number }) => pca(a.x, a.rows, a.dim, a.components),
  umap: (a: UmapInput) => umapProject(a, (epoch, total) => {
    if (epoch % 10 === 0) parentPort!.postMessage({ progress: { done: epoch, total } });
  }),
} as const;
export type ComputeTask = keyof typeof TASKS;

/** A paired-metrics session: scorings arrive one at a time (base first) and each is acknowledged once measured. */
export type PairedMessage =
  | { session: 'paired'; op: 'open'; setup: PairedSetup }
  | { session: 'paired'; op: 'add'; seq: number; variant: number; scoring: Scoring }
  | { session: 'paired'; op: 'finish' };
let paired: PairedAccumulator | undefined;

function onPaired(msg: PairedMessage): void {
  if (msg.op === 'open') paired = new PairedAccumulator(msg.setup);
  else if (msg.op === 'add') {
    if (msg.variant < 0) paired!.addBase(msg.scoring);
    else paired!.addRepeat(msg.variant, msg.scoring);
    parentPort!.postMessage({ ack: msg.seq });
  } else parentPort!.postMessage({ ok: true, result: paired!.result() });
}

parentPort?.on('message', async (msg: { task: ComputeTask; input: never } | PairedMessage) => {
  try {
    if ('session' in msg) return onPaired(msg);
    parentPort!.postMessage({ ok: true, result: await TASKS[msg.task](msg.input) });
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: String((e as Error)?.stack ?? e) });
  }
});
