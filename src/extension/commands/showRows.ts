/**
 * "RecLens: Show Rows Explorer": the rows the model gets most wrong, and the row What-If. Arguments (from links):
 * { configUri, slice, search, sortBySlot }. Refused in an untrusted workspace: it scores rows with the model.
 */
import * as vscode from 'vscode';
import type { RowQuery } from '../../engine/rows/types';
import { chooseConfig } from '../configs';
import { showError } from '../errorMessage';

export interface ShowRowsArgs {
  configUri?: vscode.Uri | string;
  slice?: string;
  /** Filter rows by item id, item label or user id (e.g. "rows with this item"). */
  search?: string;
  /** Only the rows of this item (exact id): "rows with this item" from the Embedding Space. */
  item?: string;
  /** Sort by how much this slot moves each row when masked ("rows where this slot matters most"). */
  sortBySlot?: string;
}

export function registerShowRows(context: vscode.ExtensionContext, output: vscode.OutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand('reclens.showRows', async (arg?: ShowRowsArgs) => {
    if (!vscode.workspace.isTrusted) {
      const reason =
        'RecLens does not score rows in an untrusted workspace (it runs the model). Trust this workspace to explore rows.';
      output.appendLine(`[refused] ${reason}`);
      void vscode.window.showWarningMessage(reason, 'Manage Workspace Trust').then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
      });
      return undefined;
    }
    const given = typeof arg?.configUri === 'string' ? vscode.Uri.file(arg.configUri) : arg?.configUri;
    const uri = await chooseConfig(given ?? arg);
    if (!uri) return undefined;
    const query: Partial<RowQuery> = {};
    if (arg?.slice) query.slice = arg.slice;
    if (arg?.search) query.search = arg.search;
    if (arg?.item) query.item = String(arg.item);
    if (arg?.sortBySlot) {
      query.sort = 'slot';
      query.slot = arg.sortBySlot;
      query.descending = true;
    }
    const { RowsPanel } = await import('../panels/rowsPanelHost');
    try {
      return await RowsPanel.show(uri, context.extensionUri, output, Object.keys(query).length ? query : undefined);
    } catch (e) {
      void showError((e as Error).message);
      return undefined;
    }
  });
}
