/**
 * Host of the Feature Impact, LIS and Run panels (one webview bundle, results.js). Panels read run records and
 * ask the engine for nothing but comparisons; they never compute metrics. They refresh when a run finishes.
 */
import * as path from 'path';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import * as vscode from 'vscode';
import type {
  FeatureImpactData,
  HostToPanel,
  LisPanelData,
  PanelKind,
  PanelReply,
  PanelRequest,
  PanelToHost,
  RunPanelData,
  RunRef,
} from '../../protocol/results';
import { requireConfig } from '../../engine/config/loadConfig';
import { writeFileAtomic } from '../../engine/runs/atomicWrite';
import { listRunRecords, RunRecord } from '../../engine/runs/runRecord';
import { runLabel } from '../../engine/runs/summary';
import { resolveSlots } from '../../engine/ablation/slots';
import { inspectModel } from '../../engine/model/inspect';
import { readSettings } from '../settings';
import { parsePanelMessage } from '../../protocol/validate';
import { webviewHtml } from './webviewHtml';
import { showError } from '../errorMessage';

const ref = (r: RunRecord): RunRef => ({
  runId: r.id,
  createdAt: r.createdAt,
  seed: r.seed,
  executionProvider: r.executionProvider,
});

export function latestRuns(configFile: string): RunRecord[] {
  const { config } = requireConfig(configFile);
  return listRunRecords(readSettings().runsDir(config.dir)).filter(
    (r) => path.resolve(r.config.file) === path.resolve(config.file),
  );
}

export async function featureImpactData(configFile: string): Promise<FeatureImpactData> {
  const { config } = requireConfig(configFile);
  const runs = latestRuns(configFile);
  const model = await inspectModel(config.model.path);
  const slots = resolveSlots(
    config,
    model.inputs.map((i) => i.name),
  ).map((s) => ({ name: s.name, inputs: s.inputs, description: s.description }));
  const ab = runs.find((r) => r.kind === 'ablate');
  const ce = runs.find((r) => r.kind === 'ceiling');
  return {
    title: `Feature impact: ${config.name ?? path.basename(config.dir)}`,
    configFile: config.file,
    slots,
    ablation: ab ? ({ ...(ab.results as object), ...ref(ab) } as FeatureImpactData['ablation']) : null,
    ceiling: ce ? ({ ...(ce.results as object), ...ref(ce) } as FeatureImpactData['ceiling']) : null,
  };
}

export function lisData(configFile: string): LisPanelData {
  const { config } = requireConfig(configFile);
  const run = latestRuns(configFile).find((r) => r.kind === 'lis');
  return {
    title: `LIS: ${config.name ?? path.basename(config.dir)}`,
    configFile: config.file,
    lis: run ? ({ ...(run.results as object), ...ref(run) } as LisPanelData['lis']) : null,
  };
}

export class ResultPanel {
  private static readonly open = new Map<string, ResultPanel>();
  private last: HostToPanel | undefined;
  readonly received: PanelToHost[] = [];
  private readonly disposables: vscode.Disposable[] = [];

  private constructor(
    readonly kind: PanelKind,
    readonly key: string,
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly refresh: () => HostToPanel | undefined | Promise<HostToPanel | undefined>,
    private readonly configFile?: string,
  ) {
    panel.webview.html = webviewHtml(
      panel.webview,
      extensionUri,
      'results.js',
      ['base.css', 'results.css'],
      panel.title,
    );
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
    );
  }

  /** Opens (or reveals) the panel for `key` and shows the data `refresh` builds now and after each run. */
  static show(
    kind: PanelKind,
    key: string,
    title: string,
    extensionUri: vscode.Uri,
    refresh: () => HostToPanel | undefined | Promise<HostToPanel | undefined>,
    configFile?: string,
  ): ResultPanel {
    let p = ResultPanel.open.get(`${kind}:${key}`);
    if (!p) {
      const panel = vscode.window.createWebviewPanel(`reclens.${kind}`, title, vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: [
          vscode.Uri.joinPath(extensionUri, 'media'),
          vscode.Uri.joinPath(extensionUri, 'out', 'webview'),
        ],
      });
      panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'reclens.svg');
      p = new ResultPanel(kind, key, panel, extensionUri, refresh, configFile);
      ResultPanel.open.set(`${kind}:${key}`, p);
    } else p.panel.reveal();
    p.update();
    return p;
  }

  static all(): ResultPanel[] {
    return [...ResultPanel.open.values()];
  }

  get lastMessage(): HostToPanel | undefined {
    return this.last;
  }

  update(msg?: HostToPanel): void {
    void Promise.resolve(msg ?? this.refresh()).then((m) => {
      if (!m) return;
      this.last = m;
      void this.panel.webview.postMessage(m);
    });
  }

  busy(message: string | null): void {
    void this.panel.webview.postMessage({ type: 'busy', message } satisfies HostToPanel);
  }

  private async onMessage(raw: unknown): Promise<void> {
    // The webview shows data from files a cloned repository may have crafted: its messages are checked, not trusted.
    const m = parsePanelMessage(raw);
    if (!m) return;
    this.received.push(m);
    const configUri = this.configFile ? vscode.Uri.file(this.configFile) : undefined;
    switch (m.type) {
      case 'ready':
        if (this.last) void this.panel.webview.postMessage(this.last);
        break;
      case 'revealSlot':
        if (this.configFile) await revealSlot(this.configFile, m.slot);
        break;
      case 'runAblation':
        this.busy('Ablating...');
        await vscode.commands.executeCommand('reclens.runAblation', {
          configUri,
          slots: m.together ? [m.slots.join('+')] : m.slots,
        });
        this.busy(null);
        break;
      case 'runCeiling':
        this.busy('Computing ceilings...');
        await vscode.commands.executeCommand('reclens.runCeiling', { configUri, slots: m.slots });
        this.busy(null);
        break;
      case 'runLis':
        this.busy('Measuring LIS and AIS...');
        await vscode.commands.executeCommand('reclens.runLis', { configUri });
        this.busy(null);
        break;
      case 'export':
        this.reply(m, await saveExport(m));
        break;
      case 'showRows':
        if (this.configFile && typeof m.slot === 'string')
          await vscode.commands.executeCommand('reclens.showRows', {
            configUri: vscode.Uri.file(this.configFile),
            sortBySlot: m.slot,
          });
        break;
      case 'compareWith':
        this.reply(m, await this.compareWith());
        break;
      case 'openRecord':
        if (this.configFile) {
          const { config } = requireConfig(this.configFile);
          const dir = path.resolve(readSettings().runsDir(config.dir));
          const file = path.resolve(dir, `${m.runId}.json`);
          if (path.dirname(file) === dir) await vscode.window.showTextDocument(vscode.Uri.file(file));
        }
        break;
    }
  }

  /** Answers a request that carries a messageId (older webviews send none and get no reply). */
  private reply(request: PanelRequest, outcome: Pick<PanelReply, 'ok' | 'message'>): void {
    if (request.messageId === undefined) return;
    void this.panel.webview.postMessage({
      type: 'reply',
      inReplyTo: request.messageId,
      ...outcome,
    } satisfies HostToPanel);
  }

  private async compareWith(): Promise<Pick<PanelReply, 'ok' | 'message'>> {
    const a = (this.last as { data?: RunPanelData } | undefined)?.data?.record;
    const outcome = await vscode.commands.executeCommand<unknown>('reclens.compareRuns', { a });
    if (outcome === undefined) return { ok: true, message: null };
    const status = (outcome as { status?: unknown; reason?: unknown }).status;
    if (status === 'refused' || status === 'failed')
      return { ok: false, message: String((outcome as { reason?: unknown }).reason) };
    return { ok: true, message: 'The comparison is open in its own panel.' };
  }

  dispose(): void {
    ResultPanel.open.delete(`${this.kind}:${this.key}`);
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}

export async function revealSlot(configFile: string, slot: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(configFile);
  const root = parseTree(doc.getText(), [], { allowTrailingComma: true });
  const node = root && (findNodeAtLocation(root, ['slots', slot]) ?? findNodeAtLocation(root, ['inputs', slot]));
  const target = node?.parent?.type === 'property' ? node.parent : node;
  const range = target
    ? new vscode.Range(doc.positionAt(target.offset), doc.positionAt(target.offset + target.length))
    : undefined;
  await vscode.window.showTextDocument(doc, { selection: range, preview: false });
}

/** Asks where to save an export and writes it; says what happened (the panel shows it). */
async function saveExport(m: Extract<PanelToHost, { type: 'export' }>): Promise<Pick<PanelReply, 'ok' | 'message'>> {
  const filters: Record<string, string[]> = { svg: ['svg'], png: ['png'], csv: ['csv'] };
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(m.suggestedName),
    filters: { [m.format.toUpperCase()]: filters[m.format] },
  });
  if (!target) return { ok: true, message: null };
  const shown = vscode.workspace.asRelativePath(target);
  try {
    // parsePanelMessage has already turned index-keyed byte objects (older hosts) into a Uint8Array.
    writeFileAtomic(target.fsPath, m.bytes ? Buffer.from(m.bytes) : (m.text ?? ''));
  } catch (e) {
    const message = `Could not save ${shown}: ${(e as Error).message}`;
    void showError(message);
    return { ok: false, message };
  }
  void vscode.window.showInformationMessage(`RecLens: saved ${shown}`);
  return { ok: true, message: `Saved ${shown}` };
}

export function runPanelTitle(r: RunRecord): string {
  return `RecLens run: ${runLabel(r)}`;
}
