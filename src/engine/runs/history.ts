/** A workspace's evaluation history: AUC and GAUC with their intervals, one point per eval run, oldest first. */
import type { EvalResult } from '../evaluate';
import type { RunRecord } from './runRecord';

export interface HistoryPoint {
  runId: string;
  createdAt: string;
  /** The config's name (or file) and the model hash, so a chart can tell model versions apart. */
  config: string;
  model: string;
  rows: number;
  seed: number;
  auc: number;
  aucCi: [number, number] | null;
  gauc: number | null;
  gaucCi: [number, number] | null;
}

export function evalHistory(records: readonly RunRecord[]): HistoryPoint[] {
  return records
    .filter((r) => r.kind === 'eval' && typeof (r.results as EvalResult | undefined)?.auc === 'number')
    .map((r) => {
      const e = r.results as EvalResult;
      return {
        runId: r.id,
        createdAt: r.createdAt,
        config: r.config.name ?? r.config.file,
        model: r.model.sha256.slice(0, 12),
        rows: e.rows,
        seed: r.seed,
        auc: e.auc,
        aucCi: e.ci?.auc ?? null,
        gauc: e.gauc,
        gaucCi: e.ci?.gauc ?? null,
      };
    })
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.runId.localeCompare(b.runId));
}
