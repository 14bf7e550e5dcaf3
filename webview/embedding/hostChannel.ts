/** The typed boundary to the extension host: VS Code's webview API, acquired once. */
import type { EmbeddingUiState, EmbeddingWebviewToHost, HostToEmbeddingWebview } from '../../src/protocol/messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): unknown;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostChannel {
  post(message: EmbeddingWebviewToHost): void;
  /** The UI state saved before the webview was last hidden, if any. */
  savedState(): EmbeddingUiState;
  saveState(state: EmbeddingUiState): void;
  onMessage(listener: (message: HostToEmbeddingWebview) => void): void;
}

export function connectToHost(): HostChannel {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    savedState: () => asUiState(api.getState()),
    saveState: (state) => void api.setState(state),
    onMessage(listener) {
      window.addEventListener('message', (event: MessageEvent<unknown>) => {
        if (isHostMessage(event.data)) listener(event.data);
      });
    },
  };
}

function isHostMessage(value: unknown): value is HostToEmbeddingWebview {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'data' || type === 'progress' || type === 'error';
}

/** Saved state comes back from an older build, or not at all: keep only fields of the right type. */
function asUiState(value: unknown): EmbeddingUiState {
  if (typeof value !== 'object' || value === null) return {};
  const raw = value as Record<string, unknown>;
  const state: EmbeddingUiState = {};
  if (typeof raw.colourBy === 'string') state.colourBy = raw.colourBy;
  if (typeof raw.search === 'string') state.search = raw.search;
  if (typeof raw.selectedId === 'string') state.selectedId = raw.selectedId;
  if (Array.isArray(raw.transform)) {
    state.transform = raw.transform.filter(
      (t): t is { x: number; y: number; k: number } =>
        typeof t === 'object' && t !== null && [t.x, t.y, t.k].every((v) => typeof v === 'number' && Number.isFinite(v)) && t.k > 0,
    );
  }
  return state;
}
