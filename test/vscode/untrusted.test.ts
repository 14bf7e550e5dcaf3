/**
 * The untrusted pass: the workspace carries a reclens.json whose data.filter tries to write a file. Opening it,
 * and every entry point that would read data or run a model (commands, tree nodes, hovers, CodeLens, panel
 * messages, diagnostics, Create Config), must execute nothing: no file written, no run record, and neither
 * DuckDB nor onnxruntime ever loaded into the extension host.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseJsonc } from 'jsonc-parser';
import * as vscode from 'vscode';
import type { TreeNode } from '../../src/extension/workspaceTree';
import type { ResultPanel } from '../../src/extension/panels/resultsPanelHost';
import { api, folder, hoverTextAt, listRuns } from './suiteHelpers';

const pwned = () => path.join(folder(), 'pwned.txt');
const attackFile = () => path.join(folder(), 'attack.reclens.json');
const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Native modules that would mean something executed: DuckDB's bindings and onnxruntime's. */
function nativeLoaded(): string[] {
  return Object.keys(require.cache).filter((k) => /[\\/](@duckdb|onnxruntime-node)[\\/]/.test(k));
}

function assertNothingExecuted(what: string): void {
  assert.ok(!fs.existsSync(pwned()), `${what}: the filter's COPY wrote ${pwned()}`);
  assert.deepEqual(listRuns(), [], `${what}: no run record`);
  assert.deepEqual(nativeLoaded(), [], `${what}: DuckDB / onnxruntime were loaded into the extension host`);
}

function refusedOutcome(r: unknown, what: string): void {
  assert.equal((r as { status?: string } | undefined)?.status, 'refused', `${what} returned ${JSON.stringify(r)}`);
  assert.match((r as { reason: string }).reason, /only in trusted workspaces|untrusted workspace/);
}

if (!vscode.workspace.isTrusted)
  describe('RecLens in an untrusted workspace executes nothing', () => {
    before(() => {
      const cfg = parseJsonc(fs.readFileSync(path.join(folder(), 'reclens.json'), 'utf8'));
      cfg.data.filter = `1=1; COPY (SELECT 'owned') TO ${sqlString(pwned())}; SELECT 1 AS n WHERE 1=1`;
      cfg.slots = { genres: { inputs: ['genres'] } };
      fs.writeFileSync(attackFile(), JSON.stringify(cfg, null, 2));
    });
    after(() => {
      fs.rmSync(attackFile(), { force: true });
    });

    it('opening a config whose filter writes a file: schema-only diagnostics, one trust message, nothing written', async () => {
      const { diagnostics } = await api();
      const uri = vscode.Uri.file(attackFile());
      const checked = new Promise<void>((resolve) => {
        const d = diagnostics.onDidCheck((u) => {
          if (u.fsPath === uri.fsPath) {
            d.dispose();
            resolve();
          }
        });
      });
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      await checked;
      // Opening switches the file from reclens-json to JSONC (configLanguage.ts), which closes and reopens it: the
      // diagnostics are cleared and published again, so wait for them to settle rather than read them once.
      let diags: vscode.Diagnostic[] = [];
      for (let i = 0; i < 80; i++) {
        diags = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'RecLens');
        if (diags.some((d) => d.code === 'untrusted')) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      const trust = diags.filter((d) => d.code === 'untrusted');
      assert.equal(trust.length, 1, JSON.stringify(diags.map((d) => d.message)));
      assert.match(trust[0].message, /^RecLens reads data and runs models only in trusted workspaces\./);
      const actions = (await vscode.commands.executeCommand(
        'vscode.executeCodeActionProvider',
        uri,
        trust[0].range,
      )) as vscode.CodeAction[];
      assert.ok(
        actions.some((a) => a.title === 'Manage Workspace Trust' && a.command?.command === 'workbench.trust.manage'),
        actions.map((a) => a.title).join(', '),
      );
      assertNothingExecuted('diagnostics');
    });

    const configUri = () => vscode.Uri.file(attackFile());
    const commands: [string, () => unknown[]][] = [
      ['reclens.evaluate', () => [configUri()]],
      ['reclens.runAblation', () => [{ configUri: configUri(), slots: ['genres'] }]],
      ['reclens.runCeiling', () => [{ configUri: configUri(), slots: ['genres'] }]],
      ['reclens.runLis', () => [{ configUri: configUri() }]],
      [
        'reclens.compareRuns',
        () => [{ a: { id: 'a', config: { file: attackFile() } }, b: { id: 'b', config: { file: attackFile() } } }],
      ],
      ['reclens.showEmbeddingSpace', () => [{ config: configUri(), tables: ['content_tfidf'], method: 'pca' }]],
      [
        'reclens.createConfig',
        () => [
          {
            model: vscode.Uri.file(path.join(folder(), 'model.onnx')),
            data: vscode.Uri.file(path.join(folder(), 'eval.parquet')),
            target: vscode.Uri.file(path.join(folder(), 'made.reclens.json')),
            quiet: true,
          },
        ],
      ],
      ['reclens.ablateSlots', () => [{ configUri: configUri(), slot: 'genres' }]],
      ['reclens.ablateAll', () => []],
    ];
    for (const [command, args] of commands) {
      it(`command ${command} is refused`, async () => {
        refusedOutcome(await vscode.commands.executeCommand(command, ...args()), command);
        assertNothingExecuted(command);
      });
    }
    it('Create Config wrote no file', () => {
      assert.ok(!fs.existsSync(path.join(folder(), 'made.reclens.json')));
    });

    it("tree: expanding the attack config's Data node runs no query", async () => {
      const { workspaceTree } = await api();
      const roots = await workspaceTree.getChildren();
      const root = roots.find(
        (n) => n.resourceUri?.fsPath === attackFile() || String(n.description).includes('attack.reclens.json'),
      );
      assert.ok(root, roots.map((r) => `${r.label} ${r.description}`).join(', '));
      const data = (await workspaceTree.getChildren(root)).find((n) => n.label === 'Data') as TreeNode;
      const kids = await workspaceTree.getChildren(data);
      assert.deepEqual(
        kids.map((k) => String(k.label)),
        ['RecLens reads data and runs models only in trusted workspaces.'],
      );
      assertNothingExecuted('Data node');
    });

    it('hover on an input reads no column types', async () => {
      const text = await hoverTextAt(configUri(), '"genres": {');
      assert.match(text, /only in trusted workspaces/);
      assertNothingExecuted('hover');
    });

    it("CodeLens: the slot's Ablate and Ceiling lenses are refused when run", async () => {
      await vscode.workspace.openTextDocument(configUri());
      const lenses = (await vscode.commands.executeCommand(
        'vscode.executeCodeLensProvider',
        configUri(),
      )) as vscode.CodeLens[];
      const run = lenses.filter(
        (l) => l.command && ['reclens.runAblation', 'reclens.runCeiling'].includes(l.command.command),
      );
      assert.equal(run.length, 2, lenses.map((l) => l.command?.title).join(' | '));
      for (const l of run)
        refusedOutcome(
          await vscode.commands.executeCommand(l.command!.command, ...(l.command!.arguments ?? [])),
          l.command!.title,
        );
      assertNothingExecuted('CodeLens');
    });

    it('panel messages (runAblation, runCeiling, runLis, compareWith) execute nothing; malformed ones are dropped', async () => {
      const panel = (await vscode.commands.executeCommand('reclens.showFeatureImpact', {
        configUri: configUri(),
      })) as ResultPanel;
      const handle = (m: unknown) => (panel as unknown as { onMessage(m: unknown): Promise<void> }).onMessage(m);
      for (const m of [
        { type: 'runAblation', slots: ['genres'], together: false },
        { type: 'runCeiling', slots: ['genres'] },
        { type: 'runLis' },
        { type: 'compareWith' },
      ])
        await handle(m);
      const before = panel.received.length;
      await handle({ type: 'openRecord', runId: '../../reclens' });
      await handle({ type: 'runAblation', slots: 'genres' });
      assert.equal(panel.received.length, before, 'malformed messages are not handled');
      panel.dispose();
      assertNothingExecuted('panel messages');
    });

    it('at the end of the pass, DuckDB was never loaded into the extension host', () => {
      assertNothingExecuted('the whole pass');
    });
  });

// The control for nativeLoaded(): in the trusted pass, extension.test.ts has evaluated by now, so DuckDB shows up
// in the module cache the untrusted pass inspects. onnxruntime does not: sessions live in worker threads, which
// have their own module cache, so for models the untrusted pass relies on the refusals and the absent run records.
if (vscode.workspace.isTrusted)
  describe('control for the untrusted pass', () => {
    it("after a trusted Evaluate, DuckDB is in the extension host's module cache", () => {
      assert.match(nativeLoaded().join('\n'), /@duckdb[\\/]node-bindings/);
    });
  });
