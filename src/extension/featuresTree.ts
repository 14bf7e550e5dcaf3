/**
 * The Features view: the slots of the selected config with their latest impact and ceiling; context actions ablate
 * one slot, the selected slots as a group, or all of them.
 */
import * as vscode from 'vscode';
import { RereadTree } from './rereadTree';
import { resolveSlots } from '../engine/ablation/slots';
import { requireConfig } from '../engine/config/loadConfig';
import { inspectModel } from '../engine/model/inspect';
import { findConfigs } from './configs';
import { latestRuns } from './panels/resultsPanelHost';
import { slotSummary, type SlotAblation, type SlotCeiling } from './slotSummary';

export class SlotNode extends vscode.TreeItem {
  constructor(
    readonly configUri: vscode.Uri,
    readonly slot: string,
    description: string,
    tooltip: string,
  ) {
    super(slot);
    this.description = description;
    this.tooltip = tooltip;
    this.contextValue = 'slot';
    this.iconPath = new vscode.ThemeIcon('symbol-field');
    this.command = { command: 'reclens.revealSlot', title: 'Reveal in reclens.json', arguments: [this] };
  }
}

export class FeaturesTree extends RereadTree<SlotNode> {
  /** The config whose slots are shown: the one chosen last, else the first in the workspace. */
  config: vscode.Uri | undefined;
  /** The view showing this tree: its description names that config, so a workspace with several says which. */
  view: vscode.TreeView<SlotNode> | undefined;

  async getChildren(node?: SlotNode): Promise<SlotNode[]> {
    if (node) return [];
    const uri = this.config ?? (await findConfigs())[0];
    if (this.view) this.view.description = uri ? vscode.workspace.asRelativePath(uri) : undefined;
    if (!uri) return [];
    try {
      const { config } = requireConfig(uri.fsPath);
      const slots = resolveSlots(
        config,
        (await inspectModel(config.model.path)).inputs.map((i) => i.name),
      );
      const runs = latestRuns(uri.fsPath);
      const ab = runs.find((r) => r.kind === 'ablate')?.results as { results: SlotAblation[] } | undefined;
      const ce = runs.find((r) => r.kind === 'ceiling')?.results as { results: SlotCeiling[] } | undefined;
      return slots.map((s) => {
        const { description, tooltip } = slotSummary(s, ab?.results, ce?.results);
        return new SlotNode(uri, s.name, description, tooltip);
      });
    } catch (e) {
      const n = new SlotNode(uri, 'config has errors', (e as Error).message.split('\n')[0], (e as Error).message);
      n.contextValue = 'error';
      return [n];
    }
  }
}
