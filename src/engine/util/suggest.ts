/** "Did you mean" suggestions for misspelt names. */
export function editDistance(a: string, b: string): number {
  const prev = new Array(b.length + 1).fill(0).map((_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

export function closest(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    // On equal distance prefer the same length: "user_idy" is a typo of "user_idx" more likely than of "user_id".
    const better = d < bestD || (d === bestD && best !== undefined && Math.abs(c.length - name.length) < Math.abs(best.length - name.length));
    if (better) { bestD = d; best = c; }
  }
  if (best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3))) return best;
  // A name that is a prefix or part of another (item -> item_id, user -> user_idx) is a likely intent too.
  const lower = name.toLowerCase();
  return candidates.find((c) => c.toLowerCase().startsWith(lower) || lower.startsWith(c.toLowerCase()))
    ?? candidates.find((c) => lower.length >= 3 && c.toLowerCase().includes(lower));
}

/** " Did you mean "x"?" or a short list of what exists. */
export function suggestion(name: string, candidates: string[]): string {
  const c = closest(name, candidates);
  if (c) return ` Did you mean "${c}"?`;
  const shown = candidates.slice(0, 12).map((x) => `"${x}"`).join(', ');
  return candidates.length ? ` Available: ${shown}${candidates.length > 12 ? ', ...' : ''}.` : '';
}
