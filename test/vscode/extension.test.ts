/**
 * The extension in a real VS Code, against a copy of examples/movielens opened as the workspace. The same suite
 * runs in a trusted and an untrusted window; each test states the mode it belongs to.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { parseConfig } from '../../src/engine/config/loadConfig';
import type { RecLensApi } from '../../src/extension/extension';
import type { RowCacheCleared } from '../../src/engine/data/clearCache';
import type { RunComparison } from '../../src/engine/compare';
import type { EvalResult } from '../../src/engine/evaluate';
import type { RunRecord } from '../../src/engine/runs/runRecord';
import type { EvaluateOutcome } from '../../src/extension/runManager';
import type { TreeNode } from '../../src/extension/workspaceTree';
import type { EmbeddingPanelData } from '../../src/protocol/embedding';
import type { ResultPanel } from '../../src/extension/panels/resultsPanelHost';
import { api, folder, hoverTextAt, listRuns, runsDir } from './suiteHelpers';

/** Waits until a webview's script has loaded (under the strict CSP) and said so. */
async function webviewReady(received: { type: string }[], what: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (received.some((m) => m.type === 'ready')) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`the ${what} webview never reported ready (script blocked or failed to load?)`);
}

const trusted = vscode.workspace.isTrusted;
const configUri = () => vscode.Uri.file(path.join(folder(), 'reclens.json'));

/**
 * Runs "RecLens: Evaluate" on a config, waits for the run to finish and checks it did: the outcome, and the run
 * record it wrote as read back from disk.
 */
async function evaluateToRecord(
  uri: vscode.Uri = configUri(),
): Promise<{ outcome: Extract<EvaluateOutcome, { status: 'done' }>; record: RunRecord<EvalResult> }> {
  const outcome = (await vscode.commands.executeCommand('reclens.evaluate', uri)) as EvaluateOutcome;
  assert.equal(outcome.status, 'done', JSON.stringify(outcome));
  if (outcome.status !== 'done') throw new Error('unreachable');
  assert.ok(fs.existsSync(outcome.recordFile), `the run record ${outcome.recordFile} exists`);
  return { outcome, record: JSON.parse(fs.readFileSync(outcome.recordFile, 'utf8')) as RunRecord<EvalResult> };
}

/** `reclens eval --json --no-record` on a config, with the CLI of the RecLens under test: what the editor must equal. */
function cliEval(config: string): { auc: number; gauc: number; executionProvider: string } {
  const ext = vscode.extensions.all.find((e) => e.packageJSON.name === 'reclens')!;
  return JSON.parse(
    execFileSync(
      process.execPath,
      [path.join(ext.extensionPath, 'bin', 'reclens'), 'eval', '--config', config, '--json', '--no-record'],
      { encoding: 'utf8' },
    ),
  );
}

/** A completion item's label as the list shows it (VS Code takes a string or a { label } object). */
const labelOf = (item: vscode.CompletionItem) => (typeof item.label === 'string' ? item.label : item.label.label);

async function findChild(
  tree: RecLensApi['workspaceTree'],
  node: TreeNode | undefined,
  label: string,
): Promise<TreeNode> {
  const kids = await tree.getChildren(node);
  const hit = kids.find((k) => String(k.label) === label);
  assert.ok(hit, `"${label}" among ${kids.map((k) => k.label).join(', ')}`);
  return hit!;
}

describe(`RecLens in a real VS Code (${trusted ? 'trusted' : 'untrusted'} workspace)`, () => {
  it("activates on the workspace's reclens.json, cheaply", async () => {
    const a = await api();
    // read by test/e2e/codeServer.mjs: which copy of RecLens ran (development folder or installed .vsix), and how fast
    console.log(
      `RECLENS_EXTENSION_PATH ${vscode.extensions.all.find((e) => e.packageJSON.name === 'reclens')!.extensionPath}`,
    );
    console.log(
      `RECLENS_ACTIVATION activate ${a.activationMs.toFixed(1)} ms, load+activate ${a.loadAndActivateMs?.toFixed(1) ?? '-'} ms`,
    );
    assert.ok(a.activationMs < 2000, `activation took ${a.activationMs} ms`);
    const cmds = await vscode.commands.getCommands(true);
    for (const c of [
      'evaluate',
      'inspectModel',
      'createConfig',
      'selectExecutionProvider',
      'cancelRun',
      'showOutput',
      'clearCache',
    ])
      assert.ok(cmds.includes(`reclens.${c}`), c);
  });

  it("the Workspace tree lists the model's ONNX inputs, the data and the tables (inspection works in both modes)", async () => {
    const { workspaceTree } = await api();
    const roots = await workspaceTree.getChildren();
    assert.equal(roots.length, 1);
    const model = await findChild(workspaceTree, roots[0], 'Model');
    const inputs = await findChild(workspaceTree, model, 'Inputs');
    const names = (await workspaceTree.getChildren(inputs)).map((n) => `${n.label} ${n.description}`);
    assert.deepEqual(names, [
      'user_id int64 [batch]',
      'item_id int64 [batch]',
      'genres float32 [batch, 20]',
      'item_content float32 [batch, 32]',
      'user_history float32 [batch, 32]',
      'numeric float32 [batch, 2]',
    ]);
    const emb = await findChild(workspaceTree, model, 'Embedding tables');
    assert.deepEqual(
      (await workspaceTree.getChildren(emb)).map((n) => n.label),
      ['user_emb.weight', 'item_emb.weight'],
    );
    const data = await findChild(workspaceTree, roots[0], 'Data');
    const dataKids = await workspaceTree.getChildren(data);
    // Counting rows runs DuckDB: trusted only; an untrusted window says why instead.
    if (trusted) assert.equal(dataKids.find((n) => n.label === 'Rows')?.description, '20,167');
    else
      assert.deepEqual(
        dataKids.map((n) => String(n.label)),
        ['RecLens reads data and runs models only in trusted workspaces.'],
      );
  });

  if (trusted) {
    it('Evaluate writes a run record whose AUC equals `reclens eval --json` on the same config', async () => {
      const { status } = await api();
      const before = listRuns().length;
      const { record } = await evaluateToRecord();
      assert.equal(listRuns().length, before + 1);
      const cli = cliEval(configUri().fsPath);
      assert.equal(record.results.auc, cli.auc);
      assert.equal(record.results.gauc, cli.gauc);
      assert.equal(record.results.rows, 20167);
      assert.equal(record.executionProvider, cli.executionProvider);
      assert.match(status.text, new RegExp(`RecLens: ${record.executionProvider}`));
    });

    it('the Runs tree shows the new run, newest first', async () => {
      const { runsTree } = await api();
      const nodes = await runsTree.getChildren();
      assert.ok(nodes.length >= 1);
      assert.match(String(nodes[0].label), /^eval · AUC 0\.\d{4}/);
    });

    it('Cancel Run stops a run and writes no record', async () => {
      const { runs } = await api();
      await vscode.workspace.getConfiguration('reclens').update('batchSize', 16, vscode.ConfigurationTarget.Workspace);
      try {
        const before = listRuns().length;
        const started = new Promise<void>((resolve) => {
          const d = runs.onDidChange(() => {
            if (runs.running) {
              d.dispose();
              resolve();
            }
          });
        });
        const pending = vscode.commands.executeCommand('reclens.evaluate', configUri()) as Thenable<EvaluateOutcome>;
        await started;
        await new Promise((r) => setTimeout(r, 300));
        const wasRunning = await vscode.commands.executeCommand('reclens.cancelRun');
        assert.equal(wasRunning, true);
        const outcome = await pending;
        assert.equal(outcome.status, 'cancelled');
        assert.equal(listRuns().length, before);
        assert.equal(runs.running, false);
      } finally {
        await vscode.workspace
          .getConfiguration('reclens')
          .update('batchSize', undefined, vscode.ConfigurationTarget.Workspace);
      }
    });

    it('Run Ablation from the editor writes an ablate record; the slot CodeLens shows its impact', async () => {
      const outcome = (await vscode.commands.executeCommand('reclens.runAblation', {
        configUri: configUri(),
        slots: ['genres'],
        method: 'mask',
      })) as { status: string; result?: { results: { slot: string; deltaAuc: number }[] } };
      assert.equal(outcome.status, 'done');
      assert.equal(outcome.result!.results[0].slot, 'genres');
      await vscode.workspace.openTextDocument(configUri()); // providers run on open text models only
      const lenses = (await vscode.commands.executeCommand(
        'vscode.executeCodeLensProvider',
        configUri(),
      )) as vscode.CodeLens[];
      const titles = lenses.map((l) => l.command?.title ?? '');
      assert.ok(
        titles.some((t) => t.startsWith(`impact ΔAUC ${outcome.result!.results[0].deltaAuc.toFixed(4)} (mask)`)),
        titles.join(' | '),
      );
      assert.ok(titles.includes('Ablate') && titles.includes('Ceiling'));
    });

    it('Show Feature Impact shows the latest ablation of the config in its panel', async () => {
      const panel = (await vscode.commands.executeCommand('reclens.showFeatureImpact', {
        configUri: configUri(),
      })) as ResultPanel;
      await webviewReady(panel.received, 'feature impact');
      const msg = panel.lastMessage;
      assert.equal(msg?.type, 'impact');
      if (msg?.type === 'impact') {
        assert.deepEqual(
          msg.data.slots.map((x) => x.name),
          ['user_id', 'item_id', 'genres', 'item_content', 'user_history', 'numeric'],
        );
        assert.equal(msg.data.ablation?.results[0].slot, 'genres');
      }
      panel.dispose();
    });

    it('Select Execution Provider changes the chain the next run uses', async () => {
      const chain = await vscode.commands.executeCommand('reclens.selectExecutionProvider', ['cpu']);
      assert.deepEqual(chain, ['cpu']);
      const { outcome } = await evaluateToRecord();
      assert.deepEqual(outcome.result.providerFallbacks, []);
      await vscode.commands.executeCommand('reclens.selectExecutionProvider', 'auto');
    });

    it("Run Ceiling, Ablate Selected Slots and Ablate All Slots record their runs; the Features view shows each slot's figures", async () => {
      type Outcome<R> = { status: string; result?: { results: R[] } };
      const { features } = await api();
      const ceiling = (await vscode.commands.executeCommand('reclens.runCeiling', {
        configUri: configUri(),
        slots: ['genres'],
        candidates: 4,
      })) as Outcome<{ slot: string; candidates: number; ceiling: number }>;
      assert.equal(ceiling.status, 'done', JSON.stringify(ceiling));
      assert.deepEqual(
        ceiling.result!.results.map((r) => [r.slot, r.candidates]),
        [['genres', 4]],
      );
      // Two slots selected in the Features view (the clicked one and the selection): ablated together, as one target.
      const nodes = await features.getChildren();
      const node = (slot: string) => nodes.find((n) => n.slot === slot)!;
      const together = (await vscode.commands.executeCommand('reclens.ablateSlots', node('genres'), [
        node('genres'),
        node('numeric'),
      ])) as Outcome<{ slot: string; method: string }>;
      assert.equal(together.status, 'done', JSON.stringify(together));
      assert.deepEqual(together.result!.results.map((r) => `${r.slot} ${r.method}`).sort(), [
        'genres+numeric mask',
        'genres+numeric permute',
      ]);
      const all = (await vscode.commands.executeCommand('reclens.ablateAll')) as Outcome<{
        slot: string;
        method: string;
        deltaAuc: number;
      }>;
      assert.equal(all.status, 'done', JSON.stringify(all));
      const slots = ['user_id', 'item_id', 'genres', 'item_content', 'user_history', 'numeric'];
      assert.deepEqual([...new Set(all.result!.results.map((r) => r.slot))].sort(), [...slots].sort());
      const shown = new Map((await features.getChildren()).map((n) => [n.slot, String(n.description)]));
      for (const slot of slots) {
        const r = all.result!.results.find((x) => x.slot === slot && x.method === 'mask')!;
        const ceil = slot === 'genres' ? ` · ceil ${ceiling.result!.results[0].ceiling.toFixed(2)}` : '';
        assert.equal(shown.get(slot), `ΔAUC ${r.deltaAuc.toFixed(3)}${ceil}`, slot);
      }
    });

    it('Compare Runs pairs two evaluations of the same rows (same model: no difference) and opens them in a panel', async () => {
      const [a, b] = listRuns()
        .filter((f) => /-eval-/.test(f))
        .sort()
        .slice(-2)
        .map((f) => JSON.parse(fs.readFileSync(path.join(runsDir(), f), 'utf8')) as RunRecord<EvalResult>);
      assert.ok(a && b, 'the earlier tests wrote two eval records');
      const c = (await vscode.commands.executeCommand('reclens.compareRuns', { a, b })) as RunComparison;
      assert.deepEqual([c.a.id, c.b.id, c.sameData, c.rows], [a.id, b.id, true, 20167]);
      assert.ok(Math.abs(c.paired!.a.auc - a.results.auc) < 1e-12, `${c.paired!.a.auc} vs ${a.results.auc}`);
      const diff = c.paired!.diff;
      assert.ok(diff.auc === 0 && diff.logloss === 0, `one model scored twice: ${JSON.stringify(diff)}`);
      // The editor's tabs reach the extension host a moment after the panel opens: wait for the panel's tab.
      const title = `RecLens compare: ${a.id} vs ${b.id}`;
      const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
      for (let i = 0; i < 120 && !tabs().includes(title); i++) await new Promise((r) => setTimeout(r, 250));
      assert.ok(tabs().includes(title), `${title} among the tabs: ${tabs().join(', ')}`);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });
  } else {
    it('Show Rows Explorer refuses in an untrusted workspace: no panel, no model run', async () => {
      const panel = await vscode.commands.executeCommand('reclens.showRows', { configUri: configUri() });
      assert.equal(panel, undefined);
      assert.equal(await (await api()).rowsPanelCount(), 0);
    });
    it('Evaluate refuses to execute the model in an untrusted workspace, and says why', async () => {
      const before = listRuns().length;
      const outcome = (await vscode.commands.executeCommand('reclens.evaluate', configUri())) as EvaluateOutcome;
      assert.equal(outcome.status, 'refused');
      if (outcome.status === 'refused') assert.match(outcome.reason, /untrusted workspace/);
      assert.equal(listRuns().length, before);
    });
  }

  // Removing RecLens's own cache executes nothing from the workspace: both modes.
  it('Clear Cache removes .reclens/cache beside the config (a link inside it as a link), keeps the runs, says what it removed', async () => {
    const cache = path.join(folder(), '.reclens', 'cache');
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'reclens-outside-'));
    try {
      fs.writeFileSync(path.join(outside, 'precious.bin'), 'keep');
      fs.mkdirSync(path.join(cache, 'k1'), { recursive: true });
      fs.writeFileSync(path.join(cache, 'k1', 'labels.bin'), Buffer.alloc(32));
      fs.symlinkSync(outside, path.join(cache, 'k1', 'outside-folder'));
      const runsBefore = listRuns();
      const results = (await vscode.commands.executeCommand('reclens.clearCache')) as RowCacheCleared[];
      const mine = results.find((r) => r.dir === cache);
      assert.ok(mine, `the config's folder is among ${results.map((r) => r.dir).join(', ')}`);
      assert.equal(mine.removed, true);
      assert.deepEqual(mine.entries, ['k1']);
      assert.deepEqual([mine.files, mine.bytes], [1, 32], 'one file of 32 bytes; the link is not counted');
      assert.ok(!fs.existsSync(cache), 'the cache is gone');
      assert.equal(fs.readFileSync(path.join(outside, 'precious.bin'), 'utf8'), 'keep', 'the link was not followed');
      assert.deepEqual(listRuns(), runsBefore, 'run records are not the cache');
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('reclens.rowCacheMaxMB and modelCacheMaxMB reach the engine from the user settings; a workspace cannot set them (both modes)', async () => {
    const { rowCacheMaxBytes, modelCacheMaxBytes } = await api();
    const settings = () => vscode.workspace.getConfiguration('reclens');
    const until = async (what: string, ok: () => boolean) => {
      for (let i = 0; i < 80 && !ok(); i++) await new Promise((r) => setTimeout(r, 250));
      assert.ok(ok(), what);
    };
    const workspaceSettings = path.join(folder(), '.vscode', 'settings.json');
    const before = fs.existsSync(workspaceSettings) ? fs.readFileSync(workspaceSettings, 'utf8') : undefined;
    assert.equal(rowCacheMaxBytes(), 4096 * 2 ** 20, 'the default, 4096 MiB');
    assert.equal(modelCacheMaxBytes(), 4096 * 2 ** 20, 'the default, 4096 MiB');
    try {
      await settings().update('rowCacheMaxMB', 7, vscode.ConfigurationTarget.Global);
      await settings().update('modelCacheMaxMB', 9, vscode.ConfigurationTarget.Global);
      await until(
        `the engine's bounds follow the user settings (${rowCacheMaxBytes()}, ${modelCacheMaxBytes()})`,
        () => rowCacheMaxBytes() === 7 * 2 ** 20 && modelCacheMaxBytes() === 9 * 2 ** 20,
      );
      // A cloned repository's .vscode/settings.json: VS Code reads it (the seed applies) but not the machine setting.
      fs.mkdirSync(path.dirname(workspaceSettings), { recursive: true });
      fs.writeFileSync(
        workspaceSettings,
        JSON.stringify({ 'reclens.seed': 4242, 'reclens.rowCacheMaxMB': 1, 'reclens.modelCacheMaxMB': 1 }),
      );
      await until('the workspace settings file was read', () => settings().get('seed') === 4242);
      assert.equal(settings().get('rowCacheMaxMB'), 7);
      assert.equal(rowCacheMaxBytes(), 7 * 2 ** 20, 'the workspace did not change the bound');
      assert.equal(settings().get('modelCacheMaxMB'), 9);
      assert.equal(modelCacheMaxBytes(), 9 * 2 ** 20, 'nor the model cache bound');
    } finally {
      if (before === undefined) fs.rmSync(workspaceSettings, { force: true });
      else fs.writeFileSync(workspaceSettings, before);
      await settings().update('rowCacheMaxMB', undefined, vscode.ConfigurationTarget.Global);
      await settings().update('modelCacheMaxMB', undefined, vscode.ConfigurationTarget.Global);
    }
    await until(
      'back to the default',
      () =>
        rowCacheMaxBytes() === 4096 * 2 ** 20 &&
        modelCacheMaxBytes() === 4096 * 2 ** 20 &&
        settings().get('seed') !== 4242,
    );
  });

  it("Clear Cache leaves a config's linked .reclens alone (refused, what it points to untouched) and clears the others", async () => {
    const other = path.join(folder(), 'linked-cache');
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'reclens-outside-'));
    const cache = path.join(folder(), '.reclens', 'cache');
    try {
      fs.mkdirSync(path.join(outside, 'cache', 'k1'), { recursive: true });
      fs.writeFileSync(path.join(outside, 'cache', 'k1', 'labels.bin'), Buffer.alloc(16));
      fs.mkdirSync(other);
      fs.copyFileSync(configUri().fsPath, path.join(other, 'reclens.json'));
      fs.symlinkSync(outside, path.join(other, '.reclens'));
      fs.mkdirSync(path.join(cache, 'k2'), { recursive: true });
      fs.writeFileSync(path.join(cache, 'k2', 'labels.bin'), Buffer.alloc(8));
      const results = (await vscode.commands.executeCommand('reclens.clearCache')) as RowCacheCleared[];
      const linked = results.find((r) => r.dir === path.join(other, '.reclens', 'cache'));
      assert.ok(linked, `the linked folder is among ${results.map((r) => r.dir).join(', ')}`);
      assert.equal(linked.removed, false);
      assert.match(linked.refused ?? '', /\.reclens is a symbolic link .*never follows a link there.* Remove the link/);
      assert.ok(fs.existsSync(path.join(outside, 'cache', 'k1', 'labels.bin')), 'what the link points to is untouched');
      assert.ok(fs.lstatSync(path.join(other, '.reclens')).isSymbolicLink(), 'the link itself is left too');
      assert.equal(results.find((r) => r.dir === cache)?.removed, true, "the workspace config's cache is cleared");
      assert.ok(!fs.existsSync(cache));
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  if (trusted)
    it('Clear Cache is refused while a run or a Rows explorer may read the rows: nothing removed', async () => {
      const { runs, rowsPanelCount } = await api();
      const kept = path.join(folder(), '.reclens', 'cache', 'k3', 'labels.bin');
      fs.mkdirSync(path.dirname(kept), { recursive: true });
      fs.writeFileSync(kept, Buffer.alloc(8));
      const evaluation = vscode.commands.executeCommand('reclens.evaluate', configUri()) as Thenable<EvaluateOutcome>;
      for (let i = 0; i < 500 && !runs.running; i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(runs.running, 'the evaluation is running');
      assert.equal(await vscode.commands.executeCommand('reclens.clearCache'), undefined, 'refused during a run');
      assert.ok(fs.existsSync(kept), 'nothing removed during a run');
      assert.equal((await evaluation).status, 'done');

      const panel = (await vscode.commands.executeCommand('reclens.showRows', { configUri: configUri() })) as
        { dispose(): void } | undefined;
      assert.ok(panel, 'the Rows explorer opened');
      try {
        assert.equal(await rowsPanelCount(), 1);
        assert.equal(await vscode.commands.executeCommand('reclens.clearCache'), undefined, 'refused with Rows open');
        assert.ok(fs.existsSync(kept), 'nothing removed while the Rows explorer is open');
      } finally {
        panel.dispose();
      }
      assert.equal(await rowsPanelCount(), 0);
      const results = (await vscode.commands.executeCommand('reclens.clearCache')) as RowCacheCleared[];
      assert.ok(Array.isArray(results), 'cleared once nothing reads the rows');
      assert.ok(!fs.existsSync(kept));
    });

  // The checks below read the data (DuckDB) or run kNN: trusted only (untrusted.test.ts covers the other side).
  if (trusted)
    it('a broken config shows its diagnostic inline, and the quick fix resolves it', async () => {
      const file = path.join(folder(), 'broken.reclens.json');
      fs.writeFileSync(
        file,
        fs.readFileSync(configUri().fsPath, 'utf8').replace('"column": "user_idx"', '"column": "user_idy"'),
      );
      const uri = vscode.Uri.file(file);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      const waitFor = async (pred: (d: vscode.Diagnostic[]) => boolean, what: string) => {
        for (let i = 0; i < 120; i++) {
          const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'RecLens');
          if (pred(d)) return d;
          await new Promise((r) => setTimeout(r, 250));
        }
        assert.fail(
          `timed out waiting for ${what}: ${JSON.stringify(vscode.languages.getDiagnostics(uri).map((x) => x.message))}`,
        );
      };
      const diags = await waitFor(
        (d) => d.some((x) => /"user_idy", which is not a column/.test(x.message)),
        'the diagnostic',
      );
      const diag = diags.find((x) => /"user_idy"/.test(x.message))!;
      assert.equal(diag.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(doc.getText(diag.range), '"user_idy"');
      const actions = (await vscode.commands.executeCommand(
        'vscode.executeCodeActionProvider',
        uri,
        diag.range,
      )) as vscode.CodeAction[];
      const fix = actions.find((a) => a.title === 'Change to "user_idx"');
      assert.ok(fix?.edit, `quick fixes: ${actions.map((a) => a.title).join(', ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix!.edit!));
      await doc.save();
      await waitFor((d) => !d.some((x) => x.severity === vscode.DiagnosticSeverity.Error), 'the error to clear');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      fs.unlinkSync(file);
    });

  it("Inspect Model shows the model's inputs, outputs and embedding tables (it reads the file, runs nothing: both modes)", async () => {
    const md = (await vscode.commands.executeCommand('reclens.inspectModel', configUri())) as string;
    assert.match(md, /## Inputs/);
    assert.match(md, /\| genres \| float32 \| \[batch, 20\] \|/);
    assert.match(md, /\| user_emb\.weight \|/);
    assert.equal(vscode.window.activeTextEditor?.document.getText(), md, 'shown in an editor');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor'); // untitled: no save prompt
  });

  it("Reveal Slot selects the slot's entry in reclens.json (both modes)", async () => {
    await vscode.commands.executeCommand('reclens.revealSlot', { configUri: configUri(), slot: 'genres' });
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, configUri().fsPath);
    assert.match(editor!.document.getText(editor!.selection), /^"genres": \{ "inputs": \["genres"\]/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it("Choose Config for Features lists the chosen config's slots and names it in the view's header (both modes)", async () => {
    const { features, featuresView } = await api();
    const second = path.join(folder(), 'second.reclens.json');
    // The same model and data with two slots of its own: the view must switch to exactly those, and back.
    fs.writeFileSync(
      second,
      fs
        .readFileSync(configUri().fsPath, 'utf8')
        .replace(
          /"slots": \{[\s\S]*?\n {2}\},/,
          '"slots": { "ids": { "inputs": ["user_id", "item_id"] }, "content": { "inputs": ["item_content", "user_history"] } },',
        ),
    );
    const shown = async () => ({
      slots: (await features.getChildren()).map((n) => String(n.label)),
      header: featuresView.description,
    });
    try {
      // From the palette with a config open in the editor: that config.
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(second)));
      const chosen = (await vscode.commands.executeCommand('reclens.selectFeaturesConfig')) as vscode.Uri;
      assert.equal(chosen?.fsPath, second);
      assert.deepEqual(await shown(), { slots: ['ids', 'content'], header: 'second.reclens.json' });
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      // Given a config (a tree item or a Uri): that one, whatever the editor shows.
      await vscode.commands.executeCommand('reclens.selectFeaturesConfig', configUri());
      assert.deepEqual(await shown(), {
        slots: ['user_id', 'item_id', 'genres', 'item_content', 'user_history', 'numeric'],
        header: 'reclens.json',
      });
    } finally {
      features.config = undefined;
      fs.rmSync(second, { force: true });
    }
  });

  it('Show Output shows the RecLens output channel with what RecLens logged (both modes)', async () => {
    await vscode.commands.executeCommand('reclens.showOutput');
    // The channel shown in the Output panel is a document of scheme "output" in the editor's model.
    const shownChannel = () =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && /RecLens activated in/.test(d.getText()));
    for (let i = 0; i < 120 && !shownChannel(); i++) await new Promise((r) => setTimeout(r, 250));
    const doc = shownChannel();
    assert.ok(
      doc,
      `the RecLens channel is open; documents: ${vscode.workspace.textDocuments.map((d) => d.uri.toString()).join(', ')}`,
    );
    const text = doc.getText();
    assert.match(
      text,
      new RegExp(`^RecLens activated in [\\d.]+ ms.*\\(workspace ${trusted ? 'trusted' : 'untrusted'}`, 'm'),
    );
    // The trusted pass evaluated earlier: each run logs its start, and its result with where the record went.
    if (trusted) {
      assert.match(text, /^\[[^\]]+\] eval .*reclens\.json$/m);
      assert.match(text, /^ {2}.*AUC.*; record .*[\\/]\.reclens[\\/]runs[\\/][^\\/]*-eval-[^\\/]*\.json$/m);
    }
  });

  if (trusted)
    it('Refresh re-reads every view: a config renamed on disk, and a run recorded where no file watcher looks', async () => {
      const { workspaceTree, runsTree, features } = await api();
      const original = fs.readFileSync(configUri().fsPath, 'utf8');
      const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'reclens-runs-'));
      const settings = () => vscode.workspace.getConfiguration('reclens');
      const evals = listRuns()
        .filter((f) => /-eval-/.test(f))
        .sort();
      assert.ok(evals.length, 'the earlier tests wrote an eval record');
      try {
        // Runs kept outside the workspace (runsDirectory absolute), where the CLI then records one: no watcher sees it.
        await settings().update('runsDirectory', outside, vscode.ConfigurationTarget.Workspace);
        const renamed = new Promise<void>((resolve) => {
          const d = workspaceTree.onDidChangeTreeData(() => {
            d.dispose();
            resolve();
          });
        });
        fs.writeFileSync(
          configUri().fsPath,
          original.replace('"name": "MovieLens latest-small"', '"name": "MovieLens, renamed on disk"'),
        );
        // The watcher's refresh for the config (waited for, so that it is not counted below); then the run.
        await Promise.race([renamed, new Promise((r) => setTimeout(r, 10_000))]);
        const recorded = path.join(outside, evals[evals.length - 1]);
        fs.copyFileSync(path.join(runsDir(), evals[evals.length - 1]), recorded);

        const fired = { workspace: 0, runs: 0, features: 0 };
        const subs = [
          workspaceTree.onDidChangeTreeData(() => fired.workspace++),
          runsTree.onDidChangeTreeData(() => fired.runs++),
          features.onDidChangeTreeData(() => fired.features++),
        ];
        await vscode.commands.executeCommand('reclens.refresh');
        subs.forEach((d) => d.dispose());
        assert.ok(
          fired.workspace >= 1 && fired.runs >= 1 && fired.features >= 1,
          `each view was told to re-read: ${JSON.stringify(fired)}`,
        );
        // What the views then show.
        assert.deepEqual(
          (await workspaceTree.getChildren()).map((n) => String(n.label)),
          ['MovieLens, renamed on disk'],
        );
        const runs = await runsTree.getChildren();
        assert.deepEqual(
          runs.map((n) => n.resourceUri?.fsPath),
          [recorded],
          'the Runs view lists the run in the new folder only',
        );
        assert.match(String(runs[0].label), /^eval · AUC 0\.\d{4}/);
      } finally {
        fs.writeFileSync(configUri().fsPath, original);
        await settings().update('runsDirectory', undefined, vscode.ConfigurationTarget.Workspace);
        fs.rmSync(outside, { recursive: true, force: true });
      }
    });

  if (trusted)
    it('Export Report writes a run as one HTML file where asked; Open Run Record opens the record', async () => {
      // The newest eval record of the earlier tests (no run of its own: the trusted pass is the long one).
      const evals = listRuns()
        .filter((f) => /-eval-/.test(f))
        .sort();
      assert.ok(evals.length, 'the earlier tests wrote an eval record');
      const recordFile = path.join(runsDir(), evals[evals.length - 1]);
      const record = JSON.parse(fs.readFileSync(recordFile, 'utf8')) as RunRecord<EvalResult>;
      const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'reclens-report-')), 'report.html');
      try {
        const written = await vscode.commands.executeCommand('reclens.exportReport', {
          record,
          target: vscode.Uri.file(target),
        });
        assert.equal(written, target);
        const html = fs.readFileSync(target, 'utf8');
        assert.match(html, /^<!doctype html>/i);
        assert.ok(html.includes(record.id), 'the report names its run');
        assert.deepEqual(fs.readdirSync(path.dirname(target)), ['report.html'], 'no temporary file left');
      } finally {
        fs.rmSync(path.dirname(target), { recursive: true, force: true });
      }
      await vscode.commands.executeCommand('reclens.openRun', { file: recordFile });
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, recordFile);
      assert.equal(JSON.parse(vscode.window.activeTextEditor!.document.getText()).id, record.id);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

  it('hovering an input shows its ONNX dtype and shape and the column type', async () => {
    const text = await hoverTextAt(configUri(), '"genres": { "column"');
    assert.match(text, /genres.*float32.*\[batch, 20\]/);
    if (trusted) assert.match(text, /column `genres`: `FLOAT\[\]`/);
    else {
      assert.doesNotMatch(text, /column `genres`/);
      assert.match(text, /only in trusted workspaces/);
    }
  });

  if (trusted)
    it('Show Embedding Space opens two linked views; the webview loads under its CSP and gets the data', async () => {
      const data = (await vscode.commands.executeCommand('reclens.showEmbeddingSpace', {
        config: configUri(),
        tables: ['content_tfidf', 'content_aligned'],
        method: 'pca',
      })) as EmbeddingPanelData;
      assert.equal(data.views.length, 2);
      assert.equal(data.views[0].n, 9742);
      assert.equal(data.views[0].knn.k, 10);
      assert.equal(data.views[0].explainedVariance?.length, 10);
      assert.ok(data.views[0].metadata.some((m) => m.name === 'primary_genre' && m.kind === 'category'));
      assert.ok(
        data.alignment?.jaccardAtK !== undefined && data.alignment.jaccardAtK > 0 && data.alignment.jaccardAtK < 1,
      );
      const panel = (await (await api()).embeddingPanel())!;
      await webviewReady(panel.received, 'embedding');
      assert.equal(panel.lastData, data);
      panel.dispose();
    });

  if (trusted)
    it('Create Config proposes the whole mapping; ties are settled by a sample run', async () => {
      const target = vscode.Uri.file(path.join(folder(), 'scaffold.reclens.json'));
      const r = (await vscode.commands.executeCommand('reclens.createConfig', {
        model: vscode.Uri.file(path.join(folder(), 'model.onnx')),
        data: vscode.Uri.file(path.join(folder(), 'eval.parquet')),
        target,
        quiet: true,
      })) as { file: string; problems: string[] };
      try {
        assert.equal(r.file, target.fsPath);
        const text = fs.readFileSync(r.file, 'utf8');
        const parsed = parseConfig(text, r.file);
        assert.deepEqual(
          parsed.problems.filter((p) => p.severity === 'error'),
          [],
        );
        assert.equal(parsed.config?.data.label, 'label');
        assert.equal(parsed.config?.data.group, 'user_id');
        // user_id's embedding has 523 rows: the raw user_id (up to 610) cannot feed it, user_idx can.
        assert.deepEqual(parsed.config?.inputs.user_id, { kind: 'column', column: 'user_idx', fillNull: undefined });
        assert.deepEqual(parsed.config?.inputs.numeric, {
          kind: 'columns',
          columns: ['item_pop', 'user_activity'],
          fillNull: undefined,
        });
        if (trusted) {
          assert.deepEqual(parsed.config?.inputs.item_content, {
            kind: 'table',
            table: 'content_tfidf',
            key: 'movie_id',
          });
          assert.deepEqual(r.problems, []);
        } else {
          // Without running the model the two equally named content tables stay a TODO, not a guess.
          assert.equal(parsed.config?.inputs.item_content, undefined);
          assert.ok(
            r.problems.some((p) => /inputs\.item_content/.test(p)),
            r.problems.join('\n'),
          );
          assert.match(text, /TODO/);
        }
      } finally {
        fs.unlinkSync(r.file);
      }
    });

  it("completion in reclens.json offers the data's columns with their type (trusted only), and the model's inputs", async () => {
    const doc = await vscode.workspace.openTextDocument(configUri());
    const text = doc.getText();
    const at = text.indexOf('"column": "user_idx"') + '"column": "'.length + 2;
    const list = (await vscode.commands.executeCommand(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      doc.positionAt(at),
    )) as vscode.CompletionList;
    const byLabel = new Map(list.items.map((i) => [labelOf(i), i]));
    if (trusted) {
      assert.ok(byLabel.has('item_idx') && byLabel.has('hist_emb'), [...byLabel.keys()].join(', '));
      assert.equal(byLabel.get('genres')?.detail, 'FLOAT[]');
    } else {
      // Column names (with their type as detail) come from a DuckDB query, which never runs in an untrusted
      // workspace; VS Code's own word completion may still offer the words of the file, without a type.
      assert.ok(
        !list.items.some((i) => ['item_idx', 'hist_emb', 'genres'].includes(labelOf(i)) && i.detail),
        list.items
          .filter((i) => i.detail)
          .map((i) => `${labelOf(i)}: ${i.detail}`)
          .join(', '),
      );
    }
    const slotAt = text.indexOf('"inputs": ["genres"]') + '"inputs": ["'.length + 1;
    const inputs = (await vscode.commands.executeCommand(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      doc.positionAt(slotAt),
    )) as vscode.CompletionList;
    assert.ok(inputs.items.some((i) => i.label === 'item_content' && i.detail === 'float32 [batch, 32]'));
  });

  if (trusted) {
    it('Create Config on a folder without a config, accept the proposal, Evaluate: the same AUC as the committed config', async () => {
      const fresh = path.join(folder(), 'fresh');
      fs.mkdirSync(fresh, { recursive: true });
      for (const f of ['model.onnx', 'eval.parquet', 'items.parquet'])
        fs.copyFileSync(path.join(folder(), f), path.join(fresh, f));
      fs.cpSync(path.join(folder(), 'tables'), path.join(fresh, 'tables'), { recursive: true });
      try {
        const { features } = await api();
        const changed = new Promise<void>((resolve) => {
          const d = features.onDidChangeTreeData(() => {
            d.dispose();
            resolve();
          });
        });
        const r = (await vscode.commands.executeCommand('reclens.createConfig', {
          folder: vscode.Uri.file(fresh),
          quiet: true,
        })) as { file: string; problems: string[] };
        assert.equal(r.file, path.join(fresh, 'reclens.json'));
        assert.deepEqual(r.problems, []);
        await changed; // the Features view refreshes after Create Config
        const { outcome, record } = await evaluateToRecord(vscode.Uri.file(r.file));
        const cli = cliEval(configUri().fsPath);
        assert.equal(outcome.result.auc, cli.auc);
        assert.equal(record.results.auc, cli.auc, 'the record written for the new config says the same');
      } finally {
        fs.rmSync(fresh, { recursive: true, force: true });
      }
    });
  }

  it('Open Example Workspace copies the bundled example (without its generator) into a new folder each time', async () => {
    const parent = fs.mkdtempSync(path.join(require('os').tmpdir(), 'reclens-example-parent-'));
    const first = (await vscode.commands.executeCommand('reclens.openExample', {
      parent: vscode.Uri.file(parent),
      open: false,
    })) as string;
    const second = (await vscode.commands.executeCommand('reclens.openExample', {
      parent: vscode.Uri.file(parent),
      open: false,
    })) as string;
    assert.equal(first, path.join(parent, 'reclens-example'));
    assert.equal(second, path.join(parent, 'reclens-example-2'));
    for (const f of ['reclens.json', 'model.onnx', 'eval.csv', 'tables/item_ids.npy', 'truth.json'])
      assert.ok(fs.existsSync(path.join(first, f)), f);
    assert.ok(!fs.existsSync(path.join(first, 'build')), 'the generator is not copied');
    assert.deepEqual(
      fs.readdirSync(parent).sort(),
      ['reclens-example', 'reclens-example-2'],
      'no staging folder is left behind',
    );
    const parsed = parseConfig(
      fs.readFileSync(path.join(first, 'reclens.json'), 'utf8'),
      path.join(first, 'reclens.json'),
    );
    assert.deepEqual(
      parsed.problems.filter((p) => p.severity === 'error'),
      [],
    );
    fs.rmSync(parent, { recursive: true, force: true });
  });

  it("reclens.json ends up in VS Code's JSONC mode (it opens as reclens-json, which activates RecLens, and RecLens hands it to JSONC)", async () => {
    await vscode.workspace.openTextDocument(configUri());
    let lang = '';
    for (let i = 0; i < 40 && lang !== 'jsonc'; i++) {
      lang = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === configUri().fsPath)?.languageId ?? '';
      if (lang !== 'jsonc') await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(lang, 'jsonc');
  });
});
