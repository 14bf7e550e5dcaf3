/** Spatial index of a view's points in data coordinates: nearest point under the cursor, and points inside a lasso. */
import { polygonContains, quadtree, type Quadtree } from 'd3';

export class PointIndex {
  private readonly tree: Quadtree<number>;

  constructor(private readonly coords: Float32Array) {
    const n = coords.length / 2;
    const indices = new Uint32Array(n);
    for (let i = 0; i < n; i++) indices[i] = i;
    this.tree = quadtree<number>()
      .x((i) => coords[2 * i])
      .y((i) => coords[2 * i + 1])
      .addAll(indices);
  }

  /** The point nearest (x, y) within `radius` (data units), if any. */
  nearest(x: number, y: number, radius: number): number | undefined {
    return this.tree.find(x, y, radius);
  }

  /** Points inside a polygon given in data coordinates; only quadtree cells that meet its bounding box are visited. */
  insidePolygon(polygon: ReadonlyArray<[number, number]>): number[] {
    if (polygon.length < 3) return [];
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const [x, y] of polygon) {
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
    const inside: number[] = [];
    const coords = this.coords;
    this.tree.visit((node, x0, y0, x1, y1) => {
      if (node.length === undefined) {
        for (let leaf: typeof node | undefined = node; leaf; leaf = leaf.next) {
          const i = leaf.data;
          const x = coords[2 * i];
          const y = coords[2 * i + 1];
          if (x >= minX && x <= maxX && y >= minY && y <= maxY && polygonContains(polygon, [x, y])) inside.push(i);
        }
      }
      return x0 > maxX || x1 < minX || y0 > maxY || y1 < minY;
    });
    return inside;
  }
}
