/** The panel's UI state (colour-by, search, selection, zoom), saved with the host on every change so it survives hide/show. */
import type { EmbeddingUiState } from '../../src/protocol/messages';
import type { HostChannel } from './hostChannel';

export class UiStateStore {
  private state: EmbeddingUiState;

  constructor(private readonly host: HostChannel) {
    this.state = host.savedState();
  }

  get current(): Readonly<EmbeddingUiState> {
    return this.state;
  }

  update(patch: Partial<EmbeddingUiState>): void {
    this.state = { ...this.state, ...patch };
    // setState is cheap (a small JSON object), so no debouncing is needed; zoom saves only when a gesture ends.
    this.host.saveState(this.state);
  }
}
