/** "RecLens: Show Metric History" (Runs view title): AUC / GAUC with intervals across the workspace's eval runs. */
import * as path from 'path';
import * as vscode from 'vscode';
import { loadConfig } from '../../engine/config/loadConfig';
import { evalHistory } from '../../engine/runs/history';
import { listRunRecords, RunRecord } from '../../engine/runs/runRecord';
import { findConfigs } from '../configs';
import { ResultPanel } from '../panels/resultsPanelHost';
import { readSettings } from '../settings';

/** The runs folders of every config in the workspace. */
async function runsDirs(): Promise<string[]> {
  const settings = readSettings();
  const dirs = new Set<string>();
  for (const uri of await findConfigs())
    dirs.add(settings.runsDir(loadConfig(uri.fsPath).config?.dir ?? path.dirname(uri.fsPath)));
  return [...dirs];
}

/** Every run record in those folders, each once (read again whenever the panel refreshes after a run). */
function records(dirs: string[]): RunRecord[] {
  const seen = new Map<string, RunRecord>();
  for (const d of dirs) for (const r of listRunRecords(d)) seen.set(r.id, r);
  return [...seen.values()];
}

export function registerShowHistory(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('reclens.showHistory', async () => {
      const dirs = await runsDirs();
      return ResultPanel.show('history', 'workspace', 'RecLens: Metric History', context.extensionUri, () => ({
        type: 'history',
        data: { title: 'AUC and GAUC across evaluation runs', points: evalHistory(records(dirs)) },
      }));
    }),
  );
}
