/** The text around the plots: what each view shows (method, sample, explained variance) and how the two tables align. */
import type { AlignmentSummary, EmbeddingView } from '../../src/protocol/embedding';
import { formatCount, formatPercent } from './format';

/** e.g. "PCA · 3,000 of 120,000 rows (sampled, seed 7) · explained variance PC1 31.0%, PC2 18.0% (49.0%)". */
export function describeView(view: EmbeddingView): string {
  const parts = [view.method.toUpperCase()];
  parts.push(view.n < view.totalRows ? `${formatCount(view.n)} of ${formatCount(view.totalRows)} rows (sampled, seed ${view.seed})` : `${formatCount(view.n)} rows`);
  if (view.method === 'pca' && view.explainedVariance?.length) {
    const shares = view.explainedVariance.slice(0, 2);
    const total = shares.reduce((s, v) => s + v, 0);
    parts.push(`explained variance ${shares.map((v, d) => `PC${d + 1} ${formatPercent(v)}`).join(', ')} (${formatPercent(total)})`);
  }
  parts.push(`kNN k=${view.knn.k}`);
  return parts.join(' · ');
}

/** Key/value pairs for the alignment line, e.g. ["Jaccard@10", "0.412"]. */
export function alignmentFacts(alignment: AlignmentSummary | undefined): [string, string][] {
  if (!alignment) return [];
  const facts: [string, string][] = [];
  if (alignment.jaccardAtK !== undefined) facts.push([`Jaccard@${alignment.k}`, alignment.jaccardAtK.toFixed(3)]);
  for (const [table, recall] of Object.entries(alignment.recallAtK ?? {})) facts.push([`recall@${alignment.k} ${table}`, recall.toFixed(3)]);
  return facts;
}

/** Axis titles: principal components with their share of variance, or UMAP's unitless dimensions. */
export function axisTitles(view: EmbeddingView): [string, string] {
  if (view.method === 'pca') {
    const variance = view.explainedVariance ?? [];
    return [0, 1].map((d) => `PC${d + 1}${variance[d] !== undefined ? ` (${formatPercent(variance[d])})` : ''}`) as [string, string];
  }
  return ['UMAP 1', 'UMAP 2'];
}

/** Share of nearest-neighbour cosines at or above this: a space where almost everything is this close has collapsed. */
export const COLLAPSED_COSINE = 0.99;

/**
 * The anisotropy warning: when nearly all of a table's K-nearest-neighbour cosines are 0.99 or more, the vectors
 * point the same way (a collapsed space), so "nearest" neighbours are nearly arbitrary and the picture misleads.
 */
export function anisotropyWarning(view: EmbeddingView): string | undefined {
  const cosines = view.knn.cosines;
  if (!cosines.length) return undefined;
  let high = 0;
  for (const c of cosines) if (c >= COLLAPSED_COSINE) high++;
  const share = high / cosines.length;
  if (share < 0.9) return undefined;
  return `Collapsed space: ${formatPercent(share)} of ${view.table}'s nearest-neighbour cosines are ${COLLAPSED_COSINE} or more (anisotropy). Its vectors point almost the same way, so neighbours and distances here say little; center or whiten the table, or check its training for collapse.`;
}

/** What the point area shows: the size channel is log(1 + popularity), so its legend gives popularity itself. */
export function sizeNote(views: readonly EmbeddingView[]): string | undefined {
  let lo = Infinity, hi = -Infinity;
  for (const v of views) if (v.size) for (const s of v.size) { if (s < lo) lo = s; if (s > hi) hi = s; }
  if (!Number.isFinite(lo)) return undefined;
  const pop = (s: number) => formatCount(Math.round(Math.expm1(s)));
  return `Point area: item popularity (interactions, log scale), from ${pop(lo)} (smallest points) to ${pop(hi)} (largest).`;
}
