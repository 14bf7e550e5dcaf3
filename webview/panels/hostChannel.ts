/** The Feature Impact / LIS / Run webview's typed channel to the extension host. */
import type { HostToPanel, PanelToHost } from '../../src/protocol/panels';
import { connectToHost, type HostChannel } from '../shared/hostChannel';
import { asPanelsUiState, type PanelsUiState } from './uiState';

export type PanelHost = HostChannel<PanelToHost, HostToPanel, PanelsUiState>;

export function connectPanelHost(): PanelHost {
  return connectToHost({ isHostMessage, asUiState: asPanelsUiState });
}

function isHostMessage(value: unknown): value is HostToPanel {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { type?: unknown; data?: unknown; message?: unknown };
  switch (message.type) {
    case 'impact':
    case 'lis':
    case 'run':
    case 'history':
      return typeof message.data === 'object' && message.data !== null;
    case 'busy':
      return typeof message.message === 'string' || message.message === null;
    case 'error':
      return typeof message.message === 'string';
    default:
      return false;
  }
}
