/** Finding reclens.json files and choosing the one a command acts on. */
import * as path from 'path';
import * as vscode from 'vscode';

export const CONFIG_GLOB = '**/{reclens.json,*.reclens.json}';

export function isConfigFile(fsPath: string): boolean {
  const base = path.basename(fsPath);
  return base === 'reclens.json' || base.endsWith('.reclens.json');
}

export async function findConfigs(): Promise<vscode.Uri[]> {
  const uris = await vscode.workspace.findFiles(CONFIG_GLOB, '{**/node_modules/**,**/.reclens/**}');
  return uris.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

/**
 * The config a command should use: an explicit argument (tree item or Uri), the active editor's config,
 * the only config, or the user's pick among several.
 */
export async function chooseConfig(arg?: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const fromItem = (arg as { configUri?: vscode.Uri } | undefined)?.configUri;
  if (fromItem) return fromItem;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && isConfigFile(active.fsPath)) return active;
  const all = await findConfigs();
  if (all.length === 1) return all[0];
  if (all.length === 0) {
    const pick = await vscode.window.showWarningMessage('No reclens.json in this workspace.', 'Create Config');
    if (pick) await vscode.commands.executeCommand('reclens.createConfig');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    all.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })),
    { placeHolder: 'Which RecLens config?' },
  );
  return picked?.uri;
}
