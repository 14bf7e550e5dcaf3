/**
 * Runs engine jobs from the editor: one at a time, with a cancellable progress notification, the status bar,
 * the output channel, and a run record written atomically at the end.
 */
import * as vscode from 'vscode';
import { requireConfig } from '../engine/config/loadConfig';
import type { ProviderName } from '../engine/config/types';
import { RecLensError } from '../engine/errors';
import type { EvalResult } from '../engine/evaluate';
import { writeRunRecord } from '../engine/runs/runRecord';
import { readSettings } from './settings';
import type { ProviderStatus } from './statusBar';

export type EvaluateOutcome =
  | { status: 'done'; recordFile: string; runId: string; result: EvalResult }
  | { status: 'cancelled' }
  | { status: 'refused'; reason: string }
  | { status: 'failed'; message: string };

export class RunManager implements vscode.Disposable {
  private current: AbortController | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  /** Set by "Select Execution Provider"; wins over settings and config for this workspace. */
  providerOverride: ProviderName[] | undefined;

  constructor(private readonly output: vscode.OutputChannel, private readonly status: ProviderStatus, private readonly state: vscode.Memento) {
    this.providerOverride = state.get<ProviderName[]>('reclens.providerOverride');
  }

  get running(): boolean {
    return this.current !== undefined;
  }

  async setProviderOverride(chain: ProviderName[] | undefined): Promise<void> {
    this.providerOverride = chain;
    await this.state.update('reclens.providerOverride', chain);
  }

  cancel(): boolean {
    if (!this.current) return false;
    this.current.abort();
    return true;
  }

  async evaluate(configUri: vscode.Uri): Promise<EvaluateOutcome> {
    if (!vscode.workspace.isTrusted) {
      const reason = 'RecLens does not execute models in an untrusted workspace (an ONNX file and its data can run arbitrary native code paths). Inspection still works. Trust this workspace to evaluate.';
      this.output.appendLine(`[refused] ${reason}`);
      void vscode.window.showWarningMessage(reason, 'Manage Workspace Trust').then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
      });
      return { status: 'refused', reason };
    }
    if (this.current) {
      void vscode.window.showInformationMessage('A RecLens run is already in progress. Cancel it first ("RecLens: Cancel Run").');
      return { status: 'refused', reason: 'busy' };
    }
    const ac = new AbortController();
    this.current = ac;
    this.changed.fire();
    const settings = readSettings();
    const started = Date.now();
    this.output.appendLine(`[${new Date().toISOString()}] evaluate ${configUri.fsPath}`);
    try {
      const { config } = requireConfig(configUri.fsPath);
      const configSetsProviders = Boolean((config.raw.runtime as { executionProviders?: unknown } | undefined)?.executionProviders);
      const providers = this.providerOverride ?? (configSetsProviders ? undefined : settings.providers);
      const { evaluate } = await import('../engine/evaluate');
      const run = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'RecLens: evaluating', cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => ac.abort());
          let lastPct = 0;
          return evaluate(config, { seed: settings.seed, bootstrap: settings.bootstrap, providers, batchSize: settings.batchSize }, {
            signal: ac.signal,
            onProgress: (e) => {
              const pct = e.phase === 'inference' ? Math.floor((90 * e.done) / Math.max(1, e.total)) : e.phase === 'metrics' ? 90 + 10 * (e.done / Math.max(1, e.total)) : 0;
              if (pct > lastPct) {
                progress.report({ increment: pct - lastPct, message: `${e.phase} ${e.done.toLocaleString()} / ${e.total.toLocaleString()}` });
                lastPct = pct;
                this.status.progress(Math.round(pct), e.phase);
              }
            },
          });
        },
      );
      const recordFile = writeRunRecord(settings.runsDir(config.dir), run.record);
      const r = run.result;
      this.status.setProvider(r.executionProvider, r.providerFallbacks);
      for (const f of r.providerFallbacks) this.output.appendLine(`  provider ${f.provider} skipped: ${f.reason}`);
      const summary = `AUC ${r.auc.toFixed(4)}${r.gauc !== null ? ` (GAUC ${r.gauc.toFixed(4)})` : ''} on ${r.rows.toLocaleString('en-US')} rows, provider ${r.executionProvider}`;
      this.output.appendLine(`  ${summary}; LogLoss ${r.logloss.toFixed(4)}; ${((Date.now() - started) / 1000).toFixed(2)} s; record ${recordFile}`);
      void vscode.window.showInformationMessage(`RecLens: ${summary}`, 'Open Run Record').then((pick) => {
        if (pick) void vscode.window.showTextDocument(vscode.Uri.file(recordFile));
      });
      return { status: 'done', recordFile, runId: run.record.id, result: r };
    } catch (e) {
      this.status.idle();
      if (e instanceof RecLensError && e.kind === 'cancelled') {
        this.output.appendLine('  cancelled; no run record written');
        void vscode.window.showInformationMessage('RecLens: run cancelled.');
        return { status: 'cancelled' };
      }
      const message = e instanceof RecLensError ? e.message : `Internal error in RecLens: ${(e as Error)?.message ?? e}`;
      this.output.appendLine(`  failed: ${message}`);
      if (!(e instanceof RecLensError)) this.output.appendLine(String((e as Error)?.stack));
      const where = e instanceof RecLensError && e.where.file ? e.where.file : undefined;
      void vscode.window.showErrorMessage(`RecLens: ${message}`, ...(where ? ['Open File'] : []), 'Show Output').then((pick) => {
        if (pick === 'Show Output') this.output.show();
        else if (pick === 'Open File' && where) void vscode.window.showTextDocument(vscode.Uri.file(where));
      });
      return { status: 'failed', message };
    } finally {
      this.current = undefined;
      this.changed.fire();
    }
  }

  dispose(): void {
    this.current?.abort();
    this.changed.dispose();
  }
}
