/**
 * "RecLens: Clear Cache": removes the decoded rows kept in `.reclens/cache` beside each config of the workspace (up
 * to three spilled row sets per folder) after dropping those kept in memory, and the saved model graphs in
 * `.reclens/model-cache` (listed in the output: model, size, last use). Nothing else is removed and no symbolic
 * link is followed (engine/data/clearCache.ts). Refused while a run or a Rows explorer may be reading those rows.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { RowCacheCleared } from '../../engine/data/clearCache';
import { findConfigs } from '../configs';
import { showError, workspaceRelative } from '../errorMessage';
import type { Services } from './services';

export const clearCache =
  ({ runs, output }: Services) =>
  async (): Promise<RowCacheCleared[] | undefined> => {
    if (runs.running) {
      void vscode.window.showWarningMessage('RecLens: a run is in progress; cancel it or wait, then clear the cache.');
      return undefined;
    }
    const { RowsPanel } = await import('../panels/rowsPanelHost');
    if (RowsPanel.all().length) {
      void vscode.window.showWarningMessage(
        'RecLens: a Rows explorer is open and reads its rows from the cache; close it, then clear the cache.',
      );
      return undefined;
    }
    const { clearRowCache, describeCleared } = await import('../../engine/data/clearCache');
    const { clearModelCache, describeModelCacheCleared } = await import('../../engine/model/modelCache');
    const { describeModelCache, modelCacheContents } = await import('../../engine/model/modelCacheContents');
    // The inference worker kept for the next job holds a model loaded from that cache: ended too.
    await (await import('../../engine/model/sessionKeeper')).releaseKeptSessions();
    const folders = [...new Set((await findConfigs()).map((u) => path.dirname(u.fsPath)))];
    const results: RowCacheCleared[] = [];
    for (const folder of folders) {
      try {
        const r = clearRowCache(folder);
        results.push(r);
        output.appendLine(`Clear Cache: ${workspaceRelative(describeCleared(r))}`);
        const listed = modelCacheContents(folder); // the saved model graphs beside the row sets: model, size, age
        const models = clearModelCache(folder);
        if (models.removed || models.refused)
          output.appendLine(`Clear Cache: ${workspaceRelative(describeModelCacheCleared(models))}`);
        if (models.removed)
          output.appendLine(workspaceRelative(describeModelCache(listed).split('\n').slice(1).join('\n')));
      } catch (e) {
        void showError(`could not clear ${path.join(folder, '.reclens', 'cache')}: ${(e as Error).message}`);
      }
    }
    const removed = results.filter((r) => r.removed);
    const refused = results.filter((r) => r.refused);
    const mib = removed.reduce((a, r) => a + r.bytes, 0) / 2 ** 20;
    const sets = removed.reduce((a, r) => a + r.entries.length, 0);
    const summary = removed.length
      ? `RecLens: removed ${sets} cached row set${sets === 1 ? '' : 's'} (${mib.toFixed(1)} MiB) from ${removed.length} folder${removed.length === 1 ? '' : 's'}: ${removed.map((r) => workspaceRelative(r.dir)).join(', ')}.`
      : 'RecLens: no cached rows to remove.';
    if (refused.length)
      void vscode.window.showWarningMessage(
        `${summary} Not touched: ${refused.map((r) => workspaceRelative(r.refused!)).join(' ')}`,
      );
    else void vscode.window.showInformationMessage(summary);
    return results;
  };
