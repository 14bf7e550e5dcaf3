/** The Runs view: run records of every config, newest first; selecting one opens its record. */
import * as path from 'path';
import * as vscode from 'vscode';
import { RereadTree } from './rereadTree';
import { loadConfig } from '../engine/config/loadConfig';
import { listRunRecords, RunRecord } from '../engine/runs/runRecord';
import { runLabel } from '../engine/runs/summary';
import { findConfigs } from './configs';
import { readSettings } from './settings';

export class RunNode extends vscode.TreeItem {
  constructor(
    readonly record: RunRecord,
    readonly file: string,
  ) {
    super(runLabel(record));
    this.description = `${record.executionProvider} · ${new Date(record.createdAt).toLocaleString()}`;
    this.tooltip = new vscode.MarkdownString(
      `**${record.id}**\n\nconfig \`${record.config.file}\`\n\nseed ${record.seed}, provider ${record.executionProvider}, ${record.data.rows.toLocaleString('en-US')} rows`,
    );
    this.iconPath = new vscode.ThemeIcon('history');
    this.contextValue = `run-${record.kind}`;
    this.resourceUri = vscode.Uri.file(file);
    this.command = { command: 'reclens.openRun', title: 'Open Run Record', arguments: [this] };
  }
}

export class RunsTree extends RereadTree<RunNode> {
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
