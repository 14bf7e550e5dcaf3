/**
 * The typed boundary to the extension host, shared by every RecLens webview: VS Code's webview API, acquired once
 * (a second acquireVsCodeApi call throws). Each panel supplies its own message guard and saved-state reader, so
 * a message or a state from another build is dropped or trimmed here rather than crashing the panel.
 */
interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): unknown;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostChannel<ToHost, FromHost, State> {
  post(message: ToHost): void;
  /** The UI state saved before the webview was last hidden, if any. */
  savedState(): State;
  saveState(state: State): void;
  onMessage(listener: (message: FromHost) => void): void;
}

export interface ChannelContract<FromHost, State> {
  isHostMessage(value: unknown): value is FromHost;
  /** Reads saved state defensively: it may come from an older build, or not at all. */
  asUiState(value: unknown): State;
}

export function connectToHost<ToHost, FromHost, State>(
  contract: ChannelContract<FromHost, State>,
): HostChannel<ToHost, FromHost, State> {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    savedState: () => contract.asUiState(api.getState()),
    saveState: (state) => void api.setState(state),
    onMessage(listener) {
      window.addEventListener('message', (event: MessageEvent<unknown>) => {
        if (contract.isHostMessage(event.data)) listener(event.data);
      });
    },
  };
}
