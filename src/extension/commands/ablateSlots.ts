/** "RecLens: Ablate Selected Slots" (Features view): the selected slots, one at a time or several together. */
import * as vscode from 'vscode';
import type { SlotNode } from '../featuresTree';
import { refused, requireTrust } from '../trust';
import type { Services } from './services';

export const ablateSlots =
  ({ output }: Services) =>
  async (node?: SlotNode, nodes?: SlotNode[]) => {
    if (!requireTrust('Ablate Selected Slots', output)) return refused('Ablate Selected Slots');
    const chosen = nodes?.length ? nodes : node ? [node] : [];
    if (!chosen.length) return undefined;
    const slots = chosen.length > 1 ? [chosen.map((n) => n.slot).join('+')] : [chosen[0].slot];
    return vscode.commands.executeCommand('reclens.runAblation', { configUri: chosen[0].configUri, slots });
  };
