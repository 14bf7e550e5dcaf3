/**
 * "RecLens: Create Config": the engine's scaffolder proposes a mapping (the same one `reclens init` writes), the
 * proposal is shown as one list (input, dtype / shape, chosen source, confidence, alternatives) to confirm or
 * change, and only then is reclens.json written (whole, by rename). The model runs on a sample only in a trusted
 * workspace; otherwise ties stay TODOs.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { writeFileAtomic } from '../engine/runs/atomicWrite';
import { chooseData, chooseModel, proposeConfig } from '../engine/scaffold/propose';
import { proposalTodos, renderProposal } from '../engine/scaffold/render';
import { describeSource, InputProposal, InputSource, Proposal } from '../engine/scaffold/types';

export interface CreateConfigArgs {
  model?: vscode.Uri;
  data?: vscode.Uri;
  target?: vscode.Uri;
  /** Folder to scaffold (default: the target's folder, else the first workspace folder). */
  folder?: vscode.Uri;
  /** Tests and scripts: accept the proposal as it is, do not open the file or show messages. */
  quiet?: boolean;
}

async function pickFile(glob: string, title: string, base: string): Promise<vscode.Uri | undefined> {
  const found = await vscode.workspace.findFiles(
    new vscode.RelativePattern(base, glob),
    '{**/node_modules/**,**/.reclens/**}',
    200,
  );
  if (found.length === 0) {
    const picked = await vscode.window.showOpenDialog({
      title,
      canSelectMany: false,
      defaultUri: vscode.Uri.file(base),
    });
    return picked?.[0];
  }
  const item = await vscode.window.showQuickPick(
    found.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })),
    { placeHolder: title },
  );
  return item?.uri;
}

const icon = (c: string) =>
  (({ high: '$(pass)', medium: '$(info)', low: '$(warning)', todo: '$(circle-slash)' }) as Record<string, string>)[c] ??
  '';
const shapeText = (i: InputProposal) =>
  i.shape ? `[${i.shape.map((d, k) => (k === 0 && typeof d !== 'number' ? 'batch' : (d ?? '?'))).join(', ')}]` : '?';

type Row = vscode.QuickPickItem & { action: 'write' | 'input' | 'role' | 'outputKind'; key?: string };

/** One source for an input: the scorer's alternatives, any column, or a TODO. */
async function changeInput(p: Proposal, i: InputProposal): Promise<void> {
  type Item = vscode.QuickPickItem & { source?: InputSource; all?: boolean; todo?: boolean };
  const items: Item[] = [
    ...(i.source ? [{ label: describeSource(i.source), description: 'current', source: i.source }] : []),
    ...i.alternatives
      .filter((a) => !i.source || a.describe !== describeSource(i.source))
      .map((a) => ({ label: a.describe, description: `score ${a.score.toFixed(2)}`, source: a.source })),
    { label: '$(list-flat) List all columns...', all: true },
    { label: '$(circle-slash) Leave as a TODO', todo: true },
  ];
  const pick = await vscode.window.showQuickPick(items, {
    placeHolder: `Feed "${i.input}" (${i.dtype} ${shapeText(i)}) from...`,
  });
  if (!pick) return;
  let source = pick.source;
  if (pick.all) {
    const col = await vscode.window.showQuickPick(
      p.columns.map((c) => ({ label: c.name, description: c.type, detail: `e.g. ${c.samples.join(', ')}` })),
      { placeHolder: `Column for "${i.input}"`, matchOnDescription: true },
    );
    if (!col) return;
    source = { kind: 'column', column: col.label };
  }
  if (pick.todo) {
    i.source = undefined;
    i.confidence = 'todo';
    i.reason = 'left for you to fill in';
    return;
  }
  if (source) {
    i.source = source;
    i.confidence = 'high';
    i.reason = 'chosen by you';
  }
}

async function changeRole(p: Proposal, role: keyof Proposal['roles']): Promise<void> {
  const items = [
    { label: '(none)', column: undefined as string | undefined },
    ...p.columns.map((c) => ({
      label: c.name,
      description: c.type,
      detail: `e.g. ${c.samples.join(', ')}`,
      column: c.name as string | undefined,
    })),
  ];
  const pick = await vscode.window.showQuickPick(items, { placeHolder: `data.${role}` });
  if (pick) p.roles[role] = { column: pick.column, confidence: 'high', reason: 'chosen by you', alternatives: [] };
}

/** Shows the proposal as one list until the user writes it (true) or dismisses it (false). */
export async function confirmProposal(p: Proposal): Promise<boolean> {
  for (;;) {
    const todos = proposalTodos(p).length;
    const rows: Row[] = [
      {
        label: `$(check) Write ${todos ? `with ${todos} TODO${todos === 1 ? '' : 's'}` : 'reclens.json'}`,
        description: `${path.basename(p.model)} + ${path.basename(p.data)}`,
        action: 'write',
      },
      { label: 'Inputs', kind: vscode.QuickPickItemKind.Separator, action: 'input' },
      ...p.inputs.map((i): Row => ({
        label: `${icon(i.confidence)} ${i.input}`,
        description: `${i.dtype} ${shapeText(i)}  ->  ${i.source ? describeSource(i.source) : 'TODO'}  (${i.confidence})`,
        detail: `${i.reason}${
          i.alternatives.length
            ? `; alternatives: ${i.alternatives
                .slice(0, 3)
                .map((a) => a.describe)
                .join(', ')}`
            : ''
        }`,
        action: 'input',
        key: i.input,
      })),
      { label: 'Data and output', kind: vscode.QuickPickItemKind.Separator, action: 'role' },
      ...(['label', 'group', 'item', 'time'] as const).map((r): Row => ({
        label: `${icon(p.roles[r].confidence)} data.${r}`,
        description: `${p.roles[r].column ?? '(none)'}  (${p.roles[r].confidence})`,
        detail: p.roles[r].reason,
        action: 'role',
        key: r,
      })),
      {
        label: `${icon(p.outputKind.confidence)} outputKind`,
        description: `${p.outputKind.value}  (${p.outputKind.confidence})`,
        detail: p.outputKind.reason,
        action: 'outputKind',
      },
    ];
    const pick = await vscode.window.showQuickPick(rows, {
      title: 'RecLens: proposed reclens.json (pick a row to change it)',
      placeHolder: 'Write, or choose a row to change',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (!pick) return false;
    if (pick.action === 'write') return true;
    if (pick.action === 'input')
      await changeInput(
        p,
        p.inputs.find((i) => i.input === pick.key)!,
      );
    else if (pick.action === 'role') await changeRole(p, pick.key as keyof Proposal['roles']);
    else {
      const k = await vscode.window.showQuickPick(['probability', 'logit'], {
        placeHolder: 'What the score output is',
      });
      if (k) p.outputKind = { value: k as 'probability' | 'logit', confidence: 'high', reason: 'chosen by you' };
    }
  }
}

export async function createConfig(
  args: CreateConfigArgs = {},
): Promise<{ file: string; problems: string[] } | undefined> {
  const folder =
    args.folder?.fsPath ??
    (args.target
      ? path.dirname(args.target.fsPath)
      : args.model
        ? path.dirname(args.model.fsPath)
        : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
  if (!folder) {
    void vscode.window.showWarningMessage('RecLens: open a folder holding your model and data first.');
    return undefined;
  }
  let modelFile = args.model?.fsPath;
  if (!modelFile) {
    try {
      modelFile = chooseModel(folder);
    } catch {
      modelFile = (await pickFile('**/*.onnx', 'RecLens: choose the ONNX ranker', folder))?.fsPath;
    }
  }
  if (!modelFile) return undefined;
  let dataFile = args.data?.fsPath;
  const dir = args.target ? path.dirname(args.target.fsPath) : folder;
  let target = args.target?.fsPath ?? path.join(dir, 'reclens.json');
  if (!args.target && fs.existsSync(target))
    target = path.join(dir, `${path.basename(modelFile, '.onnx')}.reclens.json`);
  if (!args.target && fs.existsSync(target)) {
    void vscode.window.showWarningMessage(
      `RecLens: ${vscode.workspace.asRelativePath(target)} already exists; not overwriting it.`,
    );
    return undefined;
  }
  const trusted = vscode.workspace.isTrusted;
  const proposal = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: 'RecLens: reading the model and data to propose a config',
    },
    async () => {
      if (!dataFile) {
        const { inspectModel } = await import('../engine/model/inspect');
        const { openDuck } = await import('../engine/data/duck');
        const { readableCandidates } = await import('../engine/scaffold/discover');
        const duck = await openDuck(1, await readableCandidates(folder, []), folder);
        try {
          dataFile = await chooseData(duck, folder, await inspectModel(modelFile!), []);
        } catch {
          /* asked below */
        } finally {
          duck.close();
        }
      }
      if (!dataFile)
        dataFile = (
          await pickFile('**/*.{parquet,csv,tsv,jsonl,ndjson}', 'RecLens: choose the evaluation data', folder)
        )?.fsPath;
      if (!dataFile) return undefined;
      return proposeConfig({ dir: folder, model: modelFile, data: dataFile, runModel: trusted });
    },
  );
  if (!proposal) return undefined;
  if (!trusted)
    proposal.notes.push(
      'Untrusted workspace: the model was not run, so the output kind and ties were not checked on a sample.',
    );
  if (!args.quiet && !(await confirmProposal(proposal))) return undefined;
  const problems = proposalTodos(proposal);
  writeFileAtomic(target, renderProposal(proposal, path.dirname(target)));
  if (!args.quiet) {
    await vscode.window.showTextDocument(vscode.Uri.file(target));
    if (problems.length)
      void vscode.window.showWarningMessage(
        `RecLens: created ${path.basename(target)} with ${problems.length} TODO${problems.length === 1 ? '' : 's'} (listed at the top of the file).`,
      );
    else
      void vscode.window.showInformationMessage(
        `RecLens: created ${path.basename(target)}; every model input is fed. Run "RecLens: Evaluate" next.`,
      );
  }
  return { file: target, problems };
}
