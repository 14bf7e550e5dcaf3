/** The Runs view: run records of every config, newest first; selecting one opens its record. */
import * as path from 'path';
import * as vscode from 'vscode';
import { loadConfig } from '../engine/config/loadConfig';
import { listRunRecords, RunRecord } from '../engine/runs/runRecord';
import { findConfigs } from './configs';
import { readSettings } from './settings';

/** One line that says what a run found, per kind of run. */
export function runLabel(record: RunRecord): string {
  const r = record.results as Record<string, any>;
  const f = (x: unknown) => (typeof x === 'number' ? x.toFixed(4) : 'n/a');
  switch (record.kind) {
    case 'eval': return `eval · AUC ${f(r.auc)}${r.gauc != null ? ` · GAUC ${f(r.gauc)}` : ''}`;
    case 'ablate': return `ablate · ${new Set((r.results ?? []).map((x: { slot: string }) => x.slot)).size} slots · AUC ${f(r.baseline?.auc)}`;
    case 'ceiling': return `ceiling · ${(r.results ?? []).length} slots · AUC ${f(r.results?.[0]?.aucFull)}`;
    case 'lis': return `lis · ${(r.preferences ?? []).map((p: { name: string; lis: number }) => `LIS ${p.name} ${f(p.lis)}`).join(', ') || `${(r.tables ?? []).length} tables`}`;
    case 'embed': return `embed · ${r.table} · ${String(r.method).toUpperCase()}`;
    case 'align': return `align · ${r.table}${r.against ? ` vs ${r.against}` : ''}`;
    default: return record.kind;
  }
}

export class RunNode extends vscode.TreeItem {
  constructor(readonly record: RunRecord, readonly file: string) {
    super(runLabel(record));
    this.description = `${record.executionProvider} · ${new Date(record.createdAt).toLocaleString()}`;
    this.tooltip = new vscode.MarkdownString(`**${record.id}**\n\nconfig \`${record.config.file}\`\n\nseed ${record.seed}, provider ${record.executionProvider}, ${record.data.rows.toLocaleString('en-US')} rows`);
    this.iconPath = new vscode.ThemeIcon('history');
    this.contextValue = `run-${record.kind}`;
    this.resourceUri = vscode.Uri.file(file);
    this.command = { command: 'reclens.openRun', title: 'Open Run Record', arguments: [this] };
  }
}

export class RunsTree implements vscode.TreeDataProvider<RunNode> {
  private readonly emitter = new vscode.EventEmitter<RunNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  refresh(): void {
    this.emitter.fire(undefined);
  }

  getTreeItem(node: RunNode): vscode.TreeItem {
    return node;
  }

  async getChildren(node?: RunNode): Promise<RunNode[]> {
    if (node) return [];
    const settings = readSettings();
    const dirs = new Set<string>();
    for (const uri of await findConfigs()) {
      const dir = loadConfig(uri.fsPath).config?.dir ?? path.dirname(uri.fsPath);
      dirs.add(settings.runsDir(dir));
    }
    const nodes: RunNode[] = [];
    for (const d of dirs) for (const r of listRunRecords(d)) nodes.push(new RunNode(r, path.join(d, `${r.id}.json`)));
    return nodes.sort((a, b) => b.record.createdAt.localeCompare(a.record.createdAt));
  }
}
