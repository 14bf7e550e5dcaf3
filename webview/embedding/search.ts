/** Finds points whose id or label contains the query (case-insensitive). */
import type { EmbeddingView } from '../../src/protocol/embedding';

export interface SearchResult {
  matches: number[];
  /** The point whose id equals the query exactly, if any: Enter selects it. */
  exact?: number;
}

export function searchView(view: EmbeddingView, query: string): SearchResult {
  const needle = query.trim().toLowerCase();
  if (!needle) return { matches: [] };
  const matches: number[] = [];
  let exact: number | undefined;
  for (let i = 0; i < view.n; i++) {
    const id = view.ids[i].toLowerCase();
    if (id === needle) exact ??= i;
    if (id.includes(needle) || view.labels?.[i]?.toLowerCase().includes(needle)) matches.push(i);
  }
  return { matches, exact };
}
