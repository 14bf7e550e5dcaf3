/**
 * Draws a view's points into a canvas by stamping anti-aliased discs straight into an ImageData buffer and putting
 * it once per frame. With 100k points this is several times faster than 100k canvas path operations (arc or rect),
 * and it needs no GPU: a webview without GPU acceleration stays smooth too. Nothing here knows about d3, selection
 * or the host.
 */
import { rgb } from 'd3';

/** Data to screen (CSS pixels): screenX = ax * x + bx, screenY = ay * y + by. */
export interface Projection {
  ax: number;
  bx: number;
  ay: number;
  by: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PointStyle {
  palette: readonly string[];
  /** Palette index of each point. */
  paletteIndex: Uint16Array;
  /** Radius of each point in CSS pixels, or one radius for all. */
  radius: Float32Array | number;
  /** null: every point in focus; otherwise 1 marks points in focus and the rest are dimmed. */
  focus: Uint8Array | null;
}

export interface DrawStats {
  frames: number;
  /** Milliseconds the last draw took. */
  lastDrawMs: number;
  drawnPoints: number;
}

/** A disc's pixels around its centre pixel, with the share of each pixel the disc covers (anti-aliasing). */
interface Stamp {
  /** Byte offset of each pixel from the centre pixel, for an image `width` pixels wide. */
  offsets: Int32Array;
  dx: Int16Array;
  dy: Int16Array;
  /** Coverage of each pixel, 0 to 256. */
  coverage: Uint16Array;
  reach: number;
  width: number;
}

const DIMMED_ALPHA = 0.2;
/** Radii are rounded to this step (device pixels) so a handful of stamps serve every point size. */
const RADIUS_STEP = 0.25;

export class ScatterRenderer {
  private readonly context: CanvasRenderingContext2D;
  private image: ImageData | undefined;
  private readonly stamps = new Map<number, Stamp>();
  private colours: { palette: readonly string[]; rgb: Uint8Array; opacity: Float32Array } | undefined;
  private cssWidth = 1;
  private drawOrder: Uint32Array | undefined;
  readonly stats: DrawStats = { frames: 0, lastDrawMs: 0, drawnPoints: 0 };

  constructor(private readonly canvas: HTMLCanvasElement) {
    const context = canvas.getContext('2d', { alpha: false });
    if (!context) throw new Error('This webview cannot create a 2-D canvas.');
    this.context = context;
  }

  resize(cssWidth: number, cssHeight: number): void {
    const ratio = window.devicePixelRatio || 1;
    this.cssWidth = Math.max(1, cssWidth);
    this.canvas.width = Math.max(1, Math.round(cssWidth * ratio));
    this.canvas.height = Math.max(1, Math.round(cssHeight * ratio));
    this.canvas.style.width = `${cssWidth}px`;
    this.canvas.style.height = `${cssHeight}px`;
    this.image = undefined;
  }

  draw(
    coords: Float32Array,
    projection: Projection,
    clip: Rect,
    style: PointStyle,
    background: string,
    radiusScale: number,
  ): void {
    const started = performance.now();
    const width = this.canvas.width;
    const height = this.canvas.height;
    if (!this.image || this.image.width !== width || this.image.height !== height)
      this.image = this.context.createImageData(width, height);
    const pixels = this.image.data;
    const bg = rgb(background);
    new Uint32Array(pixels.buffer).fill(packRgba(bg.r, bg.g, bg.b));

    const ratio = width / this.cssWidth;
    const device: Projection = {
      ax: projection.ax * ratio,
      bx: projection.bx * ratio,
      ay: projection.ay * ratio,
      by: projection.by * ratio,
    };
    const box = {
      left: Math.floor(clip.x * ratio),
      top: Math.floor(clip.y * ratio),
      right: Math.ceil((clip.x + clip.width) * ratio),
      bottom: Math.ceil((clip.y + clip.height) * ratio),
    };
    const n = style.paletteIndex.length;
    let drawn = 0;
    if (style.focus) drawn += this.stampPass(coords, device, box, style, ratio * radiusScale, DIMMED_ALPHA, 0);
    drawn += this.stampPass(
      coords,
      device,
      box,
      style,
      ratio * radiusScale,
      n > 20000 ? 0.75 : 0.9,
      style.focus ? 1 : -1,
    );
    this.context.putImageData(this.image, 0, 0);

    this.stats.frames++;
    this.stats.lastDrawMs = performance.now() - started;
    this.stats.drawnPoints = drawn;
    // Exposed on the element so benchmarks and tests can time real frames without hooks into the panel.
    this.canvas.dataset.frames = String(this.stats.frames);
    this.canvas.dataset.drawMs = this.stats.lastDrawMs.toFixed(1);
    this.canvas.dataset.drawnAt = performance.now().toFixed(1);
  }

  /** Stamps the points whose focus flag equals `focusFlag` (-1: all points). Returns how many fell inside the clip. */
  private stampPass(
    coords: Float32Array,
    p: Projection,
    box: { left: number; top: number; right: number; bottom: number },
    style: PointStyle,
    radiusScale: number,
    alpha: number,
    focusFlag: number,
  ): number {
    // Integer blending on a plain byte view: several times faster than float maths on Uint8ClampedArray.
    const pixels = new Uint8Array(this.image!.data.buffer);
    const width = this.image!.width;
    const { rgb: colours, opacity } = this.rgbPalette(style.palette);
    const order = this.orderFor(style.paletteIndex.length);
    const focus = style.focus;
    const radii = typeof style.radius === 'number' ? undefined : style.radius;
    const fixedStamp = radii ? undefined : this.stamp((style.radius as number) * radiusScale, width);
    const alpha256 = Math.round(alpha * 256);
    let drawn = 0;
    for (let j = 0; j < order.length; j++) {
      const i = order[j];
      if (focusFlag >= 0 && focus && focus[i] !== focusFlag) continue;
      // The pixel the point falls in; the disc is centred on that pixel (at most half a pixel off).
      const cx = Math.floor(p.ax * coords[2 * i] + p.bx);
      const cy = Math.floor(p.ay * coords[2 * i + 1] + p.by);
      if (!(cx >= box.left && cx < box.right && cy >= box.top && cy < box.bottom)) continue; // also drops NaN
      const stamp = fixedStamp ?? this.stamp(radii![i] * radiusScale, width);
      const k = style.paletteIndex[i];
      const r = colours[3 * k];
      const g = colours[3 * k + 1];
      const b = colours[3 * k + 2];
      const pointAlpha = opacity[k] === 1 ? alpha256 : Math.round(alpha256 * opacity[k]);
      const { offsets, dx, dy, coverage, reach } = stamp;
      const base = (cy * width + cx) * 4;
      const inside =
        cx - reach >= box.left && cx + reach < box.right && cy - reach >= box.top && cy + reach < box.bottom;
      for (let s = 0; s < offsets.length; s++) {
        if (!inside) {
          const x = cx + dx[s];
          const y = cy + dy[s];
          if (x < box.left || x >= box.right || y < box.top || y >= box.bottom) continue;
        }
        const o = base + offsets[s];
        const a = (coverage[s] * pointAlpha) >> 8;
        const p0 = pixels[o];
        const p1 = pixels[o + 1];
        const p2 = pixels[o + 2];
        pixels[o] = p0 + (((r - p0) * a) >> 8);
        pixels[o + 1] = p1 + (((g - p1) * a) >> 8);
        pixels[o + 2] = p2 + (((b - p2) * a) >> 8);
      }
      drawn++;
    }
    return drawn;
  }

  /** The disc for a radius (device pixels), with byte offsets for the current image width. */
  private stamp(radius: number, width: number): Stamp {
    const key = Math.max(RADIUS_STEP * 2, Math.round(radius / RADIUS_STEP) * RADIUS_STEP);
    let stamp = this.stamps.get(key);
    if (!stamp || stamp.width !== width) {
      const reach = Math.ceil(key + 0.5);
      const dx: number[] = [];
      const dy: number[] = [];
      const coverage: number[] = [];
      for (let y = -reach; y <= reach; y++) {
        for (let x = -reach; x <= reach; x++) {
          const share = Math.min(1, Math.max(0, key + 0.5 - Math.hypot(x, y)));
          if (share <= 0) continue;
          dx.push(x);
          dy.push(y);
          coverage.push(Math.round(share * 256));
        }
      }
      const offsets = Int32Array.from(dx, (x, s) => (dy[s] * width + x) * 4);
      stamp = {
        offsets,
        dx: Int16Array.from(dx),
        dy: Int16Array.from(dy),
        coverage: Uint16Array.from(coverage),
        reach,
        width,
      };
      this.stamps.set(key, stamp);
    }
    return stamp;
  }

  /** Palette colours as bytes, plus each colour's own opacity (theme colours such as rgba(...) may have one). */
  private rgbPalette(palette: readonly string[]): { rgb: Uint8Array; opacity: Float32Array } {
    if (this.colours?.palette !== palette) {
      const out = new Uint8Array(palette.length * 3);
      const opacity = new Float32Array(palette.length);
      palette.forEach((colour, k) => {
        const c = rgb(colour);
        [out[3 * k], out[3 * k + 1], out[3 * k + 2]] = [c.r, c.g, c.b];
        opacity[k] = Number.isFinite(c.opacity) ? c.opacity : 1;
      });
      this.colours = { palette, rgb: out, opacity };
    }
    return this.colours;
  }

  /** A fixed shuffled drawing order, so where points overlap no category or value range always wins. */
  private orderFor(n: number): Uint32Array {
    if (this.drawOrder?.length !== n) {
      const order = new Uint32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      let seed = 0x9e3779b9;
      for (let i = n - 1; i > 0; i--) {
        seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
        const j = seed % (i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      this.drawOrder = order;
    }
    return this.drawOrder;
  }
}

/** An opaque pixel as one 32-bit word of ImageData (little-endian byte order: R, G, B, A). */
function packRgba(r: number, g: number, b: number): number {
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
}
