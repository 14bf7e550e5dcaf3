/** Free-hand lasso on the plot's overlay: drag to draw a closed outline, get its vertices in overlay pixels. */

export interface LassoOptions {
  /** Whether a pointer-down starts a lasso (lasso mode on, or Shift held). */
  shouldStart(event: PointerEvent): boolean;
  onLasso(polygon: [number, number][]): void;
}

const MIN_STEP_PX = 3;

export class Lasso {
  private points: [number, number][] = [];
  private pointerId: number | undefined;
  /** Set when a lasso just ended, so the click that follows pointer-up does not also select or clear a point. */
  private justEnded = false;

  constructor(
    private readonly surface: SVGSVGElement,
    private readonly outline: SVGPathElement,
    private readonly options: LassoOptions,
  ) {
    surface.addEventListener('pointerdown', (event) => this.start(event));
    surface.addEventListener('pointermove', (event) => this.extend(event));
    surface.addEventListener('pointerup', (event) => this.finish(event));
    surface.addEventListener('pointercancel', () => this.cancel());
  }

  get active(): boolean {
    return this.pointerId !== undefined;
  }

  /** True once after a lasso ended; the caller ignores that click. */
  consumeEnded(): boolean {
    const ended = this.justEnded;
    this.justEnded = false;
    return ended;
  }

  private start(event: PointerEvent): void {
    if (event.button !== 0 || !this.options.shouldStart(event)) return;
    event.preventDefault();
    event.stopPropagation();
    this.pointerId = event.pointerId;
    this.surface.setPointerCapture(event.pointerId);
    this.points = [this.local(event)];
    this.justEnded = false;
    this.render();
  }

  private extend(event: PointerEvent): void {
    if (event.pointerId !== this.pointerId) return;
    const point = this.local(event);
    const last = this.points[this.points.length - 1];
    if (Math.hypot(point[0] - last[0], point[1] - last[1]) < MIN_STEP_PX) return;
    this.points.push(point);
    this.render();
  }

  private finish(event: PointerEvent): void {
    if (event.pointerId !== this.pointerId) return;
    this.pointerId = undefined;
    const polygon = this.points;
    this.points = [];
    this.render();
    if (polygon.length >= 3) {
      this.justEnded = true;
      this.options.onLasso(polygon);
    }
  }

  private cancel(): void {
    this.pointerId = undefined;
    this.points = [];
    this.render();
  }

  private local(event: PointerEvent): [number, number] {
    const box = this.surface.getBoundingClientRect();
    return [event.clientX - box.left, event.clientY - box.top];
  }

  private render(): void {
    this.outline.setAttribute(
      'd',
      this.points.length ? `M${this.points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join('L')}Z` : '',
    );
  }
}
