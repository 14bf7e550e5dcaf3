/**
 * The worker RPC: every task a worker thread runs for its caller, each with its input and its result. Callers and
 * workers derive their message types from this one interface (`TaskCall<K>`, `TaskResult<K>`), so a caller cannot
 * pick a result type that the worker does not return, and a worker cannot implement a task with the wrong shape.
 */
import type { PcaResult } from '../embedding/pca';
import type { UmapInput } from '../embedding/umap';
import type { CrossFitInput, CrossFitOutput } from '../lis/crossFit';
import type { SortedScores } from '../metrics/argsort';
import type { BaseMetrics, MetricsInput } from '../metrics/baseMetrics';
import type { PairedInput, PairedResult } from '../metrics/paired';
import type { WorkerFeed, WorkerOutput } from '../model/inferenceWorkerMain';
import type { WarmSizes } from './warmMemory';
import type { ReplicateValues, SliceBootstrap, SliceMetricsInput, SliceReport } from '../slices/sliceMetrics';

export interface WorkerTasks {
  // The compute worker (compute/worker.ts): metrics, bootstrap, cross-fitting, PCA, UMAP.
  base: { input: MetricsInput; result: BaseMetrics };
  paired: { input: PairedInput; result: PairedResult };
  crossFit: { input: CrossFitInput; result: CrossFitOutput };
  slices: { input: { input: SliceMetricsInput; notes: string[] }; result: SliceReport };
  pca: { input: { x: Float32Array; rows: number; dim: number; components: number }; result: PcaResult };
  umap: { input: UmapInput; result: Float32Array };
  // The inference worker (model/inferenceWorkerMain.ts): one onnxruntime run; feeds and outputs are transferred.
  infer: { input: { feeds: WorkerFeed[]; outputs: string[] }; result: Record<string, WorkerOutput> };
  // Slice metrics over a pool of compute workers: point metrics and shared replicate units, then replicate ranges.
  slicesPrepare: {
    input: { input: SliceMetricsInput; notes: string[] };
    result: { report: SliceReport; boot?: SliceBootstrap };
  };
  sliceReplicates: { input: { boot: SliceBootstrap; from: number; to: number }; result: ReplicateValues };
  // One sort in shared memory, handed to the base and slice metrics of eval (two workers, no second sort).
  sortShared: { input: { scores: Float32Array; labels: Uint8Array }; result: SortedScores };
  // Eval's metrics workers while the rows are scored: touch the buffers the tail will allocate (compute/warmMemory.ts).
  prefault: { input: WarmSizes; result: null };
  // Every row's log term in shared memory, computed while the sort runs (the slice metrics read it).
  logTerms: { input: { labels: Uint8Array; probs: Float32Array }; result: Float64Array };
}

export type TaskName = keyof WorkerTasks;
export type ComputeTaskName = Exclude<TaskName, 'infer'>;
export type TaskInput<K extends TaskName> = WorkerTasks[K]['input'];
export type TaskResult<K extends TaskName> = WorkerTasks[K]['result'];

/** One call as posted to a worker (js-profile-visualizer's GraphRPCCall<K>): the task's name and its input. */
export type TaskCall<K extends TaskName> = { [P in K]: { task: P; input: TaskInput<P> } }[K];

/** What a worker implements: one handler per task, typed by the interface. */
export type TaskHandlers<K extends TaskName> = {
  [P in K]: (input: TaskInput<P>) => TaskResult<P> | Promise<TaskResult<P>>;
};

/** The compute worker's replies to a call: progress while it runs, then the result or the error. */
export type ComputeReply<K extends ComputeTaskName> =
  { progress: { done: number; total: number } } | { ok: true; result: TaskResult<K> } | { ok: false; error: string };
