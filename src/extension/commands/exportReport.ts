/** "RecLens: Export Report": one run record as a self-contained HTML report, written atomically. */
import * as vscode from 'vscode';
import type { RunRecord } from '../../engine/runs/runRecord';
import { chooseConfig } from '../configs';

export interface ExportReportArgs {
  record?: RunRecord;
  file?: string;
  /** Where to write (no save dialog). */
  target?: vscode.Uri;
}

export const exportReport = () => async (arg?: ExportReportArgs) => {
  const { renderReport } = await import('../../engine/report/html');
  const { listRunRecords } = await import('../../engine/runs/runRecord');
  let record = arg?.record;
  if (!record) {
    const uri = await chooseConfig(arg);
    if (!uri) return undefined;
    const { requireConfig } = await import('../../engine/config/loadConfig');
    const all = listRunRecords(
      (await import('../settings')).readSettings().runsDir(requireConfig(uri.fsPath).config.dir),
    );
    const { runLabel } = await import('../../engine/runs/summary');
    const pick = await vscode.window.showQuickPick(
      all.map((r) => ({ label: runLabel(r), description: r.createdAt, r })),
      { placeHolder: 'Which run?' },
    );
    record = pick?.r;
  }
  if (!record) return undefined;
  const target =
    arg?.target ??
    (await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(`reclens-${record.id}.html`),
      filters: { HTML: ['html'] },
    }));
  if (!target) return undefined;
  const { writeFileAtomic } = await import('../../engine/runs/atomicWrite');
  writeFileAtomic(target.fsPath, renderReport(record));
  void vscode.window.showInformationMessage(`RecLens: report written to ${vscode.workspace.asRelativePath(target)}`);
  return target.fsPath;
};
