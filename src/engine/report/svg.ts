/** Tiny inline-SVG charts for the shareable HTML report (no scripts, no network). */
export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const linear = (d0: number, d1: number, r0: number, r1: number) => (x: number) => r0 + ((x - d0) / (d1 - d0 || 1)) * (r1 - r0);

export interface Bar {
  label: string;
  value: number;
  ci?: [number, number] | null;
  /** Drawn behind the bar, e.g. a slot's ceiling behind its realised impact. */
  behind?: number;
}

/** Horizontal bars with optional error bars and background bars; zero line included. */
export function barChart(title: string, bars: Bar[], unit = ''): string {
  const rowH = 22, left = 170, width = 640, top = 28;
  const values = bars.flatMap((b) => [b.value, b.behind ?? 0, ...(b.ci ?? [])]).filter(Number.isFinite);
  const lo = Math.min(0, ...values), hi = Math.max(0, ...values);
  const x = linear(lo, hi, left, width - 20);
  const height = top + bars.length * rowH + 24;
  const parts = [`<svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">`,
    `<text x="0" y="16" class="t">${esc(title)}</text>`];
  bars.forEach((b, i) => {
    const y = top + i * rowH;
    parts.push(`<text x="${left - 6}" y="${y + 14}" text-anchor="end">${esc(b.label)}</text>`);
    if (b.behind !== undefined && Number.isFinite(b.behind)) parts.push(`<rect class="behind" x="${Math.min(x(0), x(b.behind))}" y="${y + 3}" width="${Math.abs(x(b.behind) - x(0))}" height="${rowH - 6}"><title>${esc(b.label)}: ${b.behind.toFixed(4)}</title></rect>`);
    parts.push(`<rect class="bar" x="${Math.min(x(0), x(b.value))}" y="${y + 6}" width="${Math.max(1, Math.abs(x(b.value) - x(0)))}" height="${rowH - 12}"><title>${esc(b.label)}: ${b.value.toFixed(4)}${unit}</title></rect>`);
    if (b.ci) parts.push(`<line class="ci" x1="${x(b.ci[0])}" x2="${x(b.ci[1])}" y1="${y + rowH / 2}" y2="${y + rowH / 2}"/><line class="ci" x1="${x(b.ci[0])}" x2="${x(b.ci[0])}" y1="${y + 5}" y2="${y + rowH - 5}"/><line class="ci" x1="${x(b.ci[1])}" x2="${x(b.ci[1])}" y1="${y + 5}" y2="${y + rowH - 5}"/>`);
  });
  parts.push(`<line class="axis" x1="${x(0)}" x2="${x(0)}" y1="${top - 4}" y2="${height - 20}"/>`);
  for (const t of [lo, (lo + hi) / 2, hi]) parts.push(`<text x="${x(t)}" y="${height - 6}" text-anchor="middle" class="tick">${(Math.abs(t) < 5e-4 ? 0 : t).toFixed(3)}</text>`);
  parts.push('</svg>');
  return parts.join('');
}

/** Reliability diagram: observed rate against mean prediction per bin, with the diagonal. */
export function calibrationChart(bins: { meanPrediction: number; observedRate: number; count: number }[]): string {
  const s = 260, pad = 34;
  const x = linear(0, 1, pad, s - 10), y = linear(0, 1, s - pad, 10);
  const pts = bins.map((b) => `<circle cx="${x(b.meanPrediction)}" cy="${y(b.observedRate)}" r="4"><title>predicted ${b.meanPrediction.toFixed(3)}, observed ${b.observedRate.toFixed(3)} (${b.count} rows)</title></circle>`).join('');
  const line = bins.map((b, i) => `${i ? 'L' : 'M'}${x(b.meanPrediction)},${y(b.observedRate)}`).join('');
  return `<svg role="img" aria-label="Calibration" viewBox="0 0 ${s} ${s}" width="${s}" height="${s}" xmlns="http://www.w3.org/2000/svg">
<line class="axis" x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke-dasharray="4 3"/><path class="cal" d="${line}"/>${pts}
<text x="${s / 2}" y="${s - 6}" text-anchor="middle" class="tick">mean prediction</text><text x="10" y="${s / 2}" transform="rotate(-90 10 ${s / 2})" text-anchor="middle" class="tick">observed rate</text></svg>`;
}
