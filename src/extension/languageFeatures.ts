/** Code actions (quick fixes, "create slot"), CodeLens above slots, and hovers on inputs in reclens.json. */
import * as path from 'path';
import { findNodeAtOffset, getNodePath, parseTree } from 'jsonc-parser';
import * as vscode from 'vscode';
import { createSlotFix, Fix } from '../engine/check/fixes';
import { parseConfig } from '../engine/config/loadConfig';
import { inspectModel } from '../engine/model/inspect';
import { cachedByFile } from '../engine/util/fileCache';
import { listRunRecords } from '../engine/runs/runRecord';
import { ConfigDiagnostics, UNTRUSTED_CODE } from './diagnostics';
import { isTrusted, MANAGE_TRUST, MANAGE_TRUST_COMMAND, UNTRUSTED_MESSAGE } from './trust';
import { readSettings } from './settings';

export const CONFIG_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', pattern: '**/reclens.json' },
  { scheme: 'file', pattern: '**/*.reclens.json' },
];

function toWorkspaceEdit(doc: vscode.TextDocument, fix: Fix): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of fix.edits)
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.content);
  return edit;
}

export class ConfigCodeActions implements vscode.CodeActionProvider {
  constructor(private readonly diagnostics: ConfigDiagnostics) {}

  provideCodeActions(
    doc: vscode.TextDocument,
    range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.source === 'RecLens' && d.code === UNTRUSTED_CODE) {
        const a = new vscode.CodeAction(MANAGE_TRUST, vscode.CodeActionKind.QuickFix);
        a.command = { command: MANAGE_TRUST_COMMAND, title: MANAGE_TRUST };
        a.diagnostics = [d];
        actions.push(a);
      }
      for (const [i, fix] of (this.diagnostics.fixes.get(d) ?? []).entries()) {
        const a = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        a.edit = toWorkspaceEdit(doc, fix);
        a.diagnostics = [d];
        // Fixes come best first (ranked candidates): only the best is the preferred one.
        a.isPreferred = i === 0 && /^Change to|^Add an entry/.test(fix.title);
        actions.push(a);
      }
    }
    // Selected entries under "inputs": offer a slot that ablates them together.
    const inputs = selectedInputs(doc, range);
    if (inputs.length >= 2) {
      const fix = createSlotFix(doc.getText(), inputs.join('+'), inputs);
      const a = new vscode.CodeAction(fix.title, vscode.CodeActionKind.RefactorRewrite);
      a.edit = toWorkspaceEdit(doc, fix);
      actions.push(a);
    }
    return actions;
  }
}

/** Names of the "inputs" entries whose keys lie inside the selection. */
export function selectedInputs(doc: vscode.TextDocument, range: vscode.Range): string[] {
  const root = parseTree(doc.getText(), [], { allowTrailingComma: true });
  const inputs = root?.children?.find((p) => p.children?.[0].value === 'inputs')?.children?.[1];
  if (!inputs?.children) return [];
  const start = doc.offsetAt(range.start),
    end = doc.offsetAt(range.end);
  return inputs.children.filter((p) => p.offset >= start && p.offset < end).map((p) => String(p.children![0].value));
}

export class SlotCodeLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const config = parseConfig(doc.getText(), doc.uri.fsPath).config;
    if (!config) return [];
    const runs = listRunRecords(readSettings().runsDir(config.dir));
    const runsDir = readSettings().runsDir(config.dir);
    const latestRun = (kind: string) => runs.find((r) => r.kind === kind);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a run record's results as written by the ablate / ceiling jobs
    const latest = (kind: string) => latestRun(kind)?.results as { results?: Record<string, any>[] } | undefined;
    const ablation = latest('ablate'),
      ceiling = latest('ceiling');
    const openLatest = latestRun('ablate') ?? latestRun('ceiling');
    const lenses: vscode.CodeLens[] = [];
    const root = parseTree(doc.getText(), [], { allowTrailingComma: true });
    const slots = root?.children?.find((p) => p.children?.[0].value === 'slots')?.children?.[1]?.children ?? [];
    for (const prop of slots) {
      const name = String(prop.children![0].value);
      const range = new vscode.Range(doc.positionAt(prop.offset), doc.positionAt(prop.offset));
      const mask = ablation?.results?.find((r) => r.slot === name && r.method === 'mask');
      const perm = ablation?.results?.find((r) => r.slot === name && r.method === 'permute');
      const ceil = ceiling?.results?.find((r) => r.slot === name);
      const parts: string[] = [];
      if (mask) parts.push(`impact ΔAUC ${mask.deltaAuc.toFixed(4)} (mask)`);
      if (perm) parts.push(`${perm.deltaAuc.toFixed(4)} (permute)`);
      if (ceil)
        parts.push(
          `ceiling ${ceil.ceiling.toFixed(4)}, efficiency ${ceil.efficiency === null ? 'n/a' : ceil.efficiency.toFixed(2)}`,
        );
      lenses.push(
        new vscode.CodeLens(
          range,
          parts.length && openLatest
            ? {
                title: parts.join(' · '),
                command: 'vscode.open',
                arguments: [vscode.Uri.file(path.join(runsDir, `${openLatest.id}.json`))],
                tooltip: 'Open the latest run record',
              }
            : { title: 'no ablation run yet', command: '' },
        ),
      );
      lenses.push(
        new vscode.CodeLens(range, {
          title: 'Ablate',
          command: 'reclens.runAblation',
          arguments: [{ configUri: doc.uri, slots: [name] }],
        }),
      );
      lenses.push(
        new vscode.CodeLens(range, {
          title: 'Ceiling',
          command: 'reclens.runCeiling',
          arguments: [{ configUri: doc.uri, slots: [name] }],
        }),
      );
    }
    return lenses;
  }
}

export class InputHover implements vscode.HoverProvider {
  async provideHover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | undefined> {
    const root = parseTree(doc.getText(), [], { allowTrailingComma: true });
    if (!root) return undefined;
    const node = findNodeAtOffset(root, doc.offsetAt(pos));
    if (!node) return undefined;
    const p = getNodePath(node);
    if (p[0] !== 'inputs' || p.length < 2) return undefined;
    const config = parseConfig(doc.getText(), doc.uri.fsPath).config;
    if (!config) return undefined;
    const model = await cachedByFile('inspect', config.model.path, () => inspectModel(config.model.path)).catch(
      () => undefined,
    );
    const input = model?.inputs.find((i) => i.name === p[1]);
    const md = new vscode.MarkdownString();
    md.appendMarkdown(
      input
        ? `**${input.name}**: ONNX input, \`${input.dtype}\` \`[${(input.shape ?? []).map((d) => d ?? '?').join(', ')}]\``
        : `**${String(p[1])}** is not an input of ${path.basename(config.model.path)}`,
    );
    const spec = config.inputs[String(p[1])];
    if (spec && spec.kind !== 'table' && !isTrusted()) md.appendMarkdown(`\n\n${UNTRUSTED_MESSAGE}`);
    else if (spec && spec.kind !== 'table') {
      const { describeColumns } = await import('../engine/data/describe');
      const { openDuck } = await import('../engine/data/duck');
      const duck = await openDuck(1, [config.data.path]);
      try {
        const cols = await describeColumns(duck, config.data.path);
        for (const c of spec.kind === 'column' ? [spec.column] : spec.columns) {
          const info = cols.find((x) => x.name === c);
          md.appendMarkdown(`\n\ncolumn \`${c}\`: ${info ? `\`${info.type}\`` : 'not in the data'}`);
        }
      } catch {
        /* unreadable data is reported as a diagnostic */
      } finally {
        duck.close();
      }
    } else if (spec?.kind === 'table')
      md.appendMarkdown(`\n\nlooked up in table \`${spec.table}\` by column \`${spec.key}\``);
    return new vscode.Hover(md);
  }
}
