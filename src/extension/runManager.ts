/**
 * Runs engine jobs from the editor (any job of the registry: evaluate, ablate, ceiling, LIS, ...): one at a time,
 * with a cancellable progress notification, the status bar, the output channel, and a run record written atomically.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { requireConfig } from '../engine/config/loadConfig';
import type { ProviderName, RecLensConfig } from '../engine/config/types';
import { RecLensError } from '../engine/errors';
import type { EvalResult } from '../engine/jobs/evaluate';
import { JobKind, jobSpec } from '../engine/jobs/registry';
import { relativePaths } from '../engine/util/messagePaths';
import { progressFraction, type JobControl } from '../engine/progress';
import type { RunRecord } from '../engine/runs/runRecord';
import { writeRunRecord } from '../engine/runs/runRecord';
import { runLabel } from '../engine/runs/summary';
import { editorJobOptions, JobArgs } from './jobArgs';
import { readSettings, RunSettings } from './settings';
import type { ProviderStatus } from './statusBar';
import { refused, requireTrust } from './trust';

export type { JobArgs, JobKind };

export type JobOutcome<R = unknown> =
  | { status: 'done'; recordFile: string; runId: string; result: R; record: RunRecord<R> }
  | { status: 'cancelled' }
  | { status: 'refused'; reason: string }
  | { status: 'failed'; message: string };
export type EvaluateOutcome = JobOutcome<EvalResult>;

/** The job from the registry, with the settings and the command's arguments as its options (checked there). */
function startJob(
  kind: JobKind,
  config: RecLensConfig,
  s: RunSettings,
  providers: ProviderName[] | undefined,
  args: unknown,
  control: JobControl,
): Promise<{ result: unknown; record: RunRecord }> {
  return jobSpec(kind).run(config, editorJobOptions(kind, s, providers, args), control);
}

export class RunManager implements vscode.Disposable {
  private current: AbortController | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly finished = new vscode.EventEmitter<RunRecord>();
  /** Fires with each new run record (panels and views refresh on it). */
  readonly onDidFinish = this.finished.event;
  /** Set by "Select Execution Provider"; wins over settings and config for this workspace. */
  providerOverride: ProviderName[] | undefined;

  constructor(
    private readonly output: vscode.OutputChannel,
    private readonly status: ProviderStatus,
    private readonly state: vscode.Memento,
  ) {
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

  evaluate(configUri: vscode.Uri): Promise<EvaluateOutcome> {
    return this.run('eval', configUri) as Promise<EvaluateOutcome>;
  }

  async run<K extends JobKind>(kind: K, configUri: vscode.Uri, args: JobArgs<K> = {}): Promise<JobOutcome> {
    const title = jobSpec(kind).title;
    if (!requireTrust(title, this.output)) return refused(title);
    if (this.current) {
      void vscode.window.showInformationMessage(
        'A RecLens run is already in progress. Cancel it first ("RecLens: Cancel Run").',
      );
      return { status: 'refused', reason: 'busy' };
    }
    const ac = new AbortController();
    this.current = ac;
    this.changed.fire();
    const settings = readSettings();
    const started = Date.now();
    const slots = (args as { slots?: unknown } | null)?.slots; // a command may be given null
    this.output.appendLine(
      `[${new Date().toISOString()}] ${kind} ${configUri.fsPath}${Array.isArray(slots) ? ` slots ${slots.join(',')}` : ''}`,
    );
    try {
      const { config } = requireConfig(configUri.fsPath);
      const configSetsProviders = Boolean(
        (config.raw.runtime as { executionProviders?: unknown } | undefined)?.executionProviders,
      );
      const providers = this.providerOverride ?? (configSetsProviders ? undefined : settings.providers);
      const run = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `RecLens: ${title}`, cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => ac.abort());
          // One counter for the notification and the status bar: "pass 12 / 37 · mask genres 45%".
          let last = '',
            reported = 0;
          return startJob(kind, config, settings, providers, args, {
            signal: ac.signal,
            onProgress: (e) => {
              const pct = Math.floor(100 * progressFraction(e));
              const within = e.total > 1 ? ` ${Math.floor((100 * e.done) / e.total)}%` : '';
              const text = `${e.step !== undefined && e.steps ? `pass ${e.step} / ${e.steps} · ` : ''}${e.phase}${within}`;
              if (text !== last) {
                last = text;
                progress.report({ message: text, increment: Math.max(0, pct - reported) });
                reported = Math.max(reported, pct);
                this.status.progress(text);
              }
            },
          });
        },
      );
      const recordFile = writeRunRecord(settings.runsDir(config.dir), run.record);
      this.status.setProvider(run.record.executionProvider, run.record.providerFallbacks);
      for (const f of run.record.providerFallbacks)
        this.output.appendLine(`  provider ${f.provider} skipped: ${f.reason}`);
      const summary =
        kind === 'eval'
          ? evalSummary(run.result as EvalResult)
          : `${runLabel(run.record)}, provider ${run.record.executionProvider}`;
      this.output.appendLine(`  ${summary}; ${((Date.now() - started) / 1000).toFixed(2)} s; record ${recordFile}`);
      // Data warnings (NULL groups, a label written as words) go with the result: the numbers alone hide them.
      const warnings = run.record.warnings ?? [];
      for (const w of warnings) this.output.appendLine(`  warning: ${w}`);
      this.finished.fire(run.record);
      const notify = warnings.length
        ? vscode.window.showWarningMessage(
            `RecLens: ${summary}. ${warnings.length === 1 ? warnings[0] : `${warnings.length} data warnings: ${warnings.join(' ')}`}`,
            'Open Run Record',
            'Show Output',
          )
        : vscode.window.showInformationMessage(`RecLens: ${summary}`, 'Open Run Record');
      void notify.then((pick) => {
        if (pick === 'Show Output') this.output.show();
        else if (pick) void vscode.window.showTextDocument(vscode.Uri.file(recordFile));
      });
      return { status: 'done', recordFile, runId: run.record.id, result: run.result, record: run.record };
    } catch (e) {
      this.status.idle();
      if (e instanceof RecLensError && e.kind === 'cancelled') {
        this.output.appendLine('  cancelled; no run record written');
        void vscode.window.showInformationMessage('RecLens: run cancelled.');
        return { status: 'cancelled' };
      }
      const message =
        e instanceof RecLensError
          ? relativePaths(e.message, path.dirname(configUri.fsPath))
          : `Internal error in RecLens: ${(e as Error)?.message ?? e}`;
      this.output.appendLine(`  failed: ${message}`);
      if (!(e instanceof RecLensError)) this.output.appendLine(String((e as Error)?.stack));
      const where = e instanceof RecLensError && e.where.file ? e.where.file : undefined;
      void vscode.window
        .showErrorMessage(`RecLens: ${message}`, ...(where ? ['Open File'] : []), 'Show Output')
        .then((pick) => {
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
    this.finished.dispose();
  }
}

function evalSummary(r: EvalResult): string {
  const ci = (c: [number, number] | null | undefined) => (c ? ` [${c[0].toFixed(4)}, ${c[1].toFixed(4)}]` : '');
  return `AUC ${r.auc.toFixed(4)}${ci(r.ci?.auc)}${r.gauc !== null ? `, GAUC ${r.gauc.toFixed(4)}${ci(r.ci?.gauc)}` : ''}${r.ci ? ' (95% intervals)' : ''} on ${r.rows.toLocaleString('en-US')} rows, provider ${r.executionProvider}`;
}
