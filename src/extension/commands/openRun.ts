/** "Open Run Record" (Runs view): the record's JSON in an editor. */
import * as vscode from 'vscode';
import type { RunNode } from '../runsTree';

export const openRun = () => async (node?: RunNode) => {
  if (node?.file) await vscode.window.showTextDocument(vscode.Uri.file(node.file), { preview: true });
};
