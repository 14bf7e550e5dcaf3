/** What every view of the panel needs from outside: the host, the saved UI state, the exporter, and the status lines. */
import type { PanelReply } from '../../src/protocol/results';
import type { Theme } from '../shared/theme';
import type { UiStateStore } from '../shared/uiStateStore';
import type { Exporter } from './exporter';
import type { PanelHost } from './resultsChannel';
import type { PanelsUiState, SortState } from './uiState';

export interface ViewContext {
  host: PanelHost;
  store: UiStateStore<PanelsUiState>;
  exporter: Exporter;
  /** Shows what a request came to: its message on the notice line, or its error on the alert line. */
  report(outcome: Pick<PanelReply, 'ok' | 'message'>): void;
  /** Theme colours for what CSS cannot colour (the heat map's scale); views are redrawn when it changes. */
  theme: Theme;
}

/** The saved sort of one table, and the callback that saves a new one. */
export function tableSort(
  context: ViewContext,
  tableId: string,
  fallback?: SortState,
): { sort?: SortState; onSortChange: (sort: SortState) => void } {
  return {
    sort: context.store.current.sorts?.[tableId] ?? fallback,
    onSortChange: (sort) => context.store.update({ sorts: { ...context.store.current.sorts, [tableId]: sort } }),
  };
}
