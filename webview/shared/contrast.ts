/**
 * WCAG 2.x contrast: relative luminance of sRGB colours and the ratio between two of them, plus the small
 * adjustments the charts make so their marks stay readable on whatever background the theme has (WCAG 1.4.11 asks
 * 3:1 for graphics, 1.4.3 asks 4.5:1 for text).
 */
import { hcl, rgb } from 'd3';

/** WCAG relative luminance (0 black .. 1 white) of a CSS colour; an unparsable colour counts as white. */
export function relativeLuminance(colour: string): number {
  const c = rgb(colour);
  if (!Number.isFinite(c.r)) return 1;
  const channel = (v: number) => {
    const s = Math.min(255, Math.max(0, v)) / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

/** The WCAG contrast ratio of two colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [la, lb] = [relativeLuminance(a), relativeLuminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/**
 * `colour` made darker (on a light background) or lighter (on a dark one) in HCL lightness, keeping its hue and
 * chroma, until it reaches `ratio` against `background`. Colours that already do are returned unchanged.
 */
export function withContrast(colour: string, background: string, ratio: number): string {
  if (contrastRatio(colour, background) >= ratio) return rgb(colour).formatHex();
  const darken = relativeLuminance(background) > 0.18;
  const base = hcl(colour);
  for (let step = 1; step <= 100; step++) {
    const candidate = hcl(base.h, base.c, darken ? base.l - step : base.l + step);
    const hex = rgb(candidate).clamp().formatHex();
    if (contrastRatio(hex, background) >= ratio) return hex;
  }
  return darken ? '#000000' : '#ffffff';
}

/**
 * Text colour for a filled shape: the first of `preferred` (theme colours) that reaches `ratio` against `fill`,
 * else black or white, whichever contrasts more (one of them always reaches 4.5:1).
 */
export function textColourOn(fill: string, preferred: readonly string[], ratio = 4.5): string {
  const best = [...preferred].sort((a, b) => contrastRatio(b, fill) - contrastRatio(a, fill))[0];
  if (best !== undefined && contrastRatio(best, fill) >= ratio) return best;
  return contrastRatio('#000000', fill) >= contrastRatio('#ffffff', fill) ? '#000000' : '#ffffff';
}

/**
 * The widest stretch [t0, t1] of a colour ramp (t from 0 to 1) whose colours all reach `ratio` against
 * `background`, found on a 1/100 grid: the ends of a sequential scale that would vanish into the background are cut.
 */
export function visibleStretch(interpolate: (t: number) => string, background: string, ratio = 3): [number, number] {
  let best: [number, number] = [0, 1];
  let bestLength = -1;
  let start: number | undefined;
  for (let s = 0; s <= 101; s++) {
    const ok = s <= 100 && contrastRatio(interpolate(s / 100), background) >= ratio;
    if (ok && start === undefined) start = s;
    if (!ok && start !== undefined) {
      if (s - 1 - start > bestLength) [best, bestLength] = [[start / 100, (s - 1) / 100], s - 1 - start];
      start = undefined;
    }
  }
  return best;
}
