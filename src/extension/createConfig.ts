/** "RecLens: Create Config": scaffold a reclens.json from a chosen .onnx and data file. */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { scaffoldConfig } from '../engine/config/scaffold';
import { describeColumns } from '../engine/data/describe';
import { openDuck } from '../engine/data/duck';
import { inspectModel } from '../engine/model/inspect';
import { writeFileAtomic } from '../engine/runs/atomicWrite';

export interface CreateConfigArgs {
  model?: vscode.Uri;
  data?: vscode.Uri;
  target?: vscode.Uri;
  /** Tests and scripts: do not open the file or show messages. */
  quiet?: boolean;
}

async function pickFile(glob: string, title: string): Promise<vscode.Uri | undefined> {
  const found = await vscode.workspace.findFiles(glob, '{**/node_modules/**,**/.reclens/**}', 200);
  if (found.length === 0) {
    const picked = await vscode.window.showOpenDialog({ title, canSelectMany: false });
    return picked?.[0];
  }
  const item = await vscode.window.showQuickPick(found.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })), { placeHolder: title });
  return item?.uri;
}

export async function createConfig(args: CreateConfigArgs = {}): Promise<{ file: string; problems: string[] } | undefined> {
  const model = args.model ?? (await pickFile('**/*.onnx', 'RecLens: choose the ONNX ranker'));
  if (!model) return undefined;
  const data = args.data ?? (await pickFile('**/*.{parquet,csv,tsv,jsonl,ndjson}', 'RecLens: choose the evaluation data'));
  if (!data) return undefined;
  const dir = path.dirname(model.fsPath);
  let target = args.target?.fsPath ?? path.join(dir, 'reclens.json');
  if (!args.target && fs.existsSync(target)) target = path.join(dir, `${path.basename(model.fsPath, '.onnx')}.reclens.json`);
  if (!args.target && fs.existsSync(target)) {
    void vscode.window.showWarningMessage(`RecLens: ${vscode.workspace.asRelativePath(target)} already exists; not overwriting it.`);
    return undefined;
  }
  const m = await inspectModel(model.fsPath);
  const duck = await openDuck(1, [data.fsPath]);
  let columns;
  try {
    columns = await describeColumns(duck, data.fsPath);
  } finally {
    duck.close();
  }
  const { text, problems } = scaffoldConfig(path.dirname(target), model.fsPath, data.fsPath, m.inputs, m.outputs, columns);
  writeFileAtomic(target, text);
  if (!args.quiet) {
    await vscode.window.showTextDocument(vscode.Uri.file(target));
    if (problems.length) void vscode.window.showWarningMessage(`RecLens: created ${path.basename(target)} with ${problems.length} thing${problems.length === 1 ? '' : 's'} to fix (listed at the top of the file).`);
    else void vscode.window.showInformationMessage(`RecLens: created ${path.basename(target)}; every model input maps to a column.`);
  }
  return { file: target, problems };
}
