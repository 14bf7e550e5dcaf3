/**
 * What the Features view shows for a slot: a short description that fits a default-width sidebar (VS Code cuts a
 * long one to "ceiling 0...."), and a tooltip with every figure and interval. No vscode import, so it is unit-tested.
 */
export interface SlotAblation {
  slot: string;
  method: string;
  deltaAuc: number;
  ci?: { deltaAuc: [number, number] };
}
export interface SlotCeiling {
  slot: string;
  ceiling: number;
  efficiency: number | null;
}

/** Longest description the Features view gives a slot (with its name, it fits a 300 px sidebar). */
export const SLOT_DESCRIPTION_MAX = 30;

export function slotSummary(
  slot: { name: string; inputs: string[]; description?: string },
  ablation: readonly SlotAblation[] | undefined,
  ceiling: readonly SlotCeiling[] | undefined,
): { description: string; tooltip: string } {
  const mask = ablation?.find((r) => r.slot === slot.name && r.method === 'mask');
  const perm = ablation?.find((r) => r.slot === slot.name && r.method === 'permute');
  const c = ceiling?.find((r) => r.slot === slot.name);
  const impact = mask ?? perm;
  const parts = [
    impact ? `ΔAUC ${impact.deltaAuc.toFixed(3)}${impact === perm ? ' perm.' : ''}` : 'not ablated',
    c ? `ceil ${c.ceiling.toFixed(2)}` : '',
  ].filter(Boolean);
  const interval = (r: SlotAblation) => (r.ci ? ` 95% [${r.ci.deltaAuc.map((x) => x.toFixed(4)).join(', ')}]` : '');
  const tooltip = [
    `inputs: ${slot.inputs.join(', ')}`,
    slot.description ?? '',
    mask ? `mask ΔAUC ${mask.deltaAuc.toFixed(4)}${interval(mask)}` : '',
    perm ? `permute ΔAUC ${perm.deltaAuc.toFixed(4)}${interval(perm)}` : '',
    c ? `ceiling ${c.ceiling.toFixed(4)}, efficiency ${c.efficiency?.toFixed(2) ?? 'n/a'}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  return { description: parts.join(' · '), tooltip };
}
