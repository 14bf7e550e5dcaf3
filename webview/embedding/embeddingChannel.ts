/** The Embedding Space panel's typed channel to the extension host (the generic part lives in webview/shared). */
import type { EmbeddingUiState, EmbeddingWebviewToHost, HostToEmbeddingWebview } from '../../src/protocol/embedding';
import { connectToHost as connect, type HostChannel as GenericHostChannel } from '../shared/hostChannel';

export type HostChannel = GenericHostChannel<EmbeddingWebviewToHost, HostToEmbeddingWebview, EmbeddingUiState>;

export function connectToHost(): HostChannel {
  return connect({ isHostMessage, asUiState });
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
        typeof t === 'object' &&
        t !== null &&
        [t.x, t.y, t.k].every((v) => typeof v === 'number' && Number.isFinite(v)) &&
        t.k > 0,
    );
  }
  return state;
}
