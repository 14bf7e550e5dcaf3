/** Geometry of a plot: base scales that keep the layout's aspect, the data-to-screen mapping under zoom, point radii. */
import { scaleLinear, type ScaleLinear, type ZoomTransform } from 'd3';
import type { EmbeddingView } from '../../src/protocol/embedding';
import type { Projection, Rect } from './scatterRenderer';

/** Scales with one data unit the same length on both axes (so the 2-D layout's shape is not stretched), fitting every point into `inner`. */
export function equalAspectScales(coords: Float32Array, inner: Rect): { x: ScaleLinear; y: ScaleLinear } {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < coords.length; i += 2) {
    const x = coords[i];
    const y = coords[i + 1];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  if (!Number.isFinite(minX) || !Number.isFinite(minY)) [minX, maxX, minY, maxY] = [-1, 1, -1, 1];
  const margin = 1.06; // a little room so edge points are not cut by the frame
  const pixelsPerUnit = Math.max(
    1e-9,
    Math.min(
      inner.width / (Math.max(maxX - minX, 1e-9) * margin),
      inner.height / (Math.max(maxY - minY, 1e-9) * margin),
    ),
  );
  const halfW = inner.width / 2 / pixelsPerUnit;
  const halfH = inner.height / 2 / pixelsPerUnit;
  const midX = (minX + maxX) / 2;
  const midY = (minY + maxY) / 2;
  return {
    x: scaleLinear()
      .domain([midX - halfW, midX + halfW])
      .range([inner.x, inner.x + inner.width]),
    y: scaleLinear()
      .domain([midY - halfH, midY + halfH])
      .range([inner.y + inner.height, inner.y]),
  };
}

/** The affine data-to-screen mapping of linear base scales under a zoom transform (what the renderer needs). */
export function zoomedProjection(x: ScaleLinear, y: ScaleLinear, t: ZoomTransform): Projection {
  const [x0, x1] = x.domain();
  const [rx0, rx1] = x.range();
  const [y0, y1] = y.domain();
  const [ry0, ry1] = y.range();
  const ax = (rx1 - rx0) / (x1 - x0);
  const ay = (ry1 - ry0) / (y1 - y0);
  return { ax: t.k * ax, bx: t.k * (rx0 - ax * x0) + t.x, ay: t.k * ay, by: t.k * (ry0 - ay * y0) + t.y };
}

/**
 * Radius of each point (CSS px): from `sizes` (the size channel or a numeric column the user chose), else one radius
 * that suits the point count. `domain` is the range over every view shown, so the same value gets the same area in both.
 */
export function pointRadius(
  view: EmbeddingView,
  sizes: ArrayLike<number> | undefined,
  domain?: [number, number],
): Float32Array | number {
  const base = view.n > 30000 ? 1.3 : view.n > 5000 ? 2 : 3;
  if (!sizes) return base;
  let min = domain?.[0] ?? Infinity;
  let max = domain?.[1] ?? -Infinity;
  if (!domain)
    for (const s of Array.from(sizes)) {
      if (!Number.isFinite(s)) continue;
      min = Math.min(min, s);
      max = Math.max(max, s);
    }
  if (!(max > min)) return base;
  // Area, not radius, grows with the value; sizes may be negative (log scales), so normalise first.
  const share = scaleLinear().domain([min, max]).range([0, 1]).clamp(true);
  const [small, large] = [base * 0.6, base * 2.2];
  return Float32Array.from(sizes, (s) => (Number.isFinite(s) ? small + (large - small) * Math.sqrt(share(s)) : small));
}
