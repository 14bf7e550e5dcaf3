/**
 * The Feature Impact panel's rows: one per ablated slot (or group "a+b"), its impact by each method on the chosen
 * metric with the bootstrap interval, and its ceiling. Pure functions over the engine's own result types; the
 * panel never recomputes a metric.
 */
import type { AblationMethod, AblationRow, CeilingRow, FeatureImpactData } from '../../src/protocol/results';
import type { ImpactMetric } from './uiState';

export const METRICS: readonly { id: ImpactMetric; label: string; axisTitle: string }[] = [
  { id: 'auc', label: 'AUC', axisTitle: 'Impact on AUC (full − ablated; bigger = more useful)' },
  { id: 'gauc', label: 'GAUC', axisTitle: 'Impact on GAUC (full − ablated; bigger = more useful)' },
  { id: 'logloss', label: 'LogLoss', axisTitle: 'Impact on LogLoss (ablated − full; bigger = more useful)' },
];

export const METHOD_LABELS: Record<AblationMethod, string> = { mask: 'Mask', permute: 'Permute' };

export interface MethodImpact {
  method: AblationMethod;
  value: number | null;
  interval: [number, number] | null;
  /** Permutation repeats and the spread of the ablated AUC over them. */
  repeats?: number;
  aucSd?: number;
}

export interface SlotImpact {
  slot: string;
  /** Position in the run's results: the default order and the order of posted slot lists. */
  order: number;
  inputs: string[];
  description?: string;
  /** False for a group ("a+b"), which has no single entry in reclens.json to reveal. */
  configured: boolean;
  impacts: Partial<Record<AblationMethod, MethodImpact>>;
  ceiling: CeilingRow | null;
}

export function metricImpact(
  row: AblationRow,
  metric: ImpactMetric,
): { value: number | null; interval: [number, number] | null } {
  switch (metric) {
    case 'auc':
      return { value: row.deltaAuc, interval: row.ci?.deltaAuc ?? null };
    case 'gauc':
      return { value: row.deltaGauc, interval: row.ci?.deltaGauc ?? null };
    case 'logloss':
      return { value: row.deltaLogloss, interval: row.ci?.deltaLogloss ?? null };
  }
}

/** The methods present in the run, mask first. */
export function methodsOf(data: FeatureImpactData): AblationMethod[] {
  const present = new Set(data.ablation?.results.map((r) => r.method) ?? []);
  return (['mask', 'permute'] as const).filter((m) => present.has(m));
}

export function slotImpacts(data: FeatureImpactData, metric: ImpactMetric): SlotImpact[] {
  const info = new Map(data.slots.map((s) => [s.name, s]));
  const ceilings = new Map((data.ceiling?.results ?? []).map((c) => [c.slot, c]));
  const rows = new Map<string, SlotImpact>();
  for (const result of data.ablation?.results ?? []) {
    let row = rows.get(result.slot);
    if (!row) {
      const slot = info.get(result.slot);
      row = {
        slot: result.slot,
        order: rows.size,
        inputs: result.inputs,
        description: slot?.description,
        configured: !!slot,
        impacts: {},
        ceiling: ceilings.get(result.slot) ?? null,
      };
      rows.set(result.slot, row);
    }
    row.impacts[result.method] = {
      method: result.method,
      ...metricImpact(result, metric),
      repeats: result.repeats,
      aucSd: result.aucSd,
    };
  }
  return [...rows.values()];
}

export function containsZero(interval: readonly [number, number] | null): boolean {
  return !!interval && interval[0] <= 0 && interval[1] >= 0;
}

/** No clear impact: the slot has intervals and every one of them contains 0. Without intervals nothing is claimed. */
export function hasNoClearImpact(row: SlotImpact): boolean {
  const intervals = Object.values(row.impacts).map((i) => i.interval);
  return intervals.length > 0 && intervals.every((i) => i !== null) && intervals.every(containsZero);
}

export interface ImpactFilter {
  text: string;
  hideNull: boolean;
}

export function visibleRows(rows: readonly SlotImpact[], filter: ImpactFilter): SlotImpact[] {
  const needle = filter.text.trim().toLowerCase();
  return rows.filter(
    (row) => (!needle || row.slot.toLowerCase().includes(needle)) && !(filter.hideNull && hasNoClearImpact(row)),
  );
}
