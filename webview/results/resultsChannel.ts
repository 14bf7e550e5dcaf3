/** The Feature Impact / LIS / Run webview's typed channel to the extension host. */
import type { HostToPanel, PanelReply, PanelRequest, PanelToHost } from '../../src/protocol/results';
import { connectToHost, type HostChannel } from '../shared/hostChannel';
import { asPanelsUiState, type PanelsUiState } from './uiState';

/** A request as a view writes it; the channel numbers it. */
type Unnumbered<T> = T extends unknown ? Omit<T, 'messageId'> : never;

export interface PanelHost extends HostChannel<PanelToHost, HostToPanel, PanelsUiState> {
  /** Posts a request numbered with a fresh messageId; resolves with the host's reply to that number. */
  request(message: Unnumbered<PanelRequest>): Promise<PanelReply>;
}

export function connectPanelHost(): PanelHost {
  const channel = connectToHost<PanelToHost, HostToPanel, PanelsUiState>({ isHostMessage, asUiState: asPanelsUiState });
  const pending = new Map<number, (reply: PanelReply) => void>();
  let nextId = 1;
  channel.onMessage((message) => {
    if (message.type !== 'reply') return;
    pending.get(message.inReplyTo)?.(message);
    pending.delete(message.inReplyTo);
  });
  return {
    ...channel,
    request(message) {
      const messageId = nextId++;
      return new Promise<PanelReply>((resolve) => {
        pending.set(messageId, resolve);
        channel.post({ ...message, messageId } as PanelRequest);
      });
    },
  };
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
    case 'reply': {
      const reply = value as { inReplyTo?: unknown; ok?: unknown };
      return (
        Number.isSafeInteger(reply.inReplyTo) &&
        typeof reply.ok === 'boolean' &&
        (typeof message.message === 'string' || message.message === null)
      );
    }
    default:
      return false;
  }
}
