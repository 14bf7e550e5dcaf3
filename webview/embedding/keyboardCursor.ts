/**
 * Keyboard point picking on the scatter plot: from the point under the keyboard cursor, the arrow keys step to the
 * nearest point that lies in that direction on screen (within 45 degrees of it), so every point is reachable
 * without a mouse and the step follows what the eye sees, not the order of the data.
 */
import type { Projection } from './scatterRenderer';

/**
 * The point to step to from `from` in screen direction (dx, dy) (e.g. (1, 0) is right, (0, -1) is up), or undefined
 * when no point lies that way. Candidates lie within 45 degrees of the direction; the best minimises the distance
 * along the direction plus twice the distance across it, so a point straight ahead beats a nearer one off to the side.
 * Points drawn on exactly the same pixel as `from` are skipped (they cannot be told apart on screen).
 */
export function stepInDirection(
  coords: Float32Array,
  projection: Projection,
  from: number,
  dx: number,
  dy: number,
  eligible?: (index: number) => boolean,
): number | undefined {
  const n = coords.length / 2;
  const x0 = projection.ax * coords[2 * from] + projection.bx;
  const y0 = projection.ay * coords[2 * from + 1] + projection.by;
  let best: number | undefined;
  let bestScore = Infinity;
  for (let i = 0; i < n; i++) {
    if (i === from) continue;
    const vx = projection.ax * coords[2 * i] + projection.bx - x0;
    const vy = projection.ay * coords[2 * i + 1] + projection.by - y0;
    const along = vx * dx + vy * dy;
    if (!(along > 0.5)) continue; // behind, beside, on the same pixel, or NaN
    const across = Math.abs(vx * dy - vy * dx);
    if (across > along) continue;
    const score = along + 2 * across;
    if (score < bestScore && (!eligible || eligible(i))) {
      best = i;
      bestScore = score;
    }
  }
  return best;
}

/** Indices of the points drawn inside a screen rectangle (the plot's visible area): the keyboard's rectangular region. */
export function pointsInRect(
  coords: Float32Array,
  projection: Projection,
  rect: { x: number; y: number; width: number; height: number },
): number[] {
  const inside: number[] = [];
  const n = coords.length / 2;
  for (let i = 0; i < n; i++) {
    const x = projection.ax * coords[2 * i] + projection.bx;
    const y = projection.ay * coords[2 * i + 1] + projection.by;
    if (x >= rect.x && x <= rect.x + rect.width && y >= rect.y && y <= rect.y + rect.height) inside.push(i);
  }
  return inside;
}
