/** Error pop-ups name files relative to the workspace folder, as the CLI names them relative to the config. */
import * as vscode from 'vscode';
import { RecLensError } from '../engine/errors';
import { relativePaths } from '../engine/util/messagePaths';

/** `text` with every absolute path inside a workspace folder made relative to that folder. */
export function workspaceRelative(text: string): string {
  for (const folder of vscode.workspace.workspaceFolders ?? []) text = relativePaths(text, folder.uri.fsPath);
  return text;
}

/** `RecLens: <message>` as an error notification, with paths inside the workspace shown relative to it. */
export function showError(message: string, ...items: string[]): Thenable<string | undefined> {
  return vscode.window.showErrorMessage(`RecLens: ${workspaceRelative(message)}`, ...items);
}

/**
 * A panel whose data could not be made: its error line says why ("Cancelled." when the user cancelled), and so does
 * an error notification, except for a cancel.
 */
export function reportPanelFailure(e: unknown, post: (message: { type: 'error'; message: string }) => void): void {
  const cancelled = e instanceof RecLensError && e.kind === 'cancelled';
  const message = cancelled ? 'Cancelled.' : (e as Error).message;
  post({ type: 'error', message });
  if (!cancelled) void showError(message);
}
