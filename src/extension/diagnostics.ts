/**
 * Diagnostics on reclens.json: recomputed (debounced) on edit and when the files it references change. The fast
 * checks run first; the sampled target-leakage scan follows as a cancellable background job whose result is cached
 * by the config text and the data file's fingerprint. Nothing here blocks typing: checks are async and superseded
 * ones are cancelled.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CheckedProblem } from '../engine/check/checkConfig';
import { modelLoadProblem } from '../engine/check/modelLoad';
import type { Fix } from '../engine/check/fixes';
import type { Severity } from '../engine/config/problems';
import { isConfigFile } from './configs';
import { isTrusted, UNTRUSTED_MESSAGE } from './trust';

/** Code of the one diagnostic an untrusted workspace gets (its quick action: Manage Workspace Trust). */
export const UNTRUSTED_CODE = 'untrusted';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

export class ConfigDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('reclens');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, AbortController>();
  private readonly leakageCache = new Map<string, CheckedProblem[]>();
  /** Quick fixes by diagnostic, for the code-action provider. */
  readonly fixes = new WeakMap<vscode.Diagnostic, Fix[]>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly checked = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after a document's diagnostics are updated (tests wait on it). */
  readonly onDidCheck = this.checked.event;

  constructor(
    private readonly output: vscode.OutputChannel,
    private readonly debounceMs = 400,
  ) {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (isConfigFile(d.uri.fsPath)) this.collection.delete(d.uri);
      }),
    );
    // Model, data, tables or pairs changing on disk re-check every open config.
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{onnx,parquet,csv,tsv,jsonl,ndjson,npy}');
    const recheckAll = () => {
      for (const d of vscode.workspace.textDocuments) this.schedule(d);
    };
    this.disposables.push(
      watcher,
      watcher.onDidChange(recheckAll),
      watcher.onDidCreate(recheckAll),
      watcher.onDidDelete(recheckAll),
    );
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  schedule(doc: vscode.TextDocument, delay = this.debounceMs): void {
    if (!isConfigFile(doc.uri.fsPath) || doc.uri.scheme !== 'file') return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => void this.check(doc), delay),
    );
  }

  private toDiagnostic(doc: vscode.TextDocument, p: CheckedProblem): vscode.Diagnostic {
    const range = new vscode.Range(p.start.line - 1, p.start.column - 1, p.end.line - 1, p.end.column - 1);
    const d = new vscode.Diagnostic(range, p.message, SEVERITY[p.severity]);
    d.source = 'RecLens';
    d.code = p.code;
    if (p.fixes?.length) this.fixes.set(d, p.fixes);
    return d;
  }

  private publish(doc: vscode.TextDocument, problems: CheckedProblem[]): void {
    this.collection.set(
      doc.uri,
      problems.map((p) => this.toDiagnostic(doc, p)),
    );
    this.checked.fire(doc.uri);
  }

  async check(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    this.running.get(key)?.abort();
    const ac = new AbortController();
    this.running.set(key, ac);
    const text = doc.getText();
    const version = doc.version;
    if (!isTrusted()) {
      // Schema-only: parseConfig reads no data and runs nothing (its file checks are stats).
      const { parseConfig } = await import('../engine/config/loadConfig');
      const { sortProblems } = await import('../engine/check/checkConfig');
      const problems: CheckedProblem[] = sortProblems(parseConfig(text, doc.uri.fsPath).problems);
      const first = { line: 1, column: 1 };
      problems.unshift({
        severity: 'information',
        code: UNTRUSTED_CODE,
        file: doc.uri.fsPath,
        start: first,
        end: { line: 1, column: 2 },
        path: [],
        message: `${UNTRUSTED_MESSAGE} Only the config's structure is checked here; trust the workspace to check its data and model.`,
      });
      this.publish(doc, problems);
      this.running.delete(key);
      return;
    }
    const { checkConfigText, leakageProblems, sortProblems } = await import('../engine/check/checkConfig');
    try {
      // Loading the model with onnxruntime (in a worker) finds what parsing cannot, e.g. unsupported operators.
      const fast = await checkConfigText(text, doc.uri.fsPath, {
        signal: ac.signal,
        loadModel: modelLoadProblem,
        sampleOutput: vscode.workspace.isTrusted,
      });
      if (ac.signal.aborted || doc.version !== version) return;
      const cacheKey = this.leakageKey(doc.uri.fsPath, text, fast);
      const cached = cacheKey ? this.leakageCache.get(cacheKey) : undefined;
      this.publish(doc, sortProblems([...fast, ...(cached ?? [])]));
      if (!cacheKey || cached || fast.some((p) => p.severity === 'error')) return;
      // Background: the leakage scan on a sample of rows.
      const leakage = await leakageProblems(text, doc.uri.fsPath, { signal: ac.signal });
      if (ac.signal.aborted || doc.version !== version) return;
      this.leakageCache.set(cacheKey, leakage);
      this.publish(doc, sortProblems([...fast, ...leakage]));
    } catch (e) {
      this.output.appendLine(`[diagnostics] ${doc.uri.fsPath}: ${(e as Error).message}`);
    } finally {
      if (this.running.get(key) === ac) this.running.delete(key);
    }
  }

  /** Checks every open config again (after the workspace is trusted). */
  recheckAll(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  /** Config text + data file fingerprint: the leakage scan's inputs. */
  private leakageKey(configFile: string, text: string, problems: CheckedProblem[]): string | undefined {
    const dataPath = /"path"\s*:\s*"([^"]+)"/.exec(text.slice(text.indexOf('"data"')))?.[1];
    if (!dataPath || problems.some((p) => p.code === 'missing-file')) return undefined;
    try {
      const file = path.resolve(path.dirname(configFile), dataPath);
      const st = fs.statSync(file);
      return createHash('sha256').update(text).update(`${st.size}:${st.mtimeMs}`).digest('hex');
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const a of this.running.values()) a.abort();
    for (const d of this.disposables) d.dispose();
    this.checked.dispose();
  }
}
