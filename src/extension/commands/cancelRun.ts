/** "RecLens: Cancel Run": stops the run in progress, if any. */
import * as vscode from 'vscode';
import type { Services } from './services';

export const cancelRun =
  ({ runs }: Services) =>
  () => {
    if (!runs.cancel()) void vscode.window.showInformationMessage('RecLens: no run in progress.');
    return runs.running;
  };
