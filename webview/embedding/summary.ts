/** The text around the plots: what each view shows (method, sample, explained variance) and how the two tables align. */
import type { AlignmentSummary, EmbeddingView } from '../../src/protocol/embedding';
import { formatCount, formatPercent, formatValue } from './format';

/** e.g. "PCA · 3,000 of 120,000 rows (sampled, seed 7) · explained variance PC1 31.0%, PC2 18.0% (49.0%)". */
export function describeView(view: EmbeddingView): string {
  const parts = [view.method.toUpperCase()];
  parts.push(
    view.n < view.totalRows
      ? `${formatCount(view.n)} of ${formatCount(view.totalRows)} rows (sampled, seed ${view.seed})`
      : `${formatCount(view.n)} rows`,
  );
  if (view.method === 'pca' && view.explainedVariance?.length) {
    const shares = view.explainedVariance.slice(0, 2);
    const total = shares.reduce((s, v) => s + v, 0);
    parts.push(
      `explained variance ${shares.map((v, d) => `PC${d + 1} ${formatPercent(v)}`).join(', ')} (${formatPercent(total)})`,
    );
  }
  parts.push(`kNN k=${view.knn.k}`);
  return parts.join(' · ');
}

/** Key/value pairs for the alignment line, e.g. ["Jaccard@10", "0.412"]. */
export function alignmentFacts(alignment: AlignmentSummary | undefined): [string, string][] {
  if (!alignment) return [];
  const facts: [string, string][] = [];
  if (alignment.jaccardAtK !== undefined) facts.push([`Jaccard@${alignment.k}`, alignment.jaccardAtK.toFixed(3)]);
  for (const [table, recall] of Object.entries(alignment.recallAtK ?? {}))
    facts.push([`recall@${alignment.k} ${table}`, recall.toFixed(3)]);
  return facts;
}

/** Axis titles: principal components with their share of variance, or UMAP's unitless dimensions. */
export function axisTitles(view: EmbeddingView): [string, string] {
  if (view.method === 'pca') {
    const variance = view.explainedVariance ?? [];
    return [0, 1].map((d) => `PC${d + 1}${variance[d] !== undefined ? ` (${formatPercent(variance[d])})` : ''}`) as [
      string,
      string,
    ];
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

/** The Size by choice that means the views' own size channel (log(1 + popularity)) rather than a metadata column. */
export const SIZE_CHANNEL = '(size channel)';

/** The values that set each view's point areas for a Size by choice ('' = none), and their range over every view. */
export function sizeValues(
  views: readonly EmbeddingView[],
  choice: string,
): { values: (ArrayLike<number> | undefined)[]; domain?: [number, number] } {
  if (!choice) return { values: views.map(() => undefined) };
  const values = views.map((v) => {
    if (choice === SIZE_CHANNEL) return v.size;
    const column = v.metadata.find((c) => c.name === choice);
    return column?.kind === 'number' ? column.values : undefined;
  });
  let lo = Infinity,
    hi = -Infinity;
  for (const list of values)
    if (list)
      for (const s of Array.from(list))
        if (Number.isFinite(s)) {
          if (s < lo) lo = s;
          if (s > hi) hi = s;
        }
  return { values, domain: Number.isFinite(lo) ? [lo, hi] : undefined };
}

/** Numeric columns a user can size points by, plus the size channel when a view has one. */
export function sizeChoices(views: readonly EmbeddingView[]): { value: string; label: string }[] {
  const choices = views.some((v) => v.size) ? [{ value: SIZE_CHANNEL, label: 'item popularity (log)' }] : [];
  const seen = new Set<string>();
  for (const v of views)
    for (const c of v.metadata)
      if (c.kind === 'number' && !seen.has(c.name)) {
        seen.add(c.name);
        choices.push({ value: c.name, label: c.name });
      }
  return choices;
}

/**
 * What the point area shows, for the legend: the size channel is log(1 + popularity), so its note gives popularity
 * itself; a numeric column gives its own range; none: every point the same size.
 */
export function sizeNote(views: readonly EmbeddingView[], choice: string = SIZE_CHANNEL): string | undefined {
  const { domain } = sizeValues(views, choice);
  if (!choice)
    return views.some((v) => v.size || v.metadata.some((c) => c.kind === 'number'))
      ? 'Point area: the same for every point (Size by: none).'
      : undefined;
  if (!domain) return undefined;
  const [lo, hi] = domain;
  if (choice === SIZE_CHANNEL) {
    const pop = (s: number) => formatCount(Math.round(Math.expm1(s)));
    return `Point area: item popularity (interactions, log scale), from ${pop(lo)} (smallest points) to ${pop(hi)} (largest).`;
  }
  return `Point area: ${choice}, from ${formatValue(lo, choice)} (smallest points) to ${formatValue(hi, choice)} (largest).`;
}
