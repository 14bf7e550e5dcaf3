/** Scales for signed quantities (impacts, gains, differences) that always include 0. */
import { scaleLinear, type ScaleLinear } from 'd3';

/**
 * A linear scale over `values` and 0, rounded to nice ticks on each side that holds a real share of the range. A
 * sliver on one side (a near-zero negative impact) stays a sliver instead of being rounded out to a whole tick
 * step, which would waste a fifth of the chart on empty space.
 */
export function signedScale(values: readonly number[], range: [number, number], ticks: number): ScaleLinear {
  const finite = values.filter((v) => Number.isFinite(v));
  let lo = Math.min(0, ...finite);
  let hi = Math.max(0, ...finite);
  if (lo === hi) [lo, hi] = [lo - 0.001, hi + 0.001];
  const span = hi - lo;
  const [niceLo, niceHi] = scaleLinear().domain([lo, hi]).nice(ticks).domain();
  const sliver = 0.06 * span;
  const domain = [
    lo < 0 && -lo < sliver ? lo - 0.01 * span : niceLo,
    hi > 0 && hi < sliver ? hi + 0.01 * span : niceHi,
  ];
  return scaleLinear().domain(domain).range(range);
}
