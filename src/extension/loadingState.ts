/**
 * The sidebar's loading state: the views say "Looking for reclens.json…" until a search has found NO config; only
 * then "No reclens.json in this workspace yet" with its Create Config button (package.json viewsWelcome reads the
 * `reclens.noConfigFound` context key; before activation it is unset, so the loading text shows). When a config is
 * found the key stays false, so while its tree is still loading (model and data being read) the views keep the
 * loading text instead of flashing "No reclens.json" (the key was once set as soon as the search ended, before the
 * trees had their items).
 */
import * as vscode from 'vscode';
import { findConfigs } from './configs';

/** Records a search's outcome; called by the first search at activation and by every Workspace view refresh. */
export async function noteConfigSearch(found: number): Promise<void> {
  await vscode.commands.executeCommand('setContext', 'reclens.noConfigFound', found === 0);
}

export async function markWorkspaceScanned(): Promise<void> {
  let found = 0;
  try {
    found = (await findConfigs()).length;
  } finally {
    await noteConfigSearch(found);
  }
}
