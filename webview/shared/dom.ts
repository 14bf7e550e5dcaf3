/** Small DOM builders shared by the panels: HTML elements with a class and text, SVG elements with attributes. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export type SvgAttributes = Record<string, string | number | null | undefined>;

export function svgElement<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: SvgAttributes = {},
  text?: string,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes))
    if (value !== null && value !== undefined) el.setAttribute(name, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** A paragraph of muted explanatory text. */
export function note(text: string, className = 'note'): HTMLParagraphElement {
  return element('p', className, text);
}

/**
 * The root of a chart: its viewBox is its natural size, and it may shrink with the page but never grow past that
 * size (max-width through the CSSOM, which the nonce-only style-src allows, unlike a style attribute).
 */
export function chartSvg(width: number, height: number, className: string, ariaLabel: string): SVGSVGElement {
  const svg = svgElement('svg', {
    viewBox: `0 0 ${width} ${height}`,
    class: `chart ${className}`,
    role: 'img',
    'aria-label': ariaLabel,
  });
  svg.style.maxWidth = `${width}px`;
  return svg;
}
