/**
 * The Embedding Space panel host: computes views with the engine (kNN, PCA / UMAP, metadata, alignment) under a
 * cancellable progress notification, and sends them to the webview as typed arrays. The webview keeps its own UI
 * state; the host keeps the last data and sends it again whenever the webview says it is ready.
 */
import * as vscode from 'vscode';
import type { EmbeddingPanelData, EmbeddingWebviewToHost, HostToEmbeddingWebview } from '../../protocol/embedding';
import { requireConfig } from '../../engine/config/loadConfig';
import { readSettings } from '../settings';
import { requireTrust } from '../trust';
import { parseEmbeddingMessage } from '../../protocol/validate';
import { webviewHtml } from './webviewHtml';
import { reportPanelFailure } from '../errorMessage';

export interface EmbeddingRequest {
  config: vscode.Uri;
  tables: string[];
  method: 'pca' | 'umap';
  sample?: number;
  preferences?: string;
}

export class EmbeddingPanel {
  private static current: EmbeddingPanel | undefined;
  private data: EmbeddingPanelData | undefined;
  /** The config of the shown views ("rows with this item" opens its rows explorer). */
  private configUri: vscode.Uri | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Messages from the webview, for tests and logging. */
  readonly received: EmbeddingWebviewToHost[] = [];

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly output: vscode.OutputChannel,
  ) {
    panel.webview.html = webviewHtml(
      panel.webview,
      extensionUri,
      'embedding.js',
      ['base.css', 'embedding.css'],
      'RecLens: Embedding Space',
    );
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((msg: unknown) => this.onMessage(msg)),
    );
  }

  static show(extensionUri: vscode.Uri, output: vscode.OutputChannel): EmbeddingPanel {
    if (EmbeddingPanel.current) {
      EmbeddingPanel.current.panel.reveal();
      return EmbeddingPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      'reclens.embedding',
      'RecLens: Embedding Space',
      vscode.ViewColumn.Active,
      {
        enableScripts: true,
        localResourceRoots: [
          vscode.Uri.joinPath(extensionUri, 'media'),
          vscode.Uri.joinPath(extensionUri, 'out', 'webview'),
        ],
      },
    );
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'reclens.svg');
    EmbeddingPanel.current = new EmbeddingPanel(panel, extensionUri, output);
    return EmbeddingPanel.current;
  }

  static get active(): EmbeddingPanel | undefined {
    return EmbeddingPanel.current;
  }

  get lastData(): EmbeddingPanelData | undefined {
    return this.data;
  }

  private post(msg: HostToEmbeddingWebview): void {
    void this.panel.webview.postMessage(msg);
  }

  private onMessage(raw: unknown): void {
    const msg = parseEmbeddingMessage(raw); // checked, not trusted: the webview shows data a repository may have crafted
    if (!msg) return;
    this.received.push(msg);
    if (msg.type === 'ready' && this.data) this.post({ type: 'data', data: this.data });
    // Double-click on a point, or Open on a neighbour: the evaluation rows with this item.
    if (msg.type === 'openItem' && this.configUri && typeof msg.id === 'string' && !msg.table.startsWith('onnx:'))
      void vscode.commands.executeCommand('reclens.showRows', { configUri: this.configUri, item: msg.id });
    if (msg.type === 'selection')
      this.output.appendLine(`[embedding] selected ${msg.ids.length} point(s) of ${msg.table}`);
  }

  /** Computes the views (one or two tables) and shows them. Returns the data sent, or undefined if cancelled or failed. */
  async load(req: EmbeddingRequest): Promise<EmbeddingPanelData | undefined> {
    if (!requireTrust('Show Embedding Space', this.output)) return undefined;
    const { config } = requireConfig(req.config.fsPath);
    this.configUri = req.config;
    const settings = readSettings();
    const { embed, align } = await import('../../engine/embedding/jobs');
    try {
      const data = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'RecLens: embedding space', cancellable: true },
        async (progress, token) => {
          const ac = new AbortController();
          token.onCancellationRequested(() => ac.abort());
          const control = {
            signal: ac.signal,
            onProgress: (e: { phase: string; done: number; total: number }) => {
              progress.report({ message: `${e.phase} ${e.done.toLocaleString()} / ${e.total.toLocaleString()}` });
              this.post({ type: 'progress', message: `${e.phase} ${e.done} / ${e.total}` });
            },
          };
          const views = [];
          for (const table of req.tables.slice(0, 2))
            views.push(
              (
                await embed(
                  config,
                  { table, method: req.method, sample: req.sample, seed: settings.seed, providers: settings.providers },
                  control,
                )
              ).view,
            );
          let alignment: EmbeddingPanelData['alignment'];
          if (views.length === 2) {
            const prefs = req.preferences ?? Object.keys((config.raw.preferences ?? {}) as object)[0];
            const a = (
              await align(
                config,
                {
                  table: req.tables[0],
                  against: req.tables[1],
                  preferences: prefs,
                  k: 10,
                  seed: settings.seed,
                  providers: settings.providers,
                },
                control,
              )
            ).result;
            alignment = {
              k: a.k,
              jaccardAtK: a.jaccardAtK?.overall ?? undefined,
              recallAtK: prefs
                ? { [req.tables[0]]: a.recallAtK?.overall ?? NaN, [req.tables[1]]: a.recallAtKAgainst?.overall ?? NaN }
                : undefined,
            };
          }
          return {
            title: `${config.name ?? 'RecLens'}: ${req.tables.join(' vs ')} (${req.method.toUpperCase()})`,
            views,
            alignment,
          } satisfies EmbeddingPanelData;
        },
      );
      this.data = data;
      this.post({ type: 'data', data });
      this.output.appendLine(
        `[embedding] ${data.title}: ${data.views.map((v) => `${v.table} ${v.n}/${v.totalRows}`).join(', ')}`,
      );
      return data;
    } catch (e) {
      reportPanelFailure(e, (m) => this.post(m));
      return undefined;
    }
  }

  dispose(): void {
    EmbeddingPanel.current = undefined;
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}
