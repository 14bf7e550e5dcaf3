/**
 * The sidebar's loading state: until the first search for reclens.json files has finished, the views say
 * "Looking for reclens.json…" instead of "No reclens.json in this workspace yet" (package.json viewsWelcome reads
 * the `reclens.workspaceScanned` context key; before activation it is unset, so the loading text shows).
 */
import * as vscode from 'vscode';
import { findConfigs } from './configs';

export async function markWorkspaceScanned(): Promise<void> {
  try {
    await findConfigs();
  } finally {
    await vscode.commands.executeCommand('setContext', 'reclens.workspaceScanned', true);
  }
}
