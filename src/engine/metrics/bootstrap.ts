/** Bootstrap by group (users, not rows): each replicate draws groups with replacement; rows carry their group's count. */
import { Random, randomInt } from '../util/random';

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
