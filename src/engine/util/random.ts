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
