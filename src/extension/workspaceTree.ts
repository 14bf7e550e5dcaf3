/**
 * The Workspace view: each config -> its model (inputs, outputs, embedding initializers), its data (columns,
 * types, row count) and its tables. Reads metadata only: nothing here executes a model, so it works untrusted.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { RereadTree } from './rereadTree';
import { loadConfig } from '../engine/config/loadConfig';
import type { RecLensConfig } from '../engine/config/types';
import { describeData } from '../engine/data/describe';
import { openDuck } from '../engine/data/duck';
import { isTrusted, UNTRUSTED_MESSAGE } from './trust';
import { readNpyHeader } from '../engine/data/npy';
import { inspectModel } from '../engine/model/inspect';
import { findConfigs } from './configs';
import { noteConfigSearch } from './loadingState';

export type NodeKind = 'config' | 'model' | 'data' | 'tables' | 'section' | 'leaf' | 'error';

export class TreeNode extends vscode.TreeItem {
  children?: TreeNode[];
  /** For table nodes: the name "Show Embedding Space" opens (a config table, or onnx:<initializer>). */
  tableName?: string;
  load?: () => Promise<TreeNode[]>;
  constructor(
    label: string,
    readonly kind: NodeKind,
    public configUri?: vscode.Uri,
    collapsible = vscode.TreeItemCollapsibleState.None,
  ) {
    super(label, collapsible);
    this.contextValue = kind;
  }
}

function leaf(label: string, description?: string, icon?: string, tooltip?: string): TreeNode {
  const n = new TreeNode(label, 'leaf');
  n.description = description;
  if (icon) n.iconPath = new vscode.ThemeIcon(icon);
  if (tooltip) n.tooltip = tooltip;
  return n;
}

function errorNode(message: string): TreeNode {
  const n = leaf(message.split('\n')[0].slice(0, 120), undefined, 'error', message);
  return Object.assign(n, { contextValue: 'error' });
}

function section(
  label: string,
  kind: NodeKind,
  configUri: vscode.Uri,
  icon: string,
  load: () => Promise<TreeNode[]>,
  description?: string,
): TreeNode {
  const n = new TreeNode(label, kind, configUri, vscode.TreeItemCollapsibleState.Collapsed);
  n.iconPath = new vscode.ThemeIcon(icon);
  n.description = description;
  n.load = load;
  return n;
}

const shape = (s: (number | string | null)[] | null) => (s ? `[${s.map((d) => d ?? '?').join(', ')}]` : '[?]');

async function modelChildren(config: RecLensConfig): Promise<TreeNode[]> {
  const m = await inspectModel(config.model.path);
  const inputs = section(
    'Inputs',
    'section',
    vscode.Uri.file(config.file),
    'symbol-parameter',
    async () => m.inputs.map((i) => leaf(i.name, `${i.dtype} ${shape(i.shape)}`, 'symbol-field')),
    String(m.inputs.length),
  );
  const outputs = section(
    'Outputs',
    'section',
    vscode.Uri.file(config.file),
    'output',
    async () => m.outputs.map((o) => leaf(o.name, `${o.dtype} ${shape(o.shape)}`, 'symbol-field')),
    String(m.outputs.length),
  );
  const nodes = [inputs, outputs];
  if (m.embeddingTables.length) {
    nodes.push(
      section(
        'Embedding tables',
        'section',
        vscode.Uri.file(config.file),
        'table',
        async () =>
          m.embeddingTables.map((e) =>
            Object.assign(
              leaf(
                e.initializer,
                `${e.rows.toLocaleString('en-US')} x ${e.dim}`,
                'symbol-array',
                e.indexedBy.length ? `Indexed by input ${e.indexedBy.join(', ')}` : undefined,
              ),
              {
                contextValue: 'embeddingTable',
                tableName: `onnx:${e.initializer}`,
                configUri: vscode.Uri.file(config.file),
              },
            ),
          ),
        String(m.embeddingTables.length),
      ),
    );
  }
  nodes.push(
    leaf(
      'Graph',
      `${m.nodeCount} nodes, ${m.parameterCount.toLocaleString('en-US')} parameters, opset ${m.opsets.map((o) => o.version).join('/')}`,
      'type-hierarchy',
      `producer ${m.producer}`,
    ),
  );
  inputs.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
  return nodes;
}

async function dataChildren(config: RecLensConfig): Promise<TreeNode[]> {
  // Counting rows runs DuckDB over the data (and data.filter): trusted workspaces only.
  if (!isTrusted())
    return [
      leaf(
        UNTRUSTED_MESSAGE,
        '',
        'workspace-untrusted',
        'Trust this workspace (Manage Workspace Trust) to see its rows and columns.',
      ),
    ];
  const duck = await openDuck(1, [config.data.path]);
  try {
    const d = await describeData(duck, config);
    const roles = new Map<string, string>([
      [config.data.label, 'label'],
      [config.data.group ?? '', 'group'],
      [config.data.item ?? '', 'item'],
      [config.data.time ?? '', 'time'],
    ]);
    return [
      leaf('Rows', d.rows.toLocaleString('en-US'), 'list-ordered'),
      ...d.columns.map((c) =>
        leaf(c.name, `${c.type}${roles.get(c.name) ? ` · ${roles.get(c.name)}` : ''}`, 'symbol-key'),
      ),
    ];
  } finally {
    duck.close();
  }
}

async function tableChildren(config: RecLensConfig): Promise<TreeNode[]> {
  return Object.values(config.tables).map((t) => {
    let desc = path.basename(t.path);
    try {
      if (t.path.endsWith('.npy')) {
        const h = readNpyHeader(t.path);
        desc = `${h.shape.map((d) => d.toLocaleString('en-US')).join(' x ')} ${h.dtype} · ${desc}`;
      }
    } catch (e) {
      desc = `unreadable: ${(e as Error).message}`;
    }
    return Object.assign(leaf(t.name, desc, 'table', t.path), {
      contextValue: 'table',
      tableName: t.name,
      configUri: vscode.Uri.file(config.file),
    });
  });
}

export class WorkspaceTree extends RereadTree<TreeNode> {
  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      const configs = await findConfigs();
      void noteConfigSearch(configs.length); // a config created or deleted since activation changes the welcome text
      return configs.map((uri) => {
        const loaded = loadConfig(uri.fsPath);
        const n = new TreeNode(
          loaded.config?.name ?? vscode.workspace.asRelativePath(uri),
          'config',
          uri,
          vscode.TreeItemCollapsibleState.Expanded,
        );
        n.description = vscode.workspace.asRelativePath(uri);
        n.iconPath = new vscode.ThemeIcon('settings-gear');
        n.command = { command: 'vscode.open', title: 'Open config', arguments: [uri] };
        n.tooltip = uri.fsPath;
        n.load = async () => this.configChildren(uri);
        return n;
      });
    }
    if (node.children) return node.children;
    try {
      node.children = node.load ? await node.load() : [];
    } catch (e) {
      node.children = [errorNode((e as Error).message)];
    }
    return node.children;
  }

  private async configChildren(uri: vscode.Uri): Promise<TreeNode[]> {
    const loaded = loadConfig(uri.fsPath);
    const errors = loaded.problems.filter((p) => p.severity === 'error');
    if (!loaded.config) return errors.map((p) => errorNode(`line ${p.start.line}: ${p.message}`));
    const config = loaded.config;
    const out: TreeNode[] = errors.map((p) => errorNode(`line ${p.start.line}: ${p.message}`));
    const model = section(
      'Model',
      'model',
      uri,
      'circuit-board',
      async () => modelChildren(config),
      path.basename(config.model.path),
    );
    model.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
    out.push(model);
    out.push(section('Data', 'data', uri, 'database', () => dataChildren(config), path.basename(config.data.path)));
    if (Object.keys(config.tables).length)
      out.push(
        section(
          'Tables',
          'tables',
          uri,
          'table',
          () => tableChildren(config),
          String(Object.keys(config.tables).length),
        ),
      );
    return out;
  }
}
