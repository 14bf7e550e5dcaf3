/**
 * "RecLens: Compare Runs": two runs scored on the same rows, paired differences with intervals, in a panel.
 * Returns the comparison; undefined when the user cancelled; `{ status: 'refused' | 'failed', reason }` otherwise.
 */
import * as vscode from 'vscode';
import { CancelledError } from '../../engine/errors';
import type { RunRecord } from '../../engine/runs/runRecord';
import { readSettings } from '../settings';
import { refused, requireTrust } from '../trust';
import { pickRun } from './pickRun';
import type { Services } from './services';
import { showError } from '../errorMessage';

export interface CompareRunsArgs {
  a?: RunRecord;
  b?: RunRecord;
}

export const compareRuns =
  ({ context, output }: Services) =>
  async (arg?: CompareRunsArgs) => {
    if (!requireTrust('Compare Runs', output)) return refused('Compare Runs');
    const a = arg?.a ?? (await pickRun('First run (A)'));
    if (!a) return undefined;
    const b = arg?.b ?? (await pickRun(`Compare ${a.id} with (B)`, a.id));
    if (!b) return undefined;
    const { compareRuns } = await import('../../engine/compare');
    const { ResultPanel, runPanelTitle } = await import('../panels/resultsPanelHost');
    const comparison = await vscode.window
      .withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'RecLens: comparing runs', cancellable: true },
        (progress, token) => {
          const ac = new AbortController();
          token.onCancellationRequested(() => ac.abort());
          return compareRuns(
            a,
            b,
            { bootstrap: readSettings().bootstrap },
            {
              signal: ac.signal,
              onProgress: (e) =>
                progress.report({ message: `${e.phase} ${e.done.toLocaleString()} / ${e.total.toLocaleString()}` }),
            },
          );
        },
      )
      .then(
        (c) => c,
        (e: Error) => e,
      );
    if (comparison instanceof Error) {
      void showError(comparison.message);
      return comparison instanceof CancelledError
        ? undefined
        : { status: 'failed' as const, reason: comparison.message };
    }
    const title = `RecLens compare: ${a.id} vs ${b.id}`;
    ResultPanel.show(
      'run',
      `${a.id}|${b.id}`,
      title,
      context.extensionUri,
      () => ({ type: 'run', data: { title: runPanelTitle(a), record: a, comparison } }),
      a.config.file,
    );
    return comparison;
  };
