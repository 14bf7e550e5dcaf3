/** Worker-thread entry for heavy JavaScript work (sorting millions of scores, bootstrap, PCA, UMAP). */
import { parentPort } from 'worker_threads';
import { pca } from '../embedding/pca';
import { umapProject } from '../embedding/umap';
import { sortScores } from '../metrics/argsort';
import { computeBaseMetrics } from '../metrics/baseMetrics';
import { PairedAccumulator, pairedMetrics, PairedSetup, Scoring } from '../metrics/paired';
import { crossFit } from '../lis/crossFit';
import { prepareSlices, sliceMetrics, sliceReplicates } from '../slices/sliceMetrics';
import { logTerms } from '../metrics/loss';
import type { ComputeReply, ComputeTaskName, TaskCall, TaskHandlers } from './tasks';
import { prefault, warmArray } from './warmMemory';

const TASKS: TaskHandlers<ComputeTaskName> = {
  base: computeBaseMetrics,
  paired: pairedMetrics,
  crossFit,
  slices: (a) => sliceMetrics(a.input, a.notes),
  pca: (a) => pca(a.x, a.rows, a.dim, a.components),
  umap: (a) =>
    umapProject(a, (epoch, total) => {
      if (epoch % 10 === 0)
        parentPort!.postMessage({ progress: { done: epoch, total } } satisfies ComputeReply<'umap'>);
    }),
  slicesPrepare: (a) => prepareSlices(a.input, a.notes, true),
  sliceReplicates: (a) => sliceReplicates(a.boot, a.from, a.to),
  sortShared: (a) => sortScores(a.scores, a.labels, true),
  prefault: (a) => (prefault(a), null),
  logTerms: (a) => logTerms(a.labels, a.probs, warmArray(Float64Array, a.labels.length, true)),
};

/** Runs one call: the handler the interface names for its task, with that task's input. */
function dispatch<K extends ComputeTaskName>(call: TaskCall<K>): ReturnType<TaskHandlers<K>[K]> {
  return (TASKS[call.task] as TaskHandlers<K>[K])(call.input) as ReturnType<TaskHandlers<K>[K]>;
}

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

parentPort?.on('message', async (msg: TaskCall<ComputeTaskName> | PairedMessage) => {
  try {
    if ('session' in msg) return onPaired(msg);
    parentPort!.postMessage({ ok: true, result: await dispatch(msg) } satisfies ComputeReply<ComputeTaskName>);
  } catch (e) {
    parentPort!.postMessage({
      ok: false,
      error: String((e as Error)?.stack ?? e),
    } satisfies ComputeReply<ComputeTaskName>);
  }
});
