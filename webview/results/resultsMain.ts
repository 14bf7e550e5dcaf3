/**
 * Entry of the Feature Impact, LIS and Run webview (one bundle for the three panels). Protocol: post `ready`,
 * then render whichever of `impact` / `lis` / `run` arrives; the host resends data on `ready`, so a webview
 * recreated after hide/show comes back with its saved UI state.
 */
import '../shared/cspNonce'; // first: the toolkit reads the nonce as soon as it is imported
import { watchTheme } from '../shared/theme';
import { UiStateStore } from '../shared/uiStateStore';
import { registerToolkit } from '../ui/toolkit';
import { connectPanelHost } from './resultsChannel';
import { PanelShell } from './panelShell';

registerToolkit();
const host = connectPanelHost();
const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
const shell = new PanelShell(root, host, new UiStateStore(host));

host.onMessage((message) => {
  switch (message.type) {
    case 'impact':
    case 'lis':
    case 'run':
    case 'history':
      shell.show(message);
      break;
    case 'busy':
      shell.showBusy(message.message);
      break;
    case 'error':
      shell.showError(message.message);
      break;
    case 'reply':
      break; // settles its request in connectPanelHost; the requester shows it
  }
});
watchTheme(() => shell.refresh());
host.post({ type: 'ready' });
