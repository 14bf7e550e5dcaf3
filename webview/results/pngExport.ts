/**
 * PNG from a standalone SVG, rendered in the webview: the SVG is loaded as an image from a blob: URL (the CSP's
 * img-src allows blob:) and drawn on an offscreen canvas at twice its size, so the PNG stays sharp on HiDPI screens.
 */
import type { StandaloneSvg } from './svgExport';

export async function svgToPng(svg: StandaloneSvg, scale = 2): Promise<Uint8Array> {
  const url = URL.createObjectURL(new Blob([svg.text], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = new OffscreenCanvas(Math.ceil(svg.width * scale), Math.ceil(svg.height * scale));
    const context = canvas.getContext('2d');
    if (!context) throw new Error('No 2-D canvas context for the PNG export.');
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, svg.width, svg.height);
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    return new Uint8Array(await blob.arrayBuffer());
  } finally {
    URL.revokeObjectURL(url);
  }
}
