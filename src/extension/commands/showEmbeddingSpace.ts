/** "RecLens: Show Embedding Space": one table, or two side by side, projected by PCA or UMAP. */
import * as vscode from 'vscode';
import type { EmbeddingRequest } from '../panels/embeddingPanelHost';
import { chooseConfig } from '../configs';
import { refused, requireTrust } from '../trust';
import type { Services } from './services';

/** The arguments a caller can pass: a Workspace-view node, an embed run record, or the request itself. */
interface ShowEmbeddingArgs {
  tableName?: string;
  configUri?: vscode.Uri;
  record?: { kind: string; config: { file: string }; options: Record<string, unknown> };
  tables?: string[];
  config?: vscode.Uri;
  method?: 'pca' | 'umap';
  sample?: number;
}

/** What to show: from a tree node, a run record, explicit arguments, or by asking. */
async function embeddingRequest(arg: unknown): Promise<EmbeddingRequest | undefined> {
  const a = arg as ShowEmbeddingArgs | undefined;
  if (a?.config && a.tables) return { config: a.config, tables: a.tables, method: a.method ?? 'pca', sample: a.sample };
  if (a?.record?.kind === 'embed') {
    const o = a.record.options;
    return {
      config: vscode.Uri.file(a.record.config.file),
      tables: [String(o.table)],
      method: (o.method as 'pca' | 'umap') ?? 'pca',
      sample: o.sample as number | undefined,
    };
  }
  const config = a?.configUri ?? (await chooseConfig(arg));
  if (!config) return undefined;
  let tables = a?.tableName ? [a.tableName] : undefined;
  if (!tables) {
    const { requireConfig } = await import('../../engine/config/loadConfig');
    const { inspectModel } = await import('../../engine/model/inspect');
    const cfg = requireConfig(config.fsPath).config;
    const names = [
      ...Object.keys(cfg.tables),
      ...(await inspectModel(cfg.model.path)).embeddingTables.map((e) => `onnx:${e.initializer}`),
    ];
    const picked = await vscode.window.showQuickPick(
      names.map((label) => ({
        label,
        description: label.startsWith('onnx:') ? "the ranker's own id embedding" : 'table',
      })),
      { canPickMany: true, placeHolder: 'One table, or two to compare side by side' },
    );
    if (!picked?.length) return undefined;
    tables = picked.slice(0, 2).map((p) => p.label);
  }
  const method =
    a?.method ??
    ((
      await vscode.window.showQuickPick(
        [
          { label: 'PCA', detail: 'Exact, fast; linear structure' },
          { label: 'UMAP', detail: 'Seeded; local neighbourhoods; large tables are sampled' },
        ],
        { placeHolder: 'Projection' },
      )
    )?.label.toLowerCase() as 'pca' | 'umap' | undefined);
  if (!method) return undefined;
  return { config, tables, method };
}

export const showEmbeddingSpace =
  ({ context, output }: Services) =>
  async (arg?: unknown) => {
    if (!requireTrust('Show Embedding Space', output)) return refused('Show Embedding Space');
    const { EmbeddingPanel } = await import('../panels/embeddingPanelHost');
    const req = await embeddingRequest(arg);
    if (!req) return undefined;
    const panel = EmbeddingPanel.show(context.extensionUri, output);
    return panel.load(req);
  };
