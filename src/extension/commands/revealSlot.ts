/** "Reveal Slot in reclens.json" (Features view): selects a slot's entry in its config. */
import type { SlotNode } from '../featuresTree';

export const revealSlot = () => async (node?: SlotNode) => {
  if (node) await (await import('../panels/resultsPanelHost')).revealSlot(node.configUri.fsPath, node.slot);
};
