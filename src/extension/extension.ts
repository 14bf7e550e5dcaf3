/** Activation: wires commands, views, the status bar and the output channel. Heavy engine parts load on first use. */
import * as vscode from 'vscode';
import type { ProviderName } from '../engine/config/types';
import { chooseConfig } from './configs';
import { ConfigDiagnostics } from './diagnostics';
import { CONFIG_SELECTOR, ConfigCodeActions, InputHover, SlotCodeLens } from './languageFeatures';
import { ConfigCompletion, ListColumnsAction, listColumnsCommand } from './columnAssist';
import type { JobArgs, JobKind } from './runManager';
import { createConfig, CreateConfigArgs } from './createConfig';
import { RunManager } from './runManager';
import { RunNode, RunsTree } from './runsTree';
import { ProviderStatus } from './statusBar';
import { WorkspaceTree } from './workspaceTree';
import { FeaturesTree, SlotNode } from './featuresTree';
import { applyFileLimit, applyFileRoots, readSettings } from './settings';
import { refused, requireTrust, UNTRUSTED_MESSAGE } from './trust';
import { registerShowHistory } from './commands/showHistory';
import { registerShowRows } from './commands/showRows';
import { registerOpenExampleWorkspace } from './commands/openExampleWorkspace';
import { applyCudaLibraryPath } from './cudaSetting';
import { openConfigsAsJsonc } from './configLanguage';

export interface RecLensApi {
  features: FeaturesTree;
  runs: RunManager;
  diagnostics: ConfigDiagnostics;
  workspaceTree: WorkspaceTree;
  runsTree: RunsTree;
  status: ProviderStatus;
  activationMs: number;
  /** From the bundle starting to load to the end of activate() (undefined when not run from the bundle). */
  loadAndActivateMs: number | undefined;
  /** The open Embedding Space panel (for tests: they load their own copy of the sources, not the bundle's). */
  embeddingPanel(): Promise<import('./panels/embeddingPanel').EmbeddingPanel | undefined>;
  /** Open Rows explorer panels (the tests load their own copy of the sources, not the bundle's classes). */
  rowsPanelCount(): Promise<number>;
}

const CHAINS: { label: string; detail: string; chain: ProviderName[] | undefined }[] = [
  { label: 'Automatic', detail: 'The config\'s runtime.executionProviders, else settings, else CUDA -> WebGPU -> CPU', chain: undefined },
  { label: 'CUDA, then CPU', detail: 'NVIDIA GPU through onnxruntime-node\'s CUDA provider (needs the CUDA build)', chain: ['cuda', 'cpu'] },
  { label: 'WebGPU, then CPU', detail: 'Any GPU with a WebGPU (Dawn) adapter', chain: ['webgpu', 'cpu'] },
  { label: 'CPU only', detail: 'Always available', chain: ['cpu'] },
];

export function activate(context: vscode.ExtensionContext): RecLensApi {
  const t0 = performance.now();
  applyFileRoots(); // before the first config is checked
  const output = vscode.window.createOutputChannel('RecLens');
  const status = new ProviderStatus();
  const runs = new RunManager(output, status, context.workspaceState);
  const workspaceTree = new WorkspaceTree();
  const runsTree = new RunsTree();
  const features = new FeaturesTree();
  context.subscriptions.push(output, status, runs,
    vscode.window.registerTreeDataProvider('reclens.workspace', workspaceTree),
    vscode.window.registerTreeDataProvider('reclens.runs', runsTree),
    vscode.window.createTreeView('reclens.features', { treeDataProvider: features, canSelectMany: true }),
  );
  const diagnostics = new ConfigDiagnostics(output);
  const lenses = new SlotCodeLens();
  context.subscriptions.push(diagnostics,
    vscode.languages.registerCodeActionsProvider(CONFIG_SELECTOR, new ConfigCodeActions(diagnostics), { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.RefactorRewrite] }),
    vscode.languages.registerCodeLensProvider(CONFIG_SELECTOR, lenses),
    vscode.languages.registerHoverProvider(CONFIG_SELECTOR, new InputHover()),
    vscode.languages.registerCompletionItemProvider(CONFIG_SELECTOR, new ConfigCompletion(), '"'),
    vscode.languages.registerCodeActionsProvider(CONFIG_SELECTOR, new ListColumnsAction(), { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    vscode.commands.registerCommand('reclens.listColumns', listColumnsCommand),
    runs.onDidFinish(async () => {
      runsTree.refresh(); lenses.refresh(); features.refresh();
      const { ResultPanel } = await import('./panels/resultPanel');
      for (const p of ResultPanel.all()) p.update();
    }),
  );
  void import('./loadingState').then((m) => m.markWorkspaceScanned());
  registerShowHistory(context);
  const watcher = vscode.workspace.createFileSystemWatcher('**/{reclens.json,*.reclens.json,.reclens/runs/*.json}');
  // A created, edited or deleted reclens.json changes the Workspace and Features views (slots, inputs) too.
  const onFiles = () => { workspaceTree.refresh(); runsTree.refresh(); features.refresh(); lenses.refresh(); };
  context.subscriptions.push(watcher, watcher.onDidCreate(onFiles), watcher.onDidDelete(onFiles), watcher.onDidChange(onFiles));
  applyFileLimit();
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('reclens.maxFileSizeMB')) applyFileLimit();
      if (e.affectsConfiguration('reclens.allowedFolders')) { applyFileRoots(); diagnostics.recheckAll(); }
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => { applyFileRoots(); diagnostics.recheckAll(); }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      output.appendLine('Workspace trusted: RecLens now reads data and runs models.');
      workspaceTree.refresh();
      diagnostics.recheckAll();
    }),
  );

  const register = (id: string, fn: (...args: any[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  register('reclens.evaluate', async (arg?: unknown) => {
    const uri = await chooseConfig(arg);
    if (!uri) return undefined;
    const outcome = await runs.evaluate(uri);
    runsTree.refresh();
    return outcome;
  });
  const job = (kind: JobKind) => async (arg?: unknown) => {
    const a = arg as (JobArgs & { configUri?: vscode.Uri }) | undefined;
    const uri = await chooseConfig(a?.configUri ? a.configUri : arg);
    if (!uri) return undefined;
    const outcome = await runs.run(kind, uri, { slots: a?.slots, preferences: a?.preferences, tables: a?.tables, method: a?.method, repeats: a?.repeats, candidates: a?.candidates });
    runsTree.refresh();
    return outcome;
  };
  register('reclens.runAblation', job('ablate'));
  register('reclens.runCeiling', job('ceiling'));
  register('reclens.runLis', job('lis'));
  register('reclens.exportReport', async (arg?: { record?: import('../engine/runs/runRecord').RunRecord; file?: string; target?: vscode.Uri }) => {
    const { renderReport } = await import('../engine/report/html');
    const { listRunRecords } = await import('../engine/runs/runRecord');
    let record = arg?.record;
    if (!record) {
      const uri = await chooseConfig(arg);
      if (!uri) return undefined;
      const { requireConfig } = await import('../engine/config/loadConfig');
      const all = listRunRecords((await import('./settings')).readSettings().runsDir(requireConfig(uri.fsPath).config.dir));
      const { runLabel } = await import('../engine/runs/summary');
      const pick = await vscode.window.showQuickPick(all.map((r) => ({ label: runLabel(r), description: r.createdAt, r })), { placeHolder: 'Which run?' });
      record = pick?.r;
    }
    if (!record) return undefined;
    const target = arg?.target ?? (await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(`reclens-${record.id}.html`), filters: { HTML: ['html'] } }));
    if (!target) return undefined;
    const { writeFileAtomic } = await import('../engine/runs/atomicWrite');
    writeFileAtomic(target.fsPath, renderReport(record));
    void vscode.window.showInformationMessage(`RecLens: report written to ${vscode.workspace.asRelativePath(target)}`);
    return target.fsPath;
  });
  const showPanel = (kind: 'impact' | 'lis') => async (arg?: unknown) => {
    const uri = await chooseConfig((arg as { configUri?: vscode.Uri })?.configUri ?? arg);
    if (!uri) return undefined;
    const { ResultPanel, featureImpactData, lisData } = await import('./panels/resultPanel');
    const refresh = async () => {
      try {
        return kind === 'impact' ? { type: 'impact' as const, data: await featureImpactData(uri.fsPath) } : { type: 'lis' as const, data: lisData(uri.fsPath) };
      } catch (e) {
        return { type: 'error' as const, message: (e as Error).message };
      }
    };
    return ResultPanel.show(kind, uri.fsPath, kind === 'impact' ? 'RecLens: Feature Impact' : 'RecLens: LIS', context.extensionUri, refresh, uri.fsPath);
  };
  register('reclens.showFeatureImpact', showPanel('impact'));
  register('reclens.showLis', showPanel('lis'));
  register('reclens.showRun', async (node?: RunNode) => {
    const { ResultPanel, runPanelTitle } = await import('./panels/resultPanel');
    const record = node?.record ?? (await pickRun('Which run?'));
    if (!record) return undefined;
    return ResultPanel.show('run', record.id, runPanelTitle(record), context.extensionUri, () => ({ type: 'run', data: { title: runPanelTitle(record), record } }), record.config.file);
  });
  register('reclens.compareRuns', async (arg?: { a?: import('../engine/runs/runRecord').RunRecord; b?: import('../engine/runs/runRecord').RunRecord }) => {
    if (!requireTrust('Compare Runs', output)) return refused('Compare Runs');
    const a = arg?.a ?? (await pickRun('First run (A)'));
    if (!a) return undefined;
    const b = arg?.b ?? (await pickRun(`Compare ${a.id} with (B)`, a.id));
    if (!b) return undefined;
    const { compareRuns } = await import('../engine/compare');
    const { ResultPanel, runPanelTitle } = await import('./panels/resultPanel');
    const comparison = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'RecLens: comparing runs', cancellable: true }, (progress, token) => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      return compareRuns(a, b, { bootstrap: readSettings().bootstrap }, { signal: ac.signal, onProgress: (e) => progress.report({ message: `${e.phase} ${e.done.toLocaleString()} / ${e.total.toLocaleString()}` }) });
    }).then((c) => c, (e: Error) => { void vscode.window.showErrorMessage(`RecLens: ${e.message}`); return undefined; });
    if (!comparison) return undefined;
    const title = `RecLens compare: ${a.id} vs ${b.id}`;
    ResultPanel.show('run', `${a.id}|${b.id}`, title, context.extensionUri, () => ({ type: 'run', data: { title: runPanelTitle(a), record: a, comparison } }), a.config.file);
    return comparison;
  });
  register('reclens.revealSlot', async (node?: SlotNode) => {
    if (node) await (await import('./panels/resultPanel')).revealSlot(node.configUri.fsPath, node.slot);
  });
  register('reclens.ablateSlots', async (node?: SlotNode, nodes?: SlotNode[]) => {
    if (!requireTrust('Ablate Selected Slots', output)) return refused('Ablate Selected Slots');
    const chosen = nodes?.length ? nodes : node ? [node] : [];
    if (!chosen.length) return undefined;
    const slots = chosen.length > 1 ? [chosen.map((n) => n.slot).join('+')] : [chosen[0].slot];
    return vscode.commands.executeCommand('reclens.runAblation', { configUri: chosen[0].configUri, slots });
  });
  register('reclens.ablateAll', async () => {
    if (!requireTrust('Ablate All Slots', output)) return refused('Ablate All Slots');
    const uri = features.config ?? (await chooseConfig());
    return uri ? vscode.commands.executeCommand('reclens.runAblation', { configUri: uri }) : undefined;
  });
  register('reclens.selectFeaturesConfig', async () => {
    const uri = await chooseConfig();
    if (uri) { features.config = uri; features.refresh(); }
  });
  register('reclens.cancelRun', () => {
    if (!runs.cancel()) void vscode.window.showInformationMessage('RecLens: no run in progress.');
    return runs.running;
  });
  register('reclens.inspectModel', async (arg?: unknown) => {
    const uri = await chooseConfig(arg);
    if (!uri) return undefined;
    try {
      const { requireConfig } = await import('../engine/config/loadConfig');
      const { showInspection } = await import('./inspectView');
      return await showInspection(requireConfig(uri.fsPath).config.model.path);
    } catch (e) {
      void vscode.window.showErrorMessage(`RecLens: ${(e as Error).message}`);
      return undefined;
    }
  });
  register('reclens.createConfig', async (args?: CreateConfigArgs) => {
    // Reads the data's columns with DuckDB.
    if (!requireTrust('Create Config', output)) return refused('Create Config');
    try {
      const r = await createConfig(args instanceof vscode.Uri ? { model: args } : args ?? {});
      onFiles();
      return r;
    } catch (e) {
      void vscode.window.showErrorMessage(`RecLens: could not create a config: ${(e as Error).message}`);
      return undefined;
    }
  });
  register('reclens.selectExecutionProvider', async (chain?: ProviderName[] | 'auto') => {
    let picked = chain === 'auto' ? undefined : chain;
    if (chain === undefined) {
      const item = await vscode.window.showQuickPick(CHAINS.map((c) => ({ ...c, description: JSON.stringify(c.chain) === JSON.stringify(runs.providerOverride) ? '(current)' : '' })), { placeHolder: 'Execution providers for RecLens runs in this workspace' });
      if (!item) return runs.providerOverride;
      picked = item.chain;
    }
    await runs.setProviderOverride(picked);
    output.appendLine(`Execution providers: ${picked ? picked.join(' -> ') : 'automatic'}`);
    return runs.providerOverride;
  });
  register('reclens.showEmbeddingSpace', async (arg?: unknown) => {
    if (!requireTrust('Show Embedding Space', output)) return refused('Show Embedding Space');
    const { EmbeddingPanel } = await import('./panels/embeddingPanel');
    const req = await embeddingRequest(arg);
    if (!req) return undefined;
    const panel = EmbeddingPanel.show(context.extensionUri, output);
    return panel.load(req);
  });
  register('reclens.showOutput', () => output.show());
  context.subscriptions.push(registerShowRows(context, output));
  context.subscriptions.push(registerOpenExampleWorkspace(context), applyCudaLibraryPath(), openConfigsAsJsonc());
  register('reclens.refresh', () => onFiles());
  register('reclens.openRun', async (node?: RunNode) => {
    if (node?.file) await vscode.window.showTextDocument(vscode.Uri.file(node.file), { preview: true });
  });

  const activationMs = performance.now() - t0;
  const loadStart = (globalThis as { __reclensLoadStart?: number }).__reclensLoadStart; // set by the bundle's first line
  const loadAndActivateMs = loadStart === undefined ? undefined : performance.now() - loadStart;
  output.appendLine(`RecLens activated in ${activationMs.toFixed(1)} ms${loadAndActivateMs === undefined ? '' : ` (${loadAndActivateMs.toFixed(1)} ms with loading its code)`} (workspace ${vscode.workspace.isTrusted ? 'trusted' : `untrusted: ${UNTRUSTED_MESSAGE}`}).`);
  const embeddingPanel = async () => (await import('./panels/embeddingPanel')).EmbeddingPanel.active;
  const rowsPanelCount = async () => (await import('./panels/rowsPanel')).RowsPanel.all().length;
  return { features, runs, diagnostics, workspaceTree, runsTree, status, activationMs, loadAndActivateMs, embeddingPanel, rowsPanelCount };
}

/** Picks a run record of any config in the workspace, newest first. */
async function pickRun(placeHolder: string, exclude?: string): Promise<import('../engine/runs/runRecord').RunRecord | undefined> {
  const { RunsTree } = await import('./runsTree');
  const nodes = (await new RunsTree().getChildren()).filter((n) => n.record.id !== exclude);
  if (nodes.length === 0) { void vscode.window.showInformationMessage('RecLens: no runs yet.'); return undefined; }
  const pick = await vscode.window.showQuickPick(nodes.map((n) => ({ label: String(n.label), description: String(n.description ?? ''), detail: n.record.id, record: n.record })), { placeHolder });
  return pick?.record;
}

/** What "Show Embedding Space" should show: from a tree node, a run record, explicit arguments, or by asking. */
async function embeddingRequest(arg: unknown): Promise<import('./panels/embeddingPanel').EmbeddingRequest | undefined> {
  const a = arg as { tableName?: string; configUri?: vscode.Uri; record?: { kind: string; config: { file: string }; options: Record<string, unknown> }; tables?: string[]; config?: vscode.Uri; method?: 'pca' | 'umap'; sample?: number } | undefined;
  if (a?.config && a.tables) return { config: a.config, tables: a.tables, method: a.method ?? 'pca', sample: a.sample };
  if (a?.record?.kind === 'embed') {
    const o = a.record.options;
    return { config: vscode.Uri.file(a.record.config.file), tables: [String(o.table)], method: (o.method as 'pca' | 'umap') ?? 'pca', sample: o.sample as number | undefined };
  }
  const config = a?.configUri ?? (await chooseConfig(arg));
  if (!config) return undefined;
  let tables = a?.tableName ? [a.tableName] : undefined;
  if (!tables) {
    const { requireConfig } = await import('../engine/config/loadConfig');
    const { inspectModel } = await import('../engine/model/inspect');
    const cfg = requireConfig(config.fsPath).config;
    const names = [...Object.keys(cfg.tables), ...(await inspectModel(cfg.model.path)).embeddingTables.map((e) => `onnx:${e.initializer}`)];
    const picked = await vscode.window.showQuickPick(names.map((label) => ({ label, description: label.startsWith('onnx:') ? 'the ranker\'s own id embedding' : 'table' })), { canPickMany: true, placeHolder: 'One table, or two to compare side by side' });
    if (!picked?.length) return undefined;
    tables = picked.slice(0, 2).map((p) => p.label);
  }
  const method = a?.method ?? ((await vscode.window.showQuickPick([{ label: 'PCA', detail: 'Exact, fast; linear structure' }, { label: 'UMAP', detail: 'Seeded; local neighbourhoods; large tables are sampled' }], { placeHolder: 'Projection' }))?.label.toLowerCase() as 'pca' | 'umap' | undefined);
  if (!method) return undefined;
  return { config, tables, method };
}

export function deactivate(): void {
  /* disposables are in context.subscriptions */
}
