/**
 * The frame every panel kind shares: its title, a progress line for `busy`, a notice line for what a request
 * came to ("Saved …"), an alert line for `error` and failed requests, and the
 * content, redrawn from the last data on a theme change (the heat map's colours are computed, not CSS).
 */
import type { HostToPanel, PanelReply } from '../../src/protocol/results';
import { element } from '../shared/dom';
import { readTheme } from '../shared/theme';
import type { UiStateStore } from '../shared/uiStateStore';
import { createProgressRing } from '../ui/toolkit';
import { createExporter } from './exporter';
import type { PanelHost } from './resultsChannel';
import { renderHistoryView } from './historyView';
import { renderImpactView } from './impactView';
import { renderLisView } from './lisView';
import { renderRunView } from './runView';
import type { PanelsUiState } from './uiState';
import type { ViewContext } from './viewContext';

export type PanelData = Extract<HostToPanel, { type: 'impact' | 'lis' | 'run' | 'history' }>;

export class PanelShell {
  private readonly title = element('h1', 'panel-title', 'RecLens');
  private readonly busy = element('div', 'status-line busy-line');
  private readonly notice = element('div', 'status-line notice-line');
  private readonly error = element('div', 'status-line error-line');
  private readonly content = element('main', 'panel-content');
  private current: PanelData | undefined;

  constructor(
    root: HTMLElement,
    private readonly host: PanelHost,
    private readonly store: UiStateStore<PanelsUiState>,
  ) {
    this.busy.setAttribute('role', 'status');
    this.busy.hidden = true;
    this.notice.setAttribute('role', 'status');
    this.notice.hidden = true;
    this.error.setAttribute('role', 'alert');
    this.error.hidden = true;
    this.content.append(element('p', 'placeholder', 'Waiting for results…'));
    root.append(this.title, this.busy, this.notice, this.error, this.content);
  }

  show(data: PanelData): void {
    this.current = data;
    this.error.hidden = true;
    this.render();
  }

  /** Redraws the last data (after a theme change). */
  refresh(): void {
    if (this.current) this.render();
  }

  showBusy(message: string | null): void {
    this.busy.hidden = message === null;
    this.busy.replaceChildren(
      ...(message === null ? [] : [createProgressRing(), element('span', 'status-text', message)]),
    );
  }

  showError(message: string): void {
    this.notice.hidden = true;
    this.error.hidden = false;
    this.error.replaceChildren(element('span', 'status-text', message));
  }

  /** What a request came to: a message on the notice line, an error on the alert line, nothing when cancelled. */
  report(outcome: Pick<PanelReply, 'ok' | 'message'>): void {
    if (!outcome.ok) return this.showError(outcome.message ?? 'The request failed.');
    if (outcome.message === null) return;
    this.error.hidden = true;
    this.notice.hidden = false;
    this.notice.replaceChildren(element('span', 'status-text', outcome.message));
  }

  private render(): void {
    const data = this.current!;
    const report = (outcome: Pick<PanelReply, 'ok' | 'message'>) => this.report(outcome);
    const context: ViewContext = {
      host: this.host,
      store: this.store,
      exporter: createExporter(this.host, report),
      report,
      theme: readTheme(),
    };
    this.title.textContent = data.data.title;
    document.title = data.data.title;
    const scroll = window.scrollY;
    const view = element('div', `view view-${data.type}`);
    try {
      switch (data.type) {
        case 'impact':
          renderImpactView(view, data.data, context, { interactive: true });
          break;
        case 'lis':
          renderLisView(view, data.data, context, { interactive: true });
          break;
        case 'run':
          renderRunView(view, data.data, context);
          break;
        case 'history':
          renderHistoryView(view, data.data, context);
          break;
      }
    } catch (error) {
      // A malformed message shows what went wrong instead of a blank panel.
      this.showError(`Could not show these results: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.content.replaceChildren(view);
    window.scrollTo({ top: scroll });
  }
}
