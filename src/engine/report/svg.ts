/** Tiny inline-SVG charts for the shareable HTML report (no scripts, no network). Every axis has ticks and a title. */
export function esc(s: unknown): string {
  return String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const linear = (d0: number, d1: number, r0: number, r1: number) => (x: number) =>
  r0 + ((x - d0) / (d1 - d0 || 1)) * (r1 - r0);

/** Step between "nice" ticks (1, 2 or 5 times a power of ten), as d3-array's tickIncrement chooses it. */
function tickStep(lo: number, hi: number, count: number): number {
  const raw = (hi - lo) / Math.max(1, count);
  const power = Math.floor(Math.log10(raw));
  const error = raw / 10 ** power;
  const factor = error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1;
  return factor * 10 ** power;
}

/** A domain widened to whole ticks and its ticks (like d3's scale.nice().ticks()); labels share one precision. */
export function niceTicks(
  lo: number,
  hi: number,
  count = 5,
): { domain: [number, number]; ticks: number[]; labels: string[] } {
  if (!(hi > lo)) {
    hi = lo + 1;
  }
  const step = tickStep(lo, hi, count);
  const d0 = Math.floor(lo / step) * step,
    d1 = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let t = d0; t <= d1 + step / 2; t += step) ticks.push(Math.abs(t) < step / 1e6 ? 0 : t);
  const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return { domain: [d0, d1], ticks, labels: ticks.map((t) => t.toFixed(digits)) };
}

export interface Bar {
  label: string;
  value: number;
  ci?: [number, number] | null;
  /** Drawn behind the bar, e.g. a slot's ceiling behind its realised impact. */
  behind?: number;
}

/** Horizontal bars with optional error bars and background bars; zero line, nice ticks and an axis title. */
export function barChart(title: string, bars: Bar[], axisTitle: string): string {
  const rowH = 22,
    left = 190,
    width = 660,
    top = 28,
    right = 24;
  const values = bars.flatMap((b) => [b.value, b.behind ?? 0, ...(b.ci ?? [])]).filter(Number.isFinite);
  const { domain, ticks, labels } = niceTicks(Math.min(0, ...values), Math.max(0, ...values), 6);
  const x = linear(domain[0], domain[1], left, width - right);
  const plotBottom = top + bars.length * rowH;
  const height = plotBottom + 42;
  const parts = [
    `<svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">`,
    `<text x="0" y="16" class="t">${esc(title)}</text>`,
  ];
  ticks.forEach((t, i) =>
    parts.push(
      `<line class="grid" x1="${x(t)}" x2="${x(t)}" y1="${top - 4}" y2="${plotBottom}"/><text x="${x(t)}" y="${plotBottom + 14}" text-anchor="middle" class="tick">${labels[i]}</text>`,
    ),
  );
  bars.forEach((b, i) => {
    const y = top + i * rowH;
    parts.push(`<text x="${left - 6}" y="${y + 14}" text-anchor="end">${esc(b.label)}</text>`);
    if (b.behind !== undefined && Number.isFinite(b.behind))
      parts.push(
        `<rect class="behind" x="${Math.min(x(0), x(b.behind))}" y="${y + 3}" width="${Math.abs(x(b.behind) - x(0))}" height="${rowH - 6}"><title>${esc(b.label)}: ${b.behind.toFixed(4)}</title></rect>`,
      );
    parts.push(
      `<rect class="bar" x="${Math.min(x(0), x(b.value))}" y="${y + 6}" width="${Math.max(1, Math.abs(x(b.value) - x(0)))}" height="${rowH - 12}"><title>${esc(b.label)}: ${b.value.toFixed(4)}</title></rect>`,
    );
    if (b.ci)
      parts.push(
        `<line class="ci" x1="${x(b.ci[0])}" x2="${x(b.ci[1])}" y1="${y + rowH / 2}" y2="${y + rowH / 2}"/><line class="ci" x1="${x(b.ci[0])}" x2="${x(b.ci[0])}" y1="${y + 5}" y2="${y + rowH - 5}"/><line class="ci" x1="${x(b.ci[1])}" x2="${x(b.ci[1])}" y1="${y + 5}" y2="${y + rowH - 5}"/>`,
      );
  });
  parts.push(`<line class="axis" x1="${x(0)}" x2="${x(0)}" y1="${top - 4}" y2="${plotBottom}"/>`);
  parts.push(
    `<text x="${(left + width - right) / 2}" y="${height - 6}" text-anchor="middle" class="axis-title">${esc(axisTitle)}</text>`,
  );
  parts.push('</svg>');
  return parts.join('');
}

interface Frame {
  x: (v: number) => number;
  y: (v: number) => number;
  parts: string[];
  close: () => string;
}

/** A square-ish plot with ticks on both axes, both axes titled. */
function frame(
  title: string,
  w: number,
  h: number,
  xs: { lo: number; hi: number; title: string },
  ys: { lo: number; hi: number; title: string },
): Frame {
  const left = 52,
    right = 12,
    top = 26,
    bottom = 42;
  const nx = niceTicks(xs.lo, xs.hi, 5),
    ny = niceTicks(ys.lo, ys.hi, 5);
  const x = linear(nx.domain[0], nx.domain[1], left, w - right),
    y = linear(ny.domain[0], ny.domain[1], h - bottom, top);
  const parts = [
    `<svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" xmlns="http://www.w3.org/2000/svg">`,
    `<text x="0" y="14" class="t">${esc(title)}</text>`,
  ];
  nx.ticks.forEach((t, i) =>
    parts.push(
      `<line class="grid" x1="${x(t)}" x2="${x(t)}" y1="${top}" y2="${h - bottom}"/><text x="${x(t)}" y="${h - bottom + 14}" text-anchor="middle" class="tick">${nx.labels[i]}</text>`,
    ),
  );
  ny.ticks.forEach((t, i) =>
    parts.push(
      `<line class="grid" x1="${left}" x2="${w - right}" y1="${y(t)}" y2="${y(t)}"/><text x="${left - 5}" y="${y(t) + 4}" text-anchor="end" class="tick">${ny.labels[i]}</text>`,
    ),
  );
  parts.push(
    `<line class="axis" x1="${left}" x2="${w - right}" y1="${h - bottom}" y2="${h - bottom}"/><line class="axis" x1="${left}" x2="${left}" y1="${top}" y2="${h - bottom}"/>`,
  );
  parts.push(
    `<text x="${(left + w - right) / 2}" y="${h - 6}" text-anchor="middle" class="axis-title">${esc(xs.title)}</text>`,
  );
  parts.push(
    `<text x="12" y="${(top + h - bottom) / 2}" transform="rotate(-90 12 ${(top + h - bottom) / 2})" text-anchor="middle" class="axis-title">${esc(ys.title)}</text>`,
  );
  return { x, y, parts, close: () => parts.join('') + '</svg>' };
}

const path = (xs: number[], ys: number[], fx: (v: number) => number, fy: (v: number) => number) =>
  xs.map((v, i) => `${i ? 'L' : 'M'}${fx(v).toFixed(1)},${fy(ys[i]).toFixed(1)}`).join('');

/** Reliability diagram: observed rate against mean prediction per bin, with the diagonal. */
export function calibrationChart(bins: { meanPrediction: number; observedRate: number; count: number }[]): string {
  const f = frame(
    'Calibration (10 equal-mass bins)',
    300,
    300,
    { lo: 0, hi: 1, title: 'mean predicted probability' },
    { lo: 0, hi: 1, title: 'observed positive rate' },
  );
  f.parts.push(`<line class="diag" x1="${f.x(0)}" y1="${f.y(0)}" x2="${f.x(1)}" y2="${f.y(1)}"/>`);
  f.parts.push(
    `<path class="cal" d="${path(
      bins.map((b) => b.meanPrediction),
      bins.map((b) => b.observedRate),
      f.x,
      f.y,
    )}"/>`,
  );
  for (const b of bins)
    f.parts.push(
      `<circle cx="${f.x(b.meanPrediction)}" cy="${f.y(b.observedRate)}" r="4"><title>predicted ${b.meanPrediction.toFixed(3)}, observed ${b.observedRate.toFixed(3)} (${b.count} rows)</title></circle>`,
    );
  return f.close();
}

/** ROC curve with the chance diagonal. */
export function rocChart(roc: { fpr: number[]; tpr: number[] }, auc: number): string {
  const f = frame(
    `ROC curve (AUC ${auc.toFixed(4)})`,
    300,
    300,
    { lo: 0, hi: 1, title: 'false-positive rate' },
    { lo: 0, hi: 1, title: 'true-positive rate (recall)' },
  );
  f.parts.push(
    `<line class="diag" x1="${f.x(0)}" y1="${f.y(0)}" x2="${f.x(1)}" y2="${f.y(1)}"/><path class="cal" d="${path(roc.fpr, roc.tpr, f.x, f.y)}"/>`,
  );
  return f.close();
}

/** Precision-recall curve with the positive rate as the chance level. */
export function prChart(
  pr: { recall: number[]; precision: number[]; averagePrecision: number },
  positiveRate: number,
): string {
  const f = frame(
    `Precision-recall (average precision ${pr.averagePrecision.toFixed(4)})`,
    300,
    300,
    { lo: 0, hi: 1, title: 'recall' },
    { lo: 0, hi: 1, title: 'precision' },
  );
  f.parts.push(
    `<line class="diag" x1="${f.x(0)}" y1="${f.y(positiveRate)}" x2="${f.x(1)}" y2="${f.y(positiveRate)}"><title>positive rate ${positiveRate.toFixed(4)} (chance)</title></line><path class="cal" d="${path(pr.recall, pr.precision, f.x, f.y)}"/>`,
  );
  return f.close();
}

/** Score histogram by label: positives and negatives as two outlined step series over the same bins. */
export function histogramChart(h: { lo: number; hi: number; positives: number[]; negatives: number[] }): string {
  const bins = h.positives.length;
  const max = Math.max(1, ...h.positives, ...h.negatives);
  const f = frame(
    'Predicted probability by label',
    420,
    300,
    { lo: h.lo, hi: h.hi, title: 'predicted probability' },
    { lo: 0, hi: max, title: 'rows' },
  );
  const w = (h.hi - h.lo) / bins;
  const step = (counts: number[], cls: string, name: string) => {
    let d = `M${f.x(h.lo)},${f.y(0)}`;
    counts.forEach((c, i) => {
      d += `L${f.x(h.lo + i * w).toFixed(1)},${f.y(c).toFixed(1)}L${f.x(h.lo + (i + 1) * w).toFixed(1)},${f.y(c).toFixed(1)}`;
    });
    d += `L${f.x(h.hi)},${f.y(0)}`;
    return `<path class="${cls}" d="${d}"><title>${name}: ${counts.reduce((a, b) => a + b, 0).toLocaleString('en-US')} rows</title></path>`;
  };
  f.parts.push(step(h.negatives, 'neg', 'label 0'), step(h.positives, 'pos', 'label 1'));
  f.parts.push(
    `<rect class="neg-key" x="300" y="30" width="12" height="10"/><text x="316" y="39" class="tick">label 0</text><rect class="pos-key" x="300" y="46" width="12" height="10"/><text x="316" y="55" class="tick">label 1</text>`,
  );
  return f.close();
}

/** A static scatter of a 2-D projection coloured by category, with a legend of every colour and its count. */
export function scatterChart(
  title: string,
  points: { x: number[]; y: number[]; c: number[] },
  legend: { name: string; colour: string; count: number }[],
  axes: [string, string],
): string {
  const xs = points.x,
    ys = points.y;
  const f = frame(
    title,
    620,
    460,
    { lo: Math.min(...xs), hi: Math.max(...xs), title: axes[0] },
    { lo: Math.min(...ys), hi: Math.max(...ys), title: axes[1] },
  );
  // One path of tiny squares per colour keeps the file small for thousands of points.
  legend.forEach((entry, k) => {
    let d = '';
    for (let i = 0; i < xs.length; i++)
      if (points.c[i] === k) d += `M${f.x(xs[i]).toFixed(1)},${f.y(ys[i]).toFixed(1)}h2v2h-2z`;
    if (d)
      f.parts.push(
        `<path d="${d}" fill="${entry.colour}" fill-opacity="0.75"><title>${esc(entry.name)}</title></path>`,
      );
  });
  const svg = f.close();
  const items = legend
    .map(
      (e) =>
        `<li><span class="swatch" style="background:${e.colour}"></span>${esc(e.name)} <span class="meta">${e.count.toLocaleString('en-US')}</span></li>`,
    )
    .join('');
  return `<div class="scatter">${svg}<ul class="legend">${items}</ul></div>`;
}
