/**
 * Host of the Rows explorer panel: opens a RowsSession (every row scored once, kept here), answers the
 * webview's page and What-If requests, and validates every message first (isRowsToHost). Nothing runs in an
 * untrusted workspace: the command refuses before a panel opens.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { requireConfig } from '../../engine/config/loadConfig';
import type { RowsSession } from '../../engine/rows/session';
import type { RowQuery } from '../../engine/rows/types';
import { HostToRows, isRowsToHost, RowsInfo, RowsToHost } from '../../protocol/rows';
import { readSettings } from '../settings';
import { revealSlot } from './resultsPanelHost';
import { answerRowsMessage, rowsInfo } from './rowsDispatch';
import { webviewHtml } from './webviewHtml';
import { reportPanelFailure } from '../errorMessage';

export class RowsPanel {
  private static readonly open = new Map<string, RowsPanel>();
  private session: RowsSession | undefined;
  private info: RowsInfo | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Valid messages from the webview, and the count of dropped ones (tests and logs). */
  readonly received: RowsToHost[] = [];
  rejected = 0;
  /** The last page and detail sent (tests read them). */
  lastPage: Extract<HostToRows, { type: 'page' }> | undefined;
  lastScored: Extract<HostToRows, { type: 'scored' }> | undefined;

  private constructor(
    private readonly configFile: string,
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly output: vscode.OutputChannel,
  ) {
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'rows.js', ['rows.css'], 'RecLens: Rows');
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
    );
  }

  static async show(
    configUri: vscode.Uri,
    extensionUri: vscode.Uri,
    output: vscode.OutputChannel,
    initialQuery?: Partial<RowQuery>,
  ): Promise<RowsPanel | undefined> {
    const key = path.resolve(configUri.fsPath);
    let p = RowsPanel.open.get(key);
    if (p) {
      p.panel.reveal();
      if (initialQuery && p.info) {
        p.info = { ...p.info, initialQuery };
        p.post({ type: 'init', info: p.info });
      }
      return p;
    }
    const panel = vscode.window.createWebviewPanel('reclens.rows', 'RecLens: Rows', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(extensionUri, 'media'),
        vscode.Uri.joinPath(extensionUri, 'out', 'webview'),
      ],
    });
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'reclens.svg');
    p = new RowsPanel(key, panel, extensionUri, output);
    RowsPanel.open.set(key, p);
    return (await p.load(initialQuery)) ? p : undefined;
  }

  static all(): RowsPanel[] {
    return [...RowsPanel.open.values()];
  }

  get lastInfo(): RowsInfo | undefined {
    return this.info;
  }

  private post(msg: HostToRows): void {
    void this.panel.webview.postMessage(msg);
  }

  private async load(initialQuery?: Partial<RowQuery>): Promise<boolean> {
    const { config } = requireConfig(this.configFile);
    const settings = readSettings();
    const { RowsSession } = await import('../../engine/rows/session');
    try {
      this.session = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'RecLens: scoring rows', cancellable: true },
        async (progress, token) => {
          const ac = new AbortController();
          token.onCancellationRequested(() => ac.abort());
          return RowsSession.open(
            config,
            { seed: settings.seed, providers: settings.providers },
            {
              signal: ac.signal,
              onProgress: (e) => {
                const message = `${e.phase} ${e.done.toLocaleString('en-US')} / ${e.total.toLocaleString('en-US')}`;
                progress.report({ message });
                this.post({ type: 'progress', message });
              },
            },
          );
        },
      );
      const s = this.session;
      this.info = { ...(await rowsInfo(s, `Rows: ${config.name ?? path.basename(config.dir)}`)), initialQuery };
      this.post({ type: 'progress', message: null });
      this.post({ type: 'init', info: this.info });
      this.output.appendLine(`[rows] ${config.file}: ${s.rows} rows scored`);
      return true;
    } catch (e) {
      reportPanelFailure(e, (m) => this.post(m));
      this.dispose();
      return false;
    }
  }

  /** Handles one webview message; exposed so tests can drive the host as the webview would. */
  async onMessage(m: unknown): Promise<void> {
    if (!isRowsToHost(m)) {
      this.rejected++;
      this.output.appendLine('[rows] dropped a malformed message from the webview');
      return;
    }
    this.received.push(m);
    const s = this.session;
    if (m.type === 'ready') {
      if (this.info) this.post({ type: 'init', info: this.info });
      return;
    }
    if (m.type === 'revealSlot') {
      await revealSlot(this.configFile, m.slot);
      return;
    }
    if (!s) return;
    if (!this.info) return;
    await answerRowsMessage(s, this.info, m, (msg) => {
      if (msg.type === 'page') this.lastPage = msg;
      if (msg.type === 'scored') this.lastScored = msg;
      if (msg.type === 'saved')
        void vscode.window.showInformationMessage(
          `RecLens: counterfactual set "${msg.name}" saved to ${vscode.workspace.asRelativePath(msg.file)}`,
        );
      this.post(msg);
    });
  }

  dispose(): void {
    RowsPanel.open.delete(this.configFile);
    for (const d of this.disposables) d.dispose();
    void this.session?.close();
    this.session = undefined;
    this.panel.dispose();
  }
}
