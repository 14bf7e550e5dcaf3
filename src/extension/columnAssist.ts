/**
 * Help with names inside reclens.json: completion of the data's column names (with type and a sample value),
 * model input names and table names where the schema expects them, and a "List all columns..." quick fix next to
 * the ranked "Change to" fixes for an unknown column or an unfed input. Reading the model's structure parses its
 * file and runs nothing, so input names complete in untrusted workspaces too; the data's columns come from a DuckDB
 * query, which runs only in trusted workspaces.
 */
import * as path from 'path';
import { findNodeAtLocation, findNodeAtOffset, getLocation, getNodePath, parse, parseTree } from 'jsonc-parser';
import * as vscode from 'vscode';
import { addInputFix, Fix, replaceStringFix } from '../engine/check/fixes';
import type { ColumnProfile } from '../engine/scaffold/profile';
import { cachedByFile } from '../engine/util/fileCache';

type Raw = {
  model?: string | { path?: string };
  data?: { path?: string };
  tables?: Record<string, unknown>;
  inputs?: Record<string, unknown>;
};

async function columnsFor(configFile: string, raw: Raw): Promise<ColumnProfile[]> {
  if (typeof raw.data?.path !== 'string' || !vscode.workspace.isTrusted) return [];
  const file = path.resolve(path.dirname(configFile), raw.data.path);
  const { profileData } = await import('../engine/scaffold/profile');
  const { openDuck } = await import('../engine/data/duck');
  try {
    return (
      await cachedByFile('profile', file, async () => {
        const duck = await openDuck(1, [file]);
        try {
          return await profileData(duck, file);
        } finally {
          duck.close();
        }
      })
    ).columns;
  } catch {
    return [];
  }
}

async function inputsFor(configFile: string, raw: Raw): Promise<{ name: string; detail: string }[]> {
  const rel = typeof raw.model === 'string' ? raw.model : raw.model?.path;
  if (typeof rel !== 'string') return [];
  const file = path.resolve(path.dirname(configFile), rel);
  const { inspectModel } = await import('../engine/model/inspect');
  try {
    const m = await cachedByFile('inspect', file, () => inspectModel(file));
    return m.inputs.map((i) => ({
      name: i.name,
      detail: `${i.dtype} [${(i.shape ?? []).map((d) => d ?? '?').join(', ')}]`,
    }));
  } catch {
    return [];
  }
}

export type NameKind = 'column' | 'input' | 'table';

/** Which kind of name belongs at a JSON path (getLocation's path; atKey when typing a property name). */
export function nameKindAt(p: (string | number)[], atKey: boolean): NameKind | undefined {
  if (atKey) return p.length === 2 && p[0] === 'inputs' ? 'input' : undefined;
  if (p[0] === 'data' && p.length === 2 && ['label', 'group', 'item', 'time'].includes(String(p[1]))) return 'column';
  if (p[0] === 'inputs' && p.length === 3 && (p[2] === 'column' || p[2] === 'key')) return 'column';
  if (p[0] === 'inputs' && p.length === 4 && p[2] === 'columns') return 'column';
  if (p[0] === 'inputs' && p.length === 3 && p[2] === 'table') return 'table';
  if (p[0] === 'slots' && p.length === 4 && p[2] === 'inputs') return 'input';
  return undefined;
}

const columnDoc = (c: ColumnProfile) =>
  `${c.type}${c.cls === 'list' && c.width !== undefined ? `, width ${c.width}` : c.min !== undefined ? `, ${c.min} .. ${c.max}` : ''}${c.nulls ? `, ${c.nulls} nulls` : ''}; e.g. ${c.samples.join(', ')}`;

export class ConfigCompletion implements vscode.CompletionItemProvider {
  async provideCompletionItems(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.CompletionItem[]> {
    const text = doc.getText();
    const offset = doc.offsetAt(pos);
    const loc = getLocation(text, offset);
    const kind = nameKindAt(loc.path, loc.isAtPropertyKey);
    if (!kind) return [];
    const raw = (parse(text, [], { allowTrailingComma: true }) ?? {}) as Raw;
    // Inside a string, replace its content; elsewhere insert a quoted name.
    const root = parseTree(text, [], { allowTrailingComma: true });
    const node = root && findNodeAtOffset(root, offset);
    const inString = node?.type === 'string' && offset > node.offset && offset < node.offset + node.length;
    const range = inString
      ? new vscode.Range(doc.positionAt(node!.offset + 1), doc.positionAt(node!.offset + node!.length - 1))
      : undefined;
    const item = (name: string, detail: string, docText: string, k: vscode.CompletionItemKind) => {
      const c = new vscode.CompletionItem(name, k);
      c.detail = detail;
      c.documentation = docText;
      c.insertText = inString ? name : JSON.stringify(name);
      if (range) c.range = range;
      return c;
    };
    if (kind === 'column')
      return (await columnsFor(doc.uri.fsPath, raw)).map((c) =>
        item(c.name, c.type, columnDoc(c), vscode.CompletionItemKind.Field),
      );
    if (kind === 'table')
      return Object.keys(raw.tables ?? {}).map((t) =>
        item(t, 'table', `tables.${t}`, vscode.CompletionItemKind.Reference),
      );
    const listed = new Set(Object.keys(raw.inputs ?? {}));
    return (await inputsFor(doc.uri.fsPath, raw))
      .filter((i) => !loc.isAtPropertyKey || !listed.has(i.name))
      .map((i) => item(i.name, i.detail, 'model input', vscode.CompletionItemKind.Variable));
  }
}

/** "List all columns..." next to the ranked fixes of an unknown column or an unfed input. */
export class ListColumnsAction implements vscode.CodeActionProvider {
  provideCodeActions(
    doc: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.source !== 'RecLens') continue;
      const unfed = /^Model input "([^"]+)" is not fed/.exec(d.message)?.[1];
      if (!unfed && !/is not a column of|is not in/.test(d.message)) continue;
      const a = new vscode.CodeAction('List all columns...', vscode.CodeActionKind.QuickFix);
      a.diagnostics = [d];
      a.command = {
        command: 'reclens.listColumns',
        title: 'List all columns...',
        arguments: [doc.uri, doc.offsetAt(d.range.start), unfed],
      };
      out.push(a);
    }
    return out;
  }
}

/** The command behind "List all columns...": pick any column of the data, then fix the field with it. */
export async function listColumnsCommand(
  uri: vscode.Uri,
  offset: number,
  unfedInput?: string,
): Promise<string | undefined> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const text = doc.getText();
  const columns = await columnsFor(uri.fsPath, (parse(text, [], { allowTrailingComma: true }) ?? {}) as Raw);
  const pick = await vscode.window.showQuickPick(
    columns.map((c) => ({ label: c.name, description: c.type, detail: columnDoc(c) })),
    { placeHolder: unfedInput ? `Column to feed "${unfedInput}"` : 'Column', matchOnDescription: true },
  );
  if (!pick) return undefined;
  let fix: Fix | undefined;
  if (unfedInput) fix = addInputFix(text, unfedInput, pick.label);
  else {
    const root = parseTree(text, [], { allowTrailingComma: true });
    const node = root && findNodeAtOffset(root, offset);
    if (node && root && findNodeAtLocation(root, getNodePath(node))?.type === 'string')
      fix = replaceStringFix(text, getNodePath(node), pick.label);
  }
  if (!fix) return undefined;
  const edit = new vscode.WorkspaceEdit();
  for (const e of fix.edits)
    edit.replace(uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.content);
  await vscode.workspace.applyEdit(edit);
  return pick.label;
}
