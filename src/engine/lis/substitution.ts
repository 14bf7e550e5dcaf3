/**
 * Frozen substitution (docs/metrics.md 3c): replace a slot's embedding table T by T_P, where T_P[i] is the weighted
 * mean of T[j] over i's partners j in P_leak (T[i] where i has none), and score the frozen ranker again.
 */
import type { LookupTable } from '../data/tables';
import type { PairWeights } from './preferences';

export function substituteTable(t: LookupTable, p: PairWeights): LookupTable {
  const d = t.dim;
  const vectors = new Float32Array(t.vectors);
  for (let r = 0; r < t.rows; r++) {
    const partners = p.neighbours.get(t.ids[r]);
    if (!partners) continue;
    const acc = new Float64Array(d);
    let total = 0;
    for (const [j, w] of partners) {
      const rj = t.index.get(j);
      if (rj === undefined) continue;
      for (let k = 0; k < d; k++) acc[k] += w * t.vectors[rj * d + k];
      total += w;
    }
    if (total > 0) for (let k = 0; k < d; k++) vectors[r * d + k] = acc[k] / total;
  }
  return { ...t, name: `${t.name}|substituted`, vectors };
}
