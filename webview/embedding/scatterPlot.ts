/**
 * One interactive scatter plot of one view: canvas points, d3 axes, d3-zoom pan/zoom, quadtree picking for
 * hover/click, a lasso, SVG markers, and the keyboard: zoom/pan, a point cursor that steps between points, and a
 * rectangular region (the visible area). It reports what the user did through callbacks and leaves linking between
 * views to the panel.
 */
import {
  axisBottom,
  axisLeft,
  scaleLinear,
  select,
  zoom,
  zoomIdentity,
  type ScaleLinear,
  type Selection,
  type ZoomBehavior,
  type ZoomTransform,
} from 'd3';
import type { EmbeddingView } from '../../src/protocol/embedding';
import { formatValue } from './format';
import { pointsInRect, stepInDirection } from './keyboardCursor';
import { Lasso } from './lasso';
import { MarkerLayer, type Markers } from './markers';
import { equalAspectScales, pointRadius, zoomedProjection } from './plotGeometry';
import { PointIndex } from './pointIndex';
import { ScatterRenderer, type PointStyle, type Projection, type Rect } from './scatterRenderer';
import { axisTitles } from './summary';
import type { Theme } from '../shared/theme';
import { Tooltip } from './tooltip';

export interface PlotCallbacks {
  onHover(index: number | undefined): void;
  onSelect(index: number | undefined): void;
  onOpen(index: number): void;
  onLasso(indices: number[]): void;
  /** R pressed: the points in view, to become the region (the panel may keep only the highlighted ones); returns how many it kept. */
  onViewRegion(indices: number[]): number;
  /** A zoom or pan gesture ended (saved in the UI state). */
  onZoomEnd(transform: { x: number; y: number; k: number }): void;
  onEscape(): void;
}

export interface PlotOptions {
  /** Whether plain drags draw a lasso instead of panning. */
  lassoMode(): boolean;
}

const MARGIN = { top: 8, right: 10, bottom: 24, left: 44 };
const SCALE_EXTENT: [number, number] = [0.5, 400];
/** Pointer distance (CSS px) within which a point counts as under the pointer. */
const PICK_RADIUS_PX = 7;
const SVG = 'http://www.w3.org/2000/svg';

export class ScatterPlot {
  readonly element: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly overlay: SVGSVGElement;
  private readonly overlaySelection: Selection<SVGSVGElement>;
  private readonly xAxis: SVGGElement;
  private readonly yAxis: SVGGElement;
  private readonly xTitle: SVGTextElement;
  private readonly yTitle: SVGTextElement;
  private readonly clipRect: SVGRectElement;
  private readonly renderer: ScatterRenderer;
  private readonly markerLayer: MarkerLayer;
  private readonly tooltip: Tooltip;
  private readonly zoomBehaviour: ZoomBehavior<SVGSVGElement>;
  private readonly resizeObserver: ResizeObserver;
  private radius: Float32Array | number;
  private readonly lasso: Lasso;
  private readonly announcer: HTMLDivElement;
  private readonly cursorRing: SVGGElement;
  /** The point under the keyboard cursor, if the cursor is on. */
  private cursor: number | undefined;

  private width = 0;
  private height = 0;
  private xScale: ScaleLinear = scaleLinear();
  private yScale: ScaleLinear = scaleLinear();
  private transform: ZoomTransform = zoomIdentity;
  private pointIndex: PointIndex | undefined;
  private indexScheduled = false;
  private style: Omit<PointStyle, 'radius'>;
  private markers: Markers = { neighbours: [], searchMatches: [] };
  private theme: Theme;
  private frameRequested = false;
  /** Whether the next frame must redraw the points; marker-only changes (hover, selection) skip the canvas. */
  private pointsDirty = true;
  private hoverRequested: PointerEvent | undefined;
  private hovered: number | undefined;
  private pendingZoomTo: readonly number[] | undefined;

  constructor(
    parent: HTMLElement,
    private readonly view: EmbeddingView,
    theme: Theme,
    private readonly callbacks: PlotCallbacks,
    private readonly options: PlotOptions,
  ) {
    this.theme = theme;
    this.style = { palette: [theme.point], paletteIndex: new Uint16Array(view.n), focus: null };
    this.radius = pointRadius(view, view.size);

    this.element = document.createElement('div');
    this.element.className = 'plot';
    this.element.tabIndex = 0;
    this.element.setAttribute('role', 'group');
    this.element.setAttribute(
      'aria-label',
      `Scatter plot of ${view.table}, ${view.n} points. Enter puts a cursor on a point; then arrow keys step to the nearest point in that direction, Enter or Space selects it, Escape leaves the cursor. Without a cursor, and with Shift always, arrow keys pan; plus and minus zoom, 0 resets the zoom, R makes the points in view the region (only the highlighted ones while a category or a search highlights some), Escape clears the selection. The selected point's neighbours are listed in the table below the plot, a text summary after it.`,
    );
    // What the keyboard cursor is on, read out as it moves (visually it is the dashed ring and the tooltip).
    this.announcer = document.createElement('div');
    this.announcer.className = 'visually-hidden cursor-announcer';
    this.announcer.setAttribute('aria-live', 'polite');
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'points';
    this.canvas.setAttribute('aria-hidden', 'true');
    this.overlay = document.createElementNS(SVG, 'svg');
    this.overlay.setAttribute('class', 'overlay');
    // Ticks, rings and labels repeat what the text summary and the tables say; a screen reader would read "2 4 6 8".
    this.overlay.setAttribute('aria-hidden', 'true');
    this.element.append(this.canvas, this.overlay, this.announcer);
    this.renderer = new ScatterRenderer(this.canvas);

    const clipId = `plot-clip-${Math.random().toString(36).slice(2)}`;
    const defs = svgChild(this.overlay, 'defs');
    const clipPath = svgChild(defs, 'clipPath');
    clipPath.setAttribute('id', clipId);
    this.clipRect = svgChild(clipPath, 'rect');
    this.xAxis = svgChild(this.overlay, 'g', 'axis axis-x');
    this.yAxis = svgChild(this.overlay, 'g', 'axis axis-y');
    const [xTitle, yTitle] = axisTitles(view);
    this.xTitle = svgChild(this.overlay, 'text', 'axis-title axis-title-x');
    this.xTitle.textContent = xTitle;
    this.xTitle.setAttribute('text-anchor', 'end');
    this.yTitle = svgChild(this.overlay, 'text', 'axis-title axis-title-y');
    this.yTitle.textContent = yTitle;
    const markerRoot = svgChild(this.overlay, 'g', 'markers');
    markerRoot.setAttribute('clip-path', `url(#${clipId})`);
    this.markerLayer = new MarkerLayer(markerRoot);
    this.cursorRing = svgChild(markerRoot, 'g', 'cursor-ring');
    const outline = svgChild(this.overlay, 'path', 'lasso');
    this.tooltip = new Tooltip(this.element);

    this.overlaySelection = select(this.overlay);
    this.zoomBehaviour = zoom<SVGSVGElement>()
      .scaleExtent(SCALE_EXTENT)
      .clickDistance(4)
      // Drags belong to the lasso in lasso mode or with Shift; the wheel always zooms.
      .filter(
        (event) =>
          event.type === 'wheel' ||
          (!event.ctrlKey && !(event as MouseEvent).button && !event.shiftKey && !this.options.lassoMode()),
      )
      .on('zoom', (event) => {
        this.transform = event.transform;
        this.tooltip.hide();
        this.requestRender(true);
      })
      .on('end', (event) =>
        this.callbacks.onZoomEnd({ x: event.transform.x, y: event.transform.y, k: event.transform.k }),
      );
    this.overlaySelection.call(this.zoomBehaviour).on('dblclick.zoom', null);

    this.lasso = new Lasso(this.overlay, outline, {
      shouldStart: (event) => this.options.lassoMode() || event.shiftKey,
      onLasso: (polygon) => this.finishLasso(polygon),
    });
    this.overlay.addEventListener('pointermove', (event) => this.queueHover(event));
    this.overlay.addEventListener('pointerleave', () => {
      this.hoverRequested = undefined; // a pick still queued for the next frame must not reopen the tooltip
      this.setHovered(undefined);
    });
    this.overlay.addEventListener('click', (event) => this.click(event));
    this.overlay.addEventListener('dblclick', (event) => {
      const index = this.pick(event);
      if (index !== undefined) this.callbacks.onOpen(index);
    });
    this.element.addEventListener('keydown', (event) => this.key(event));
    // The cursor's ring and tooltip show only while the plot has focus; the cursor itself is kept for the next visit.
    this.element.addEventListener('focusout', () => {
      this.tooltip.hide();
      this.requestRender();
    });
    this.element.addEventListener('focusin', () => this.requestRender());

    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(this.element);
    parent.appendChild(this.element);
  }

  /** Point areas from these values (one per point, over `domain`), or one radius for all when undefined. */
  setSizes(sizes: ArrayLike<number> | undefined, domain?: [number, number]): void {
    this.radius = pointRadius(this.view, sizes, domain);
    this.element.dataset.sizeBy = sizes ? 'values' : 'none';
    this.requestRender(true);
  }

  setStyle(style: Omit<PointStyle, 'radius'>): void {
    this.style = style;
    this.requestRender(true);
  }

  setMarkers(markers: Markers): void {
    this.markers = markers;
    this.requestRender();
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    this.requestRender(true);
  }

  setLassoMode(on: boolean): void {
    this.overlay.classList.toggle('lasso-mode', on);
  }

  get zoomState(): { x: number; y: number; k: number } {
    return { x: this.transform.x, y: this.transform.y, k: this.transform.k };
  }

  setZoom(state: { x: number; y: number; k: number }): void {
    this.zoomBehaviour.transform(this.overlaySelection, zoomIdentity.translate(state.x, state.y).scale(state.k));
  }

  resetZoom(): void {
    this.zoomBehaviour.transform(this.overlaySelection, zoomIdentity);
  }

  /** Zooms so the given points fill most of the plot (a single point: zoom in around it). */
  zoomToPoints(indices: readonly number[]): void {
    if (indices.length === 0) return;
    if (this.width === 0) {
      this.pendingZoomTo = indices; // not laid out yet: do it on the first resize
      return;
    }
    const coords = this.view.coords;
    let minX = Infinity;
    let maxX = -Infinity;
    let minY = Infinity;
    let maxY = -Infinity;
    for (const i of indices) {
      const x = this.xScale(coords[2 * i]);
      const y = this.yScale(coords[2 * i + 1]);
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
    if (!Number.isFinite(minX)) return;
    const inner = this.innerRect();
    const fit = 0.8 * Math.min(inner.width / Math.max(maxX - minX, 1e-9), inner.height / Math.max(maxY - minY, 1e-9));
    const k = indices.length === 1 ? Math.max(this.transform.k, 8) : Math.min(SCALE_EXTENT[1], Math.max(1, fit));
    const target = zoomIdentity
      .translate(inner.x + inner.width / 2, inner.y + inner.height / 2)
      .scale(k)
      .translate(-(minX + maxX) / 2, -(minY + maxY) / 2);
    this.zoomBehaviour.transform(this.overlaySelection, target);
  }

  /** Where a point is drawn, in CSS pixels relative to the plot. */
  screenPosition(index: number): [number, number] {
    const p = this.projection();
    return [p.ax * this.view.coords[2 * index] + p.bx, p.ay * this.view.coords[2 * index + 1] + p.by];
  }

  destroy(): void {
    this.resizeObserver.disconnect();
    this.element.remove();
  }

  private resize(): void {
    const width = Math.floor(this.element.clientWidth);
    const height = Math.floor(this.element.clientHeight);
    if (width === this.width && height === this.height) return;
    this.width = width;
    this.height = height;
    this.renderer.resize(width, height);
    this.overlay.setAttribute('width', String(width));
    this.overlay.setAttribute('height', String(height));
    ({ x: this.xScale, y: this.yScale } = equalAspectScales(this.view.coords, this.innerRect()));
    this.pointsDirty = true;
    this.render();
    if (this.pendingZoomTo) {
      const indices = this.pendingZoomTo;
      this.pendingZoomTo = undefined;
      this.zoomToPoints(indices);
    }
  }

  private innerRect(): Rect {
    return {
      x: MARGIN.left,
      y: MARGIN.top,
      width: Math.max(1, this.width - MARGIN.left - MARGIN.right),
      height: Math.max(1, this.height - MARGIN.top - MARGIN.bottom),
    };
  }

  private projection(): Projection {
    return zoomedProjection(this.xScale, this.yScale, this.transform);
  }

  private requestRender(pointsChanged = false): void {
    this.pointsDirty ||= pointsChanged;
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.render();
    });
  }

  private render(): void {
    if (this.width === 0 || this.height === 0) return;
    const inner = this.innerRect();
    const projection = this.projection();
    // Points grow a little when zoomed in, so a zoomed-in crowd separates into visible dots.
    const radiusScale = Math.min(3, Math.max(1, Math.sqrt(this.transform.k)));
    if (this.pointsDirty) {
      this.pointsDirty = false;
      this.renderer.draw(
        this.view.coords,
        projection,
        inner,
        { ...this.style, radius: this.radius },
        this.theme.background,
        radiusScale,
      );
    }

    const xTicks = Math.max(2, Math.round(inner.width / 90));
    const yTicks = Math.max(2, Math.round(inner.height / 60));
    this.xAxis.setAttribute('transform', `translate(0,${inner.y + inner.height})`);
    select(this.xAxis).call(axisBottom(this.transform.rescaleX(this.xScale)).ticks(xTicks).tickSizeOuter(0));
    this.yAxis.setAttribute('transform', `translate(${inner.x},0)`);
    select(this.yAxis).call(axisLeft(this.transform.rescaleY(this.yScale)).ticks(yTicks).tickSizeOuter(0));
    this.xTitle.setAttribute('x', String(inner.x + inner.width - 4));
    this.xTitle.setAttribute('y', String(inner.y + inner.height - 6));
    this.yTitle.setAttribute('x', String(inner.x + 6));
    this.yTitle.setAttribute('y', String(inner.y + 12));
    this.clipRect.setAttribute('x', String(inner.x));
    this.clipRect.setAttribute('y', String(inner.y));
    this.clipRect.setAttribute('width', String(inner.width));
    this.clipRect.setAttribute('height', String(inner.height));

    this.markerLayer.render(
      this.markers,
      (i) => this.screenPosition(i),
      inner,
      this.view.ids,
      (i) => (this.view.labels?.[i] ? `${this.view.ids[i]} · ${this.view.labels[i]}` : this.view.ids[i]),
    );
    this.renderCursor();

    // Build the picking index after the first frame is on screen, not before it.
    if (!this.pointIndex && !this.indexScheduled) {
      this.indexScheduled = true;
      setTimeout(() => this.index(), 0);
    }
  }

  private index(): PointIndex {
    this.pointIndex ??= new PointIndex(this.view.coords);
    return this.pointIndex;
  }

  /** The point under a pointer event, if one is within the pick radius. */
  private pick(event: MouseEvent): number | undefined {
    const box = this.overlay.getBoundingClientRect();
    const x = event.clientX - box.left;
    const y = event.clientY - box.top;
    const inner = this.innerRect();
    if (x < inner.x || x > inner.x + inner.width || y < inner.y || y > inner.y + inner.height) return undefined;
    const p = this.projection();
    return this.index().nearest((x - p.bx) / p.ax, (y - p.by) / p.ay, PICK_RADIUS_PX / Math.abs(p.ax));
  }

  /** Hover picking runs at most once per frame, however fast the pointer moves. */
  private queueHover(event: PointerEvent): void {
    const first = this.hoverRequested === undefined;
    this.hoverRequested = event;
    if (!first) return;
    requestAnimationFrame(() => {
      const latest = this.hoverRequested;
      this.hoverRequested = undefined;
      if (!latest || latest.buttons !== 0) return; // left the plot, or dragging (panning or drawing a lasso)
      const index = this.pick(latest);
      this.setHovered(index);
      if (index !== undefined) {
        const box = this.overlay.getBoundingClientRect();
        this.tooltip.show(this.view, index, [latest.clientX - box.left, latest.clientY - box.top], {
          width: this.width,
          height: this.height,
        });
      }
    });
  }

  private setHovered(index: number | undefined): void {
    if (index === undefined) this.tooltip.hide();
    this.overlay.classList.toggle('over-point', index !== undefined);
    if (index === this.hovered) return;
    this.hovered = index;
    this.callbacks.onHover(index);
  }

  private click(event: MouseEvent): void {
    if (this.lasso.consumeEnded()) return; // the click that ends a lasso is not a point click
    if (event.detail > 1) return; // the second click of a double-click: the dblclick handler opens the item
    // The selection opens the neighbour table; the hover tooltip would cover it, so it goes until the pointer moves.
    this.hoverRequested = undefined;
    this.tooltip.hide();
    this.callbacks.onSelect(this.pick(event));
  }

  private finishLasso(polygon: [number, number][]): void {
    const p = this.projection();
    const dataPolygon = polygon.map(([x, y]): [number, number] => [(x - p.bx) / p.ax, (y - p.by) / p.ay]);
    this.callbacks.onLasso(this.index().insidePolygon(dataPolygon));
  }

  private key(event: KeyboardEvent): void {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const step = 40;
    const pan = (x: number, y: number) => () =>
      this.zoomBehaviour.translateBy(
        this.overlaySelection,
        (x * step) / this.transform.k,
        (y * step) / this.transform.k,
      );
    const directions: Record<string, [number, number]> = {
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
      ArrowUp: [0, -1],
      ArrowDown: [0, 1],
    };
    const direction = directions[event.key];
    let action: (() => void) | undefined;
    if (direction && (event.shiftKey || this.cursor === undefined)) action = pan(-direction[0], -direction[1]);
    else if (direction) action = () => this.moveCursor(direction[0], direction[1]);
    else {
      const actions: Record<string, () => void> = {
        Enter: () => this.enter(),
        ' ': () => this.enter(),
        '+': () => this.zoomBehaviour.scaleBy(this.overlaySelection, 1.5),
        '=': () => this.zoomBehaviour.scaleBy(this.overlaySelection, 1.5),
        '-': () => this.zoomBehaviour.scaleBy(this.overlaySelection, 1 / 1.5),
        '0': () => this.resetZoom(),
        r: () => this.regionFromView(),
        R: () => this.regionFromView(),
        Escape: () => (this.cursor !== undefined ? this.setCursor(undefined) : this.callbacks.onEscape()),
      };
      action = actions[event.key];
    }
    if (!action) return;
    event.preventDefault();
    action();
  }

  /** Enter / Space: put the cursor on a point (the selected one if in view, else the one nearest the centre), or select the point under it. */
  private enter(): void {
    if (this.cursor !== undefined) {
      this.callbacks.onSelect(this.cursor);
      return;
    }
    const inner = this.innerRect();
    const selected = this.markers.selected;
    if (selected !== undefined && this.inView(selected)) {
      this.setCursor(selected);
      return;
    }
    const p = this.projection();
    const centre = this.index().nearest(
      (inner.x + inner.width / 2 - p.bx) / p.ax,
      (inner.y + inner.height / 2 - p.by) / p.ay,
      Infinity,
    );
    this.setCursor(centre);
  }

  private moveCursor(dx: number, dy: number): void {
    if (this.cursor === undefined) return;
    const next = stepInDirection(this.view.coords, this.projection(), this.cursor, dx, dy);
    if (next === undefined) {
      this.announcer.textContent = `No point further ${dx < 0 ? 'left' : dx > 0 ? 'right' : dy < 0 ? 'up' : 'down'}.`;
      return;
    }
    this.setCursor(next);
  }

  private setCursor(index: number | undefined): void {
    this.cursor = index;
    this.element.dataset.cursor = index === undefined ? '' : this.view.ids[index];
    if (index === undefined) {
      this.tooltip.hide();
      this.announcer.textContent = 'Cursor off: arrow keys pan.';
      this.requestRender();
      return;
    }
    if (!this.inView(index)) this.panTo(index);
    this.announcer.textContent = `${this.describePoint(index)}. Enter selects.`;
    this.requestRender();
  }

  /** R: the points in view become the region (zoom and pan with the keys to frame it), like a rectangular lasso. */
  private regionFromView(): void {
    const kept = this.callbacks.onViewRegion(this.pointsInView());
    this.announcer.textContent = kept
      ? `Region: ${kept} points. Its composition is below the plot.`
      : 'No point in view.';
  }

  /** The points drawn in the plot's visible area. */
  pointsInView(): number[] {
    return pointsInRect(this.view.coords, this.projection(), this.innerRect());
  }

  private inView(index: number): boolean {
    const [x, y] = this.screenPosition(index);
    const inner = this.innerRect();
    return x >= inner.x && x <= inner.x + inner.width && y >= inner.y && y <= inner.y + inner.height;
  }

  /** Pans (at the current zoom) so the point is at the centre of the plot. */
  private panTo(index: number): void {
    const [x, y] = this.screenPosition(index);
    const inner = this.innerRect();
    this.zoomBehaviour.translateBy(
      this.overlaySelection,
      (inner.x + inner.width / 2 - x) / this.transform.k,
      (inner.y + inner.height / 2 - y) / this.transform.k,
    );
  }

  private describePoint(index: number): string {
    const view = this.view;
    const parts = [view.labels?.[index] ? `${view.ids[index]} · ${view.labels[index]}` : view.ids[index]];
    for (const column of view.metadata)
      parts.push(
        `${column.name} ${column.kind === 'category' ? (column.dictionary[column.codes[index]] ?? 'missing') : formatValue(column.values[index])}`,
      );
    return parts.join(', ');
  }

  /** The dashed ring on the cursor's point, with its tooltip beside it, while the plot has focus (the cursor is kept). */
  private renderCursor(): void {
    const index = this.cursor;
    if (index === undefined || !this.element.matches(':focus-within')) {
      this.cursorRing.replaceChildren();
      return;
    }
    const [x, y] = this.screenPosition(index);
    if (!this.cursorRing.firstChild) this.cursorRing.append(document.createElementNS(SVG, 'circle'));
    const ring = this.cursorRing.firstChild as SVGCircleElement;
    ring.setAttribute('cx', x.toFixed(1));
    ring.setAttribute('cy', y.toFixed(1));
    ring.setAttribute('r', '11');
    this.cursorRing.setAttribute('data-id', this.view.ids[index]);
    if (this.inView(index)) this.tooltip.show(this.view, index, [x, y], { width: this.width, height: this.height });
    else this.tooltip.hide();
  }
}

function svgChild<K extends keyof SVGElementTagNameMap>(
  parent: Element,
  tag: K,
  className?: string,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  if (className) element.setAttribute('class', className);
  parent.appendChild(element);
  return element;
}
