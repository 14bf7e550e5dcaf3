/** Seeded randomness: every permutation, bootstrap and split takes a seed; the same seed gives the same numbers. */
export type Random = () => number;

/** mulberry32 on a 32-bit state derived from the seed (splitmix-style mix so nearby seeds diverge). */
export function seededRandom(seed: number): Random {
  let s = (Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInt(rng: Random, n: number): number {
  return Math.floor(rng() * n);
}

/** A seeded uniform permutation of 0..n-1 (Fisher-Yates). */
export function permutation(n: number, rng: Random): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** A seeded permutation that only moves rows within their group (rows keep their group's context). */
export function permutationWithinGroups(groups: Int32Array, groupCount: number, rng: Random): Uint32Array {
  const members: number[][] = Array.from({ length: groupCount }, () => []);
  for (let i = 0; i < groups.length; i++) members[groups[i]].push(i);
  const p = new Uint32Array(groups.length);
  for (const m of members) {
    const local = permutation(m.length, rng);
    for (let k = 0; k < m.length; k++) p[m[k]] = m[local[k]];
  }
  return p;
}
