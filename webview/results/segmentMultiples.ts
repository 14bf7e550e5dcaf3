/**
 * Small multiples of the impact on AUC within segments (item popularity, user activity; cold / warm / hot):
 * one panel per bucket, a row of panels per dimension, slots in the main table's order and ONE x scale for all,
 * so bar lengths compare across panels. The engine gives point estimates here (no intervals).
 */
import type { AblationMethod, AblationResult } from '../../src/protocol/results';
import { chartSvg, svgElement } from '../shared/dom';
import { bottomAxis } from '../shared/axes';
import { formatCount, formatDelta, formatMetric } from './format';
import { METHOD_LABELS } from './impactRows';
import { signedScale } from './scales';

export type Segments = NonNullable<AblationResult['segments']>;

const WIDTH = 760;
const BAR = 6;
const SLOT_PAD = 4;
const HEADER = 34;
const AXIS = 24;
const DIMENSION_TITLE = 22;
const CELL_GAP = 14;
/**
 * The scale stops this far inside each cell, so the end ticks' labels (centred on their tick, about 30 px wide) stay
 * in their own cell: with the scale running to the edges, one cell's "0.10" ran into the next one's "−0.05".
 */
const LABEL_INSET = 18;

export function segmentDelta(
  segments: Segments,
  segment: string,
  bucket: string,
  slot: string,
  method: AblationMethod,
): number | null {
  const b = segments.find((s) => s.name === segment)?.buckets.find((x) => x.bucket === bucket);
  return b?.results.find((r) => r.slot === slot && r.method === method)?.deltaAuc ?? null;
}

export function renderSegmentMultiples(
  segments: Segments,
  slots: readonly string[],
  methods: readonly AblationMethod[],
): SVGSVGElement {
  const columns = Math.max(1, ...segments.map((s) => s.buckets.length));
  const labelWidth = Math.min(180, Math.max(48, 12 + 7 * Math.max(0, ...slots.map((s) => s.length))));
  const cellWidth = (WIDTH - labelWidth - (columns - 1) * CELL_GAP) / columns;
  const slotHeight = methods.length * BAR + (methods.length - 1) + 2 * SLOT_PAD;
  const cellHeight = HEADER + slots.length * slotHeight + AXIS;
  const rowHeight = DIMENSION_TITLE + cellHeight + 10;
  const height = segments.length * rowHeight;
  const values = segments.flatMap((s) =>
    s.buckets.flatMap((b) => b.results.filter((r) => slots.includes(r.slot)).map((r) => r.deltaAuc)),
  );
  const x = signedScale(values, [LABEL_INSET, cellWidth - 8 - LABEL_INSET], 3);
  const svg = chartSvg(
    WIDTH,
    height,
    'segment-multiples',
    `Impact on AUC within segments: ${segments.map((s) => `${s.name} (${s.buckets.map((b) => b.bucket).join(', ')})`).join('; ')}, for ${slots.length} slots. The table below lists the numbers.`,
  );
  segments.forEach((segment, row) => {
    const top = row * rowHeight;
    svg.append(svgElement('text', { class: 'dimension-title', x: 0, y: top + 15 }, segment.name));
    slots.forEach((slot, s) => {
      const y = top + DIMENSION_TITLE + HEADER + s * slotHeight + slotHeight / 2;
      svg.append(
        svgElement(
          'text',
          { class: 'group-label', x: labelWidth - 8, y, 'text-anchor': 'end', 'dominant-baseline': 'central' },
          slot,
        ),
      );
    });
    segment.buckets.forEach((bucket, column) => {
      const cell = svgElement('g', {
        class: 'segment-multiple',
        'data-segment': segment.name,
        'data-bucket': bucket.bucket,
        transform: `translate(${labelWidth + column * (cellWidth + CELL_GAP)},${top + DIMENSION_TITLE})`,
      });
      cell.append(
        svgElement('rect', { class: 'cell-frame', x: -4, y: 0, width: cellWidth, height: cellHeight - AXIS + 2 }),
        svgElement('text', { class: 'cell-title', x: 0, y: 14 }, bucket.bucket),
        svgElement(
          'text',
          { class: 'cell-subtitle', x: 0, y: 28 },
          `${formatCount(bucket.rows)} rows · AUC ${formatMetric(bucket.baselineAuc, 3)}`,
        ),
      );
      slots.forEach((slot, s) => {
        methods.forEach((method, m) => {
          const value = segmentDelta(segments, segment.name, bucket.bucket, slot, method);
          if (value === null) return;
          const bar = svgElement('rect', {
            class: `bar segment-bar series-${m}`,
            'data-slot': slot,
            'data-method': method,
            'data-value': value,
            x: Math.min(x(0), x(value)),
            y: HEADER + s * slotHeight + SLOT_PAD + m * (BAR + 1),
            width: Math.max(0.5, Math.abs(x(value) - x(0))),
            height: BAR,
          });
          bar.append(
            svgElement(
              'title',
              {},
              `${segment.name} · ${bucket.bucket} · ${slot} · ${METHOD_LABELS[method]}: ΔAUC ${formatDelta(value)}`,
            ),
          );
          cell.append(bar);
        });
      });
      cell.append(
        svgElement('line', { class: 'zero-line', x1: x(0), x2: x(0), y1: HEADER - 2, y2: cellHeight - AXIS }),
      );
      cell.append(bottomAxis(x, cellHeight - AXIS, 3, 'small'));
      svg.append(cell);
    });
  });
  return svg;
}
