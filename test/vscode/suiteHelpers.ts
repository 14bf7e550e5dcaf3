/** What both passes of the extension suite (trusted: extension.test.ts, untrusted: untrusted.test.ts) look at. */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RecLensApi } from '../../src/extension/extension';

export const folder = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
export const runsDir = () => path.join(folder(), '.reclens', 'runs');
export const listRuns = () =>
  fs.existsSync(runsDir()) ? fs.readdirSync(runsDir()).filter((f) => f.endsWith('.json')) : [];

/** The extension under test, activated: its API (trees, run manager, panels) as the bundle built it. */
export async function api(): Promise<RecLensApi> {
  const ext = vscode.extensions.all.find((e) => e.packageJSON.name === 'reclens');
  assert.ok(ext, 'the RecLens extension is installed');
  return (await ext.activate()) as RecLensApi;
}

/** The text of every hover shown two characters into the first `needle` of a file, as a person would read it. */
export async function hoverTextAt(uri: vscode.Uri, needle: string): Promise<string> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const offset = doc.getText().indexOf(needle);
  assert.ok(offset >= 0, `${needle} is in ${uri.fsPath}`);
  const hovers = (await vscode.commands.executeCommand(
    'vscode.executeHoverProvider',
    uri,
    doc.positionAt(offset + 2),
  )) as vscode.Hover[];
  return hovers
    .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value)))
    .join('\n');
}
