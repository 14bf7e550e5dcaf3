/**
 * Entry of the Embedding Space webview. Protocol: post `ready`, then render every `data` message (the host resends
 * data on `ready`, so a webview recreated after hide/show comes back with its saved UI state).
 */
import '../shared/cspNonce'; // first: the toolkit reads the nonce as soon as it is imported
import { registerToolkit } from '../ui/toolkit';
import { EmbeddingPanel } from './embeddingPanel';
import { connectToHost } from './embeddingChannel';
import { watchTheme } from '../shared/theme';
import { UiStateStore } from '../shared/uiStateStore';

registerToolkit();
const host = connectToHost();
const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
const panel = new EmbeddingPanel(root, host, new UiStateStore(host));

host.onMessage((message) => {
  switch (message.type) {
    case 'data':
      panel.showData(message.data);
      break;
    case 'progress':
      panel.showProgress(message.message);
      break;
    case 'error':
      panel.showError(message.message);
      break;
  }
});
watchTheme((theme) => panel.setTheme(theme));
host.post({ type: 'ready' });
