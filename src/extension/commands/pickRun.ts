/** Picks a run record of any config in the workspace, newest first (Show Run, Compare Runs). */
import * as vscode from 'vscode';
import type { RunRecord } from '../../engine/runs/runRecord';

export async function pickRun(placeHolder: string, exclude?: string): Promise<RunRecord | undefined> {
  const { RunsTree } = await import('../runsTree');
  const nodes = (await new RunsTree().getChildren()).filter((n) => n.record.id !== exclude);
  if (nodes.length === 0) {
    void vscode.window.showInformationMessage('RecLens: no runs yet.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    nodes.map((n) => ({
      label: String(n.label),
      description: String(n.description ?? ''),
      detail: n.record.id,
      record: n.record,
    })),
    { placeHolder },
  );
  return pick?.record;
}
