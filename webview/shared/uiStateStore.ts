/** A panel's UI state, saved with the host on every change so it survives hide/show (vscode.setState). */
export interface StatePersistence<State> {
  savedState(): State;
  saveState(state: State): void;
}

export class UiStateStore<State extends object> {
  private state: State;

  constructor(private readonly host: StatePersistence<State>) {
    this.state = host.savedState();
  }

  get current(): Readonly<State> {
    return this.state;
  }

  update(patch: Partial<State>): void {
    this.state = { ...this.state, ...patch };
    // setState is cheap (a small JSON object), so no debouncing here; callers save a gesture (e.g. a zoom) when it ends.
    this.host.saveState(this.state);
  }
}
