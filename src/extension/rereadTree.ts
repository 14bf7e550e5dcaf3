/** What the Workspace, Runs and Features views share: items made on request, and refresh() to have them made again. */
import * as vscode from 'vscode';

export abstract class RereadTree<T extends vscode.TreeItem> implements vscode.TreeDataProvider<T> {
  private readonly emitter = new vscode.EventEmitter<T | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  /** Tells the view to ask for every item again (they are read from disk on each request). */
  refresh(): void {
    this.emitter.fire(undefined);
  }

  getTreeItem(node: T): vscode.TreeItem {
    return node;
  }

  abstract getChildren(node?: T): Promise<T[]>;
}
