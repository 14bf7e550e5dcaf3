/**
 * Lists that are rebuilt from scratch (a legend, a neighbour table) would drop keyboard focus to the page body.
 * Controls carry a `data-focus-key`; around a rebuild, the control with the key that had focus gets it back (or a
 * fallback, e.g. the heading that announces what changed).
 */
export function rebuildKeepingFocus(container: HTMLElement, rebuild: () => void, fallbackKey?: string): void {
  const active = document.activeElement;
  const key =
    active && container.contains(active)
      ? (active.closest('[data-focus-key]') as HTMLElement | null)?.dataset.focusKey
      : undefined;
  rebuild();
  if (key === undefined) return;
  const find = (wanted: string) => container.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(wanted)}"]`);
  const target = find(key) ?? (fallbackKey === undefined ? null : find(fallbackKey));
  target?.focus();
}
