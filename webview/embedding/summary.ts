/** The text around the plots: what each view shows (method, sample, explained variance) and how the two tables align. */
import type { AlignmentSummary, EmbeddingView } from '../../src/protocol/messages';
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
