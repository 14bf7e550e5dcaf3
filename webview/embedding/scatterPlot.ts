/**
 * One interactive scatter plot of one view: canvas points, d3 axes, d3-zoom pan/zoom, quadtree picking for
 * hover/click, a lasso, SVG markers, and keyboard zoom/pan. It reports what the user did through callbacks
 * and leaves linking between views to the panel.
 */
import { axisBottom, axisLeft, scaleLinear, select, zoom, zoomIdentity, type ScaleLinear, type Selection, type ZoomBehavior, type ZoomTransform } from 'd3';
import type { EmbeddingView } from '../../src/protocol/messages';
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
  private readonly radius: Float32Array | number;
  private readonly lasso: Lasso;

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

  constructor(parent: HTMLElement, private readonly view: EmbeddingView, theme: Theme, private readonly callbacks: PlotCallbacks, private readonly options: PlotOptions) {
    this.theme = theme;
    this.style = { palette: [theme.point], paletteIndex: new Uint16Array(view.n), focus: null };
    this.radius = pointRadius(view);

    this.element = document.createElement('div');
    this.element.className = 'plot';
    this.element.tabIndex = 0;
    this.element.setAttribute('role', 'group');
    this.element.setAttribute(
      'aria-label',
      `Scatter plot of ${view.table}, ${view.n} points. Arrow keys pan, plus and minus zoom, 0 resets the zoom, Escape clears the selection. The selected point's neighbours are listed in the table below the plot.`,
    );
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'points';
    this.canvas.setAttribute('aria-hidden', 'true');
    this.overlay = document.createElementNS(SVG, 'svg');
    this.overlay.setAttribute('class', 'overlay');
    this.element.append(this.canvas, this.overlay);
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
    const outline = svgChild(this.overlay, 'path', 'lasso');
    this.tooltip = new Tooltip(this.element);

    this.overlaySelection = select(this.overlay);
    this.zoomBehaviour = zoom<SVGSVGElement>()
      .scaleExtent(SCALE_EXTENT)
      .clickDistance(4)
      // Drags belong to the lasso in lasso mode or with Shift; the wheel always zooms.
      .filter((event) => event.type === 'wheel' || (!event.ctrlKey && !(event as MouseEvent).button && !event.shiftKey && !this.options.lassoMode()))
      .on('zoom', (event) => {
        this.transform = event.transform;
        this.tooltip.hide();
        this.requestRender(true);
      })
      .on('end', (event) => this.callbacks.onZoomEnd({ x: event.transform.x, y: event.transform.y, k: event.transform.k }));
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

    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(this.element);
    parent.appendChild(this.element);
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
    return { x: MARGIN.left, y: MARGIN.top, width: Math.max(1, this.width - MARGIN.left - MARGIN.right), height: Math.max(1, this.height - MARGIN.top - MARGIN.bottom) };
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
      this.renderer.draw(this.view.coords, projection, inner, { ...this.style, radius: this.radius }, this.theme.background, radiusScale);
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

    this.markerLayer.render(this.markers, (i) => this.screenPosition(i), inner, this.view.ids, (i) => this.view.labels?.[i] ? `${this.view.ids[i]} · ${this.view.labels[i]}` : this.view.ids[i]);

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
        this.tooltip.show(this.view, index, [latest.clientX - box.left, latest.clientY - box.top], { width: this.width, height: this.height });
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
    const step = 40;
    const actions: Record<string, () => void> = {
      ArrowLeft: () => this.zoomBehaviour.translateBy(this.overlaySelection, step / this.transform.k, 0),
      ArrowRight: () => this.zoomBehaviour.translateBy(this.overlaySelection, -step / this.transform.k, 0),
      ArrowUp: () => this.zoomBehaviour.translateBy(this.overlaySelection, 0, step / this.transform.k),
      ArrowDown: () => this.zoomBehaviour.translateBy(this.overlaySelection, 0, -step / this.transform.k),
      '+': () => this.zoomBehaviour.scaleBy(this.overlaySelection, 1.5),
      '=': () => this.zoomBehaviour.scaleBy(this.overlaySelection, 1.5),
      '-': () => this.zoomBehaviour.scaleBy(this.overlaySelection, 1 / 1.5),
      '0': () => this.resetZoom(),
      Escape: () => this.callbacks.onEscape(),
    };
    const action = actions[event.key];
    if (!action || event.ctrlKey || event.metaKey || event.altKey) return;
    event.preventDefault();
    action();
  }
}

function svgChild<K extends keyof SVGElementTagNameMap>(parent: Element, tag: K, className?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  if (className) element.setAttribute('class', className);
  parent.appendChild(element);
  return element;
}
