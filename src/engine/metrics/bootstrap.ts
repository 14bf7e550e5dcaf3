/** Bootstrap by group (users, not rows): each replicate draws groups with replacement; rows carry their group's count. */
import { Random, randomInt, seededRandom } from '../util/random';

export function percentileInterval(values: number[], level = 0.95): [number, number] {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return [NaN, NaN];
  const q = (p: number) => {
    const pos = p * (v.length - 1);
    const lo = Math.floor(pos),
      hi = Math.ceil(pos);
    return v[lo] + (v[hi] - v[lo]) * (pos - lo);
  };
  const tail = (1 - level) / 2;
  return [q(tail), q(1 - tail)];
}

/** How many times each of `units` units is drawn in one replicate. */
export function drawMultiplicities(units: number, rng: Random, into?: Float64Array): Float64Array {
  const m = into ?? new Float64Array(units);
  m.fill(0);
  for (let i = 0; i < units; i++) m[randomInt(rng, units)]++;
  return m;
}

/**
 * The draws of replicates [from, to) of the seed's one sequence, four at a time (fewer at the end): fn(b, mults)
 * gets those of replicates b, b+1, ... in arrays reused between calls. The draws before `from` are replayed, not
 * used, so ranges run apart (a worker pool) give the numbers of one run.
 */
export function forEachDrawOf4(
  units: number,
  seed: number,
  from: number,
  to: number,
  fn: (b: number, mults: Float64Array[]) => void,
): void {
  const rng = seededRandom(seed);
  const bufs = [0, 1, 2, 3].map(() => new Float64Array(units));
  for (let b = 0; b < from; b++) drawMultiplicities(units, rng, bufs[0]);
  for (let b = from; b < to; b += 4) {
    const mults = bufs.slice(0, Math.min(4, to - b));
    for (const m of mults) drawMultiplicities(units, rng, m);
    fn(b, mults);
  }
}
