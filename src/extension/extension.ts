/** Activation: creates the views, the status bar and the output channel, and registers each command (one file per
 * command in commands/). Heavy engine parts load on first use. */
import * as vscode from 'vscode';
import { ConfigDiagnostics } from './diagnostics';
import { CONFIG_SELECTOR, ConfigCodeActions, InputHover, SlotCodeLens } from './languageFeatures';
import { ConfigCompletion, ListColumnsAction, listColumnsCommand } from './columnAssist';
import { RunManager } from './runManager';
import { RunsTree } from './runsTree';
import { ProviderStatus } from './statusBar';
import { WorkspaceTree } from './workspaceTree';
import { FeaturesTree, type SlotNode } from './featuresTree';
import { applyFileLimit, applyFileRoots, applyRowCacheBound } from './settings';
import { rowCacheMaxBytes } from '../engine/data/rowCacheDisk';
import { modelCacheBound } from '../engine/model/modelCacheContents';
import { releaseKeptSessions } from '../engine/model/sessionKeeper';
import { UNTRUSTED_MESSAGE } from './trust';
import type { EmbeddingPanel } from './panels/embeddingPanelHost';
import { registerShowHistory } from './commands/showHistory';
import { registerShowRows } from './commands/showRows';
import { registerOpenExampleWorkspace } from './commands/openExampleWorkspace';
import { ablateAll } from './commands/ablateAll';
import { ablateSlots } from './commands/ablateSlots';
import { cancelRun } from './commands/cancelRun';
import { clearCache } from './commands/clearCache';
import { compareRuns } from './commands/compareRuns';
import { createConfig } from './commands/createConfig';
import { evaluate } from './commands/evaluate';
import { exportReport } from './commands/exportReport';
import { inspectModel } from './commands/inspectModel';
import { openRun } from './commands/openRun';
import { revealSlot } from './commands/revealSlot';
import { runJob } from './commands/runJob';
import { selectExecutionProvider } from './commands/selectExecutionProvider';
import { selectFeaturesConfig } from './commands/selectFeaturesConfig';
import type { Services } from './commands/services';
import { showEmbeddingSpace } from './commands/showEmbeddingSpace';
import { showResultPanel } from './commands/showResultPanel';
import { showRun } from './commands/showRun';
import { applyCudaLibraryPath } from './cudaSetting';
import { openConfigsAsJsonc } from './configLanguage';

export interface RecLensApi {
  features: FeaturesTree;
  /** The Features view (its description names the config whose slots it lists). */
  featuresView: vscode.TreeView<SlotNode>;
  runs: RunManager;
  diagnostics: ConfigDiagnostics;
  workspaceTree: WorkspaceTree;
  runsTree: RunsTree;
  status: ProviderStatus;
  activationMs: number;
  /** From the bundle starting to load to the end of activate() (undefined when not run from the bundle). */
  loadAndActivateMs: number | undefined;
  /** The open Embedding Space panel (for tests: they load their own copy of the sources, not the bundle's). */
  embeddingPanel(): Promise<EmbeddingPanel | undefined>;
  /** Open Rows explorer panels (the tests load their own copy of the sources, not the bundle's classes). */
  rowsPanelCount(): Promise<number>;
  /** The row cache's disk bound in bytes as the engine in this bundle applies it (reclens.rowCacheMaxMB). */
  rowCacheMaxBytes(): number;
  /** The model cache's disk bound in bytes as the engine in this bundle applies it (reclens.modelCacheMaxMB). */
  modelCacheMaxBytes(): number;
}

export function activate(context: vscode.ExtensionContext): RecLensApi {
  const t0 = performance.now();
  applyFileRoots(); // before the first config is checked
  const output = vscode.window.createOutputChannel('RecLens');
  const status = new ProviderStatus();
  const runs = new RunManager(output, status, context.workspaceState);
  const workspaceTree = new WorkspaceTree();
  const runsTree = new RunsTree();
  const features = new FeaturesTree();
  const featuresView = vscode.window.createTreeView('reclens.features', {
    treeDataProvider: features,
    canSelectMany: true,
  });
  features.view = featuresView;
  context.subscriptions.push(
    output,
    status,
    runs,
    vscode.window.registerTreeDataProvider('reclens.workspace', workspaceTree),
    vscode.window.registerTreeDataProvider('reclens.runs', runsTree),
    featuresView,
  );
  const diagnostics = new ConfigDiagnostics(output);
  const lenses = new SlotCodeLens();
  context.subscriptions.push(
    diagnostics,
    vscode.languages.registerCodeActionsProvider(CONFIG_SELECTOR, new ConfigCodeActions(diagnostics), {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.RefactorRewrite],
    }),
    vscode.languages.registerCodeLensProvider(CONFIG_SELECTOR, lenses),
    vscode.languages.registerHoverProvider(CONFIG_SELECTOR, new InputHover()),
    vscode.languages.registerCompletionItemProvider(CONFIG_SELECTOR, new ConfigCompletion(), '"'),
    vscode.languages.registerCodeActionsProvider(CONFIG_SELECTOR, new ListColumnsAction(), {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
    }),
    vscode.commands.registerCommand('reclens.listColumns', listColumnsCommand),
    runs.onDidFinish(async () => {
      runsTree.refresh();
      lenses.refresh();
      features.refresh();
      const { ResultPanel } = await import('./panels/resultsPanelHost');
      for (const p of ResultPanel.all()) p.update();
    }),
  );
  void import('./loadingState').then((m) => m.markWorkspaceScanned());
  registerShowHistory(context);
  const watcher = vscode.workspace.createFileSystemWatcher('**/{reclens.json,*.reclens.json,.reclens/runs/*.json}');
  // A created, edited or deleted reclens.json changes the Workspace and Features views (slots, inputs) too.
  const onFiles = (changed?: vscode.Uri) => {
    // A changed config (not a run record, which every job writes): the worker kept for the next job may not fit it.
    if (changed && /reclens\.json$/.test(changed.path)) void releaseKeptSessions();
    workspaceTree.refresh();
    runsTree.refresh();
    features.refresh();
    lenses.refresh();
  };
  context.subscriptions.push(
    watcher,
    watcher.onDidCreate(onFiles),
    watcher.onDidDelete(onFiles),
    watcher.onDidChange(onFiles),
  );
  applyFileLimit();
  applyRowCacheBound();
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('reclens')) void releaseKeptSessions(); // e.g. another execution provider
      if (e.affectsConfiguration('reclens.maxFileSizeMB')) applyFileLimit();
      if (e.affectsConfiguration('reclens.rowCacheMaxMB') || e.affectsConfiguration('reclens.modelCacheMaxMB'))
        applyRowCacheBound();
      if (e.affectsConfiguration('reclens.allowedFolders')) {
        applyFileRoots();
        diagnostics.recheckAll();
      }
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      applyFileRoots();
      diagnostics.recheckAll();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      output.appendLine('Workspace trusted: RecLens now reads data and runs models.');
      workspaceTree.refresh();
      diagnostics.recheckAll();
    }),
  );

  const services: Services = { context, output, runs, runsTree, features, refreshViews: onFiles };
  // VS Code hands a command whatever its caller passed; each handler declares the arguments it accepts.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const register = (id: string, fn: (...args: any[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  register('reclens.evaluate', evaluate(services));
  register('reclens.runAblation', runJob(services, 'ablate'));
  register('reclens.runCeiling', runJob(services, 'ceiling'));
  register('reclens.runLis', runJob(services, 'lis'));
  register('reclens.exportReport', exportReport());
  register('reclens.showFeatureImpact', showResultPanel(services, 'impact'));
  register('reclens.showLis', showResultPanel(services, 'lis'));
  register('reclens.showRun', showRun(services));
  register('reclens.compareRuns', compareRuns(services));
  register('reclens.revealSlot', revealSlot());
  register('reclens.ablateSlots', ablateSlots(services));
  register('reclens.ablateAll', ablateAll(services));
  register('reclens.selectFeaturesConfig', selectFeaturesConfig(services));
  register('reclens.cancelRun', cancelRun(services));
  register('reclens.clearCache', clearCache(services));
  register('reclens.inspectModel', inspectModel());
  register('reclens.createConfig', createConfig(services));
  register('reclens.selectExecutionProvider', selectExecutionProvider(services));
  register('reclens.showEmbeddingSpace', showEmbeddingSpace(services));
  register('reclens.showOutput', () => output.show());
  register('reclens.refresh', () => onFiles());
  register('reclens.openRun', openRun());
  context.subscriptions.push(registerShowRows(context, output));
  context.subscriptions.push(registerOpenExampleWorkspace(context), applyCudaLibraryPath(), openConfigsAsJsonc());

  const activationMs = performance.now() - t0;
  const loadStart = (globalThis as { __reclensLoadStart?: number }).__reclensLoadStart; // set by the bundle's first line
  const loadAndActivateMs = loadStart === undefined ? undefined : performance.now() - loadStart;
  output.appendLine(
    `RecLens activated in ${activationMs.toFixed(1)} ms${loadAndActivateMs === undefined ? '' : ` (${loadAndActivateMs.toFixed(1)} ms with loading its code)`} (workspace ${vscode.workspace.isTrusted ? 'trusted' : `untrusted: ${UNTRUSTED_MESSAGE}`}).`,
  );
  const embeddingPanel = async () => (await import('./panels/embeddingPanelHost')).EmbeddingPanel.active;
  const rowsPanelCount = async () => (await import('./panels/rowsPanelHost')).RowsPanel.all().length;
  return {
    features,
    featuresView,
    runs,
    diagnostics,
    workspaceTree,
    runsTree,
    status,
    activationMs,
    loadAndActivateMs,
    embeddingPanel,
    rowsPanelCount,
    rowCacheMaxBytes,
    modelCacheMaxBytes: modelCacheBound.bytes,
  };
}

export function deactivate(): Promise<void> {
  // Disposables are in context.subscriptions; the inference worker kept idle for the next job is ended here.
  return releaseKeptSessions();
}
