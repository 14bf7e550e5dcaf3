/** The status-bar item: the execution provider actually used, and a running job's progress. */
import * as vscode from 'vscode';

export class ProviderStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('reclens.provider', vscode.StatusBarAlignment.Right, 100);
  private provider: string | undefined;
  private fallbacks: { provider: string; reason: string }[] = [];

  constructor() {
    this.item.name = 'RecLens execution provider';
    this.item.command = 'reclens.selectExecutionProvider';
    this.idle();
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  setProvider(provider: string, fallbacks: { provider: string; reason: string }[]): void {
    this.provider = provider;
    this.fallbacks = fallbacks;
    this.idle();
  }

  /** The same text as the progress notification (runManager builds it once for both). */
  progress(text: string): void {
    this.item.text = `$(sync~spin) RecLens: ${text}`;
    this.item.tooltip =
      'A RecLens run is in progress. Click to choose the execution provider; use "RecLens: Cancel Run" to stop it.';
  }

  idle(): void {
    this.item.text = this.provider ? `$(chip) RecLens: ${this.provider}` : '$(chip) RecLens';
    const md = new vscode.MarkdownString(
      this.provider ? `Last run used **${this.provider}**.` : 'No model has run yet.',
    );
    for (const f of this.fallbacks) md.appendMarkdown(`\n\n${f.provider} was skipped: ${f.reason}`);
    md.appendMarkdown('\n\nClick to choose the execution providers.');
    this.item.tooltip = md;
  }

  dispose(): void {
    this.item.dispose();
  }
}
