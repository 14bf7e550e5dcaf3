/**
 * "RecLens: Open Example Workspace": copies the example shipped inside the extension (examples/planted: a small
 * generated workspace whose answers are known) into a folder the user picks, then opens it. Works from the installed
 * extension, with nothing else to download.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

/** The bundled example, relative to the extension root; its generator (build/) is not shipped. */
export const EXAMPLE = ['examples', 'planted'];
const FOLDER_NAME = 'reclens-example';

export interface OpenExampleArgs {
  /** The parent folder (no dialog); the example goes into <parent>/reclens-example[-N]. */
  parent?: vscode.Uri;
  /** false: copy only (tests); default true. */
  open?: boolean;
}

/** A name in `parent` that is not taken yet: reclens-example, reclens-example-2, ... */
function freeFolder(parent: string): string {
  for (let i = 1; ; i++) {
    const candidate = path.join(parent, i === 1 ? FOLDER_NAME : `${FOLDER_NAME}-${i}`);
    if (!fs.existsSync(candidate)) return candidate;
  }
}

/** Copies the example next to its final place, then renames it: never a half-copied workspace. */
export function copyExample(extensionRoot: string, parent: string): string {
  const source = path.join(extensionRoot, ...EXAMPLE);
  if (!fs.existsSync(path.join(source, 'reclens.json')))
    throw new Error(`the bundled example is missing from ${source}; reinstall RecLens`);
  const target = freeFolder(parent);
  const staging = fs.mkdtempSync(path.join(parent, `.${FOLDER_NAME}-`));
  try {
    fs.cpSync(source, staging, { recursive: true, filter: (src) => !/[\\/](build|\.reclens)$/.test(src) });
    fs.renameSync(staging, target);
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  return target;
}

export function registerOpenExampleWorkspace(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.commands.registerCommand('reclens.openExample', async (args?: OpenExampleArgs) => {
    let parent = args?.parent;
    if (!parent) {
      const picked = await vscode.window.showOpenDialog({
        canSelectFolders: true,
        canSelectFiles: false,
        canSelectMany: false,
        openLabel: 'Copy the example here',
        title: `RecLens: choose where to put the example workspace (a "${FOLDER_NAME}" folder is created in it)`,
        defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      });
      parent = picked?.[0];
    }
    if (!parent) return undefined;
    let folder: string;
    try {
      folder = copyExample(context.extensionUri.fsPath, parent.fsPath);
    } catch (e) {
      void vscode.window.showErrorMessage(
        `RecLens: could not copy the example workspace into ${parent.fsPath}: ${(e as Error).message}`,
      );
      return undefined;
    }
    if (args?.open !== false)
      await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(folder), { forceNewWindow: false });
    return folder;
  });
}
