/** Alignment measures that need no training (docs/metrics.md section 4), each also split by popularity bucket. */
import type { Key } from '../data/keys';
import type { PairWeights } from '../lis/preferences';
import type { Random } from '../util/random';
import { normaliseRows } from './knnGraph';
import type { Bucket } from './metadata';

export type BucketSplit = {
  overall: number | null;
  cold: number | null;
  warm: number | null;
  hot: number | null;
  count: number;
};

function split(values: { v: number; b: Bucket }[]): BucketSplit {
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  const by = (b: Bucket) => mean(values.filter((x) => x.b === b).map((x) => x.v));
  return {
    overall: mean(values.map((x) => x.v)),
    cold: by('cold'),
    warm: by('warm'),
    hot: by('hot'),
    count: values.length,
  };
}

/** Share of preference pairs (both directions) whose partner is among the anchor's K nearest neighbours. */
export function recallAtK(
  ids: Key[],
  knnIdx: Uint32Array,
  k: number,
  pairs: PairWeights,
  bucket: Bucket[],
): BucketSplit {
  const row = new Map(ids.map((id, i) => [id, i]));
  const out: { v: number; b: Bucket }[] = [];
  for (const [a, partners] of pairs.neighbours) {
    const ra = row.get(a);
    if (ra === undefined) continue;
    const nn = new Set(knnIdx.subarray(ra * k, (ra + 1) * k));
    for (const b of partners.keys()) {
      const rb = row.get(b);
      if (rb === undefined) continue;
      out.push({ v: nn.has(rb) ? 1 : 0, b: bucket[ra] });
    }
  }
  return split(out);
}

/** Mean Jaccard overlap of two kNN lists over the same rows (both tables restricted to their shared ids). */
export function jaccardAtK(
  knnA: Uint32Array,
  knnB: Uint32Array,
  k: number,
  rows: number,
  bucket: Bucket[],
): BucketSplit {
  const out: { v: number; b: Bucket }[] = [];
  for (let r = 0; r < rows; r++) {
    const a = new Set(knnA.subarray(r * k, (r + 1) * k));
    let inter = 0;
    for (const x of knnB.subarray(r * k, (r + 1) * k)) if (a.has(x)) inter++;
    out.push({ v: inter / (2 * k - inter), b: bucket[r] });
  }
  return split(out);
}

/**
 * Wang and Isola's alignment (mean squared distance of unit vectors over positive pairs, lower is better aligned)
 * and uniformity (log mean exp(-2 |x - y|^2) over random pairs, lower is more uniform).
 */
export function alignmentUniformity(
  ids: Key[],
  vectors: Float32Array,
  dim: number,
  pairs: PairWeights,
  bucket: Bucket[],
  rng: Random,
  samples = 20000,
): { alignment: BucketSplit; uniformity: number } {
  const unit = normaliseRows(vectors, dim);
  const row = new Map(ids.map((id, i) => [id, i]));
  const dist2 = (i: number, j: number) => {
    let s = 0;
    for (let t = 0; t < dim; t++) s += (unit[i * dim + t] - unit[j * dim + t]) ** 2;
    return s;
  };
  const al: { v: number; b: Bucket }[] = [];
  for (const [a, partners] of pairs.neighbours) {
    const ra = row.get(a);
    if (ra === undefined) continue;
    for (const b of partners.keys()) {
      const rb = row.get(b);
      if (rb !== undefined && rb > ra) al.push({ v: dist2(ra, rb), b: bucket[ra] });
    }
  }
  const n = ids.length;
  let acc = 0;
  for (let s = 0; s < samples; s++) {
    const i = Math.floor(rng() * n);
    let j = Math.floor(rng() * (n - 1));
    if (j >= i) j++;
    acc += Math.exp(-2 * dist2(i, j));
  }
  return { alignment: split(al), uniformity: Math.log(acc / samples) };
}

export interface SemanticIdReport {
  levels: number;
  /** Per level: distinct codes used / codebook size (max code + 1). */
  utilisation: number[];
  codebookSizes: number[];
  /** Share of items whose full code is shared with at least one other item. */
  collisionRate: number;
  /** Share of preference pairs whose full codes are equal, and whose first-level codes are equal. */
  pairsSameCode: number | null;
  pairsSameFirstLevel: number | null;
}

/** Diagnostics for semantic-ID codes (rows x levels of integer codes, e.g. residual-quantised content embeddings). */
export function semanticIdDiagnostics(
  ids: Key[],
  codes: Float32Array,
  levels: number,
  pairs?: PairWeights,
): SemanticIdReport {
  const n = ids.length;
  const utilisation: number[] = [],
    codebookSizes: number[] = [];
  for (let l = 0; l < levels; l++) {
    const used = new Set<number>();
    let max = 0;
    for (let r = 0; r < n; r++) {
      const c = Math.round(codes[r * levels + l]);
      used.add(c);
      if (c > max) max = c;
    }
    codebookSizes.push(max + 1);
    utilisation.push(used.size / (max + 1));
  }
  const key = (r: number) => Array.from(codes.subarray(r * levels, (r + 1) * levels), Math.round).join(',');
  const counts = new Map<string, number>();
  for (let r = 0; r < n; r++) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
  let colliding = 0;
  for (let r = 0; r < n; r++) if (counts.get(key(r))! > 1) colliding++;
  let same = 0,
    sameFirst = 0,
    total = 0;
  if (pairs) {
    const row = new Map(ids.map((id, i) => [id, i]));
    for (const [a, partners] of pairs.neighbours) {
      const ra = row.get(a);
      if (ra === undefined) continue;
      for (const b of partners.keys()) {
        const rb = row.get(b);
        if (rb === undefined || rb <= ra) continue;
        total++;
        if (key(ra) === key(rb)) same++;
        if (Math.round(codes[ra * levels]) === Math.round(codes[rb * levels])) sameFirst++;
      }
    }
  }
  return {
    levels,
    utilisation,
    codebookSizes,
    collisionRate: colliding / n,
    pairsSameCode: total ? same / total : null,
    pairsSameFirstLevel: total ? sameFirst / total : null,
  };
}
