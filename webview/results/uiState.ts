/**
 * What the Feature Impact, LIS and Run panels remember across hide/show (vscode.setState). The host never reads it,
 * so it lives here rather than in the protocol. One webview shows one panel kind, so the sections never collide.
 */
export type ImpactMetric = 'auc' | 'gauc' | 'logloss';

export interface SortState {
  column: string;
  descending: boolean;
}

export interface PanelsUiState {
  /** Sort of each sortable table, by table id. */
  sorts?: Record<string, SortState>;
  impactMetric?: ImpactMetric;
  impactFilter?: string;
  /** Hide slots whose every interval contains 0. */
  impactHideNull?: boolean;
  /** Slots ticked for a group ablation or a ceiling run. */
  selectedSlots?: string[];
  /** The Run panel's tab. */
  runTab?: string;
  /** The last comparison shown ("idA|idB"), so a new one opens its tab once. */
  seenComparison?: string;
}

const METRICS: readonly string[] = ['auc', 'gauc', 'logloss'];

/** Saved state may come from an older build, or not at all: keep only fields of the right type. */
export function asPanelsUiState(value: unknown): PanelsUiState {
  if (typeof value !== 'object' || value === null) return {};
  const raw = value as Record<string, unknown>;
  const state: PanelsUiState = {};
  if (typeof raw.sorts === 'object' && raw.sorts !== null) {
    state.sorts = {};
    for (const [id, sort] of Object.entries(raw.sorts as Record<string, unknown>)) {
      const s = sort as Partial<SortState> | null;
      if (s && typeof s.column === 'string' && typeof s.descending === 'boolean')
        state.sorts[id] = { column: s.column, descending: s.descending };
    }
  }
  if (typeof raw.impactMetric === 'string' && METRICS.includes(raw.impactMetric))
    state.impactMetric = raw.impactMetric as ImpactMetric;
  if (typeof raw.impactFilter === 'string') state.impactFilter = raw.impactFilter;
  if (typeof raw.impactHideNull === 'boolean') state.impactHideNull = raw.impactHideNull;
  if (Array.isArray(raw.selectedSlots))
    state.selectedSlots = raw.selectedSlots.filter((s): s is string => typeof s === 'string');
  if (typeof raw.runTab === 'string') state.runTab = raw.runTab;
  if (typeof raw.seenComparison === 'string') state.seenComparison = raw.seenComparison;
  return state;
}
