/**
 * The assignment problem: give each row (model input) at most one column (candidate source) so that the summed
 * score is largest. Hungarian algorithm (Kuhn-Munkres, O(n^3)), small enough to write here; zero scores mean
 * "cannot" and are never assigned.
 */
export function assignMax(scores: number[][]): (number | undefined)[] {
  const rows = scores.length;
  const cols = Math.max(0, ...scores.map((r) => r.length));
  const n = Math.max(rows, cols);
  if (n === 0) return [];
  const big = 1 + Math.max(0, ...scores.flat());
  // Minimisation form on a square matrix; padding and impossible pairs cost "big" (worth nothing).
  const cost = (i: number, j: number) => {
    const s = i < rows && j < cols ? (scores[i][j] ?? 0) : 0;
    return s > 0 ? big - s : big;
  };
  const u = new Array(n + 1).fill(0),
    v = new Array(n + 1).fill(0),
    p = new Array(n + 1).fill(0),
    way = new Array(n + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Array(n + 1).fill(Infinity);
    const used = new Array(n + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = p[j0];
      let delta = Infinity,
        j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0);
  }
  const out: (number | undefined)[] = new Array(rows).fill(undefined);
  for (let j = 1; j <= n; j++) {
    const i = p[j] - 1;
    if (i < rows && j - 1 < cols && (scores[i][j - 1] ?? 0) > 0) out[i] = j - 1;
  }
  return out;
}
