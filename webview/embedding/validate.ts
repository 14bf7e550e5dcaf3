/** Checks that a view's arrays agree in length before anything indexes into them (a bad message shows an error, not a crash). */
import type { EmbeddingPanelData, EmbeddingView } from '../../src/protocol/embedding';

export function viewProblems(view: EmbeddingView): string[] {
  const problems: string[] = [];
  const n = view.n;
  const expect = (what: string, actual: number, expected: number) => {
    if (actual !== expected) problems.push(`${view.table}: ${what} has ${actual} entries, expected ${expected}`);
  };
  if (!Number.isInteger(n) || n < 0) return [`${view.table}: n is not a count (${n})`];
  expect('ids', view.ids.length, n);
  if (view.labels) expect('labels', view.labels.length, n);
  expect('coords', view.coords.length, 2 * n);
  if (view.size) expect('size', view.size.length, n);
  expect('knn.indices', view.knn.indices.length, n * view.knn.k);
  expect('knn.cosines', view.knn.cosines.length, n * view.knn.k);
  for (const column of view.metadata) {
    if (column.kind === 'category') {
      expect(`metadata "${column.name}"`, column.codes.length, n);
      if (column.codes.some((code) => code >= column.dictionary.length))
        problems.push(`${view.table}: metadata "${column.name}" has codes outside its dictionary`);
    } else {
      expect(`metadata "${column.name}"`, column.values.length, n);
    }
  }
  if (view.knn.indices.some((index) => index >= n))
    problems.push(`${view.table}: knn.indices point past the last point`);
  return problems;
}

export function panelProblems(data: EmbeddingPanelData): string[] {
  if (!Array.isArray(data.views) || data.views.length === 0) return ['No embedding views in the data.'];
  return data.views.flatMap(viewProblems);
}
