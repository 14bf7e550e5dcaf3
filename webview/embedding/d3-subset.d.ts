/**
 * Types for the part of d3 7.9 the embedding panel uses. The project ships d3 without @types/d3, and the
 * webview code is type-checked strictly, so the few signatures it calls are declared here. Only what is used
 * is declared; if @types/d3 is ever added to the project this file can simply be deleted.
 */
declare module 'd3' {
  // d3-selection
  export interface Selection<E extends Element> {
    node(): E | null;
    attr(name: string, value: string | number | null): this;
    call<A extends unknown[]>(fn: (selection: this, ...args: A) => void, ...args: A): this;
    on(type: string, listener: ((this: E, event: Event) => void) | null): this;
  }
  export function select<E extends Element>(node: E): Selection<E>;

  // d3-scale
  export interface ScaleLinear {
    (value: number): number;
    invert(value: number): number;
    domain(): number[];
    domain(domain: readonly number[]): this;
    range(): number[];
    range(range: readonly number[]): this;
    clamp(clamp: boolean): this;
    ticks(count?: number): number[];
    tickFormat(count?: number, specifier?: string): (value: number) => string;
    copy(): ScaleLinear;
  }
  export function scaleLinear(): ScaleLinear;

  // d3-scale-chromatic
  export const schemeTableau10: readonly string[];
  export function interpolateViridis(t: number): string;

  // d3-color
  export interface RGBColor {
    r: number;
    g: number;
    b: number;
    opacity: number;
    formatHex(): string;
  }
  export function rgb(specifier: string): RGBColor;

  // d3-axis
  export interface Axis {
    (context: Selection<SVGGElement>): void;
    ticks(count: number): this;
    tickSizeOuter(size: number): this;
    tickSizeInner(size: number): this;
    tickPadding(padding: number): this;
    tickFormat(format: ((value: number) => string) | null): this;
    tickValues(values: number[] | null): this;
  }
  export function axisBottom(scale: ScaleLinear): Axis;
  export function axisLeft(scale: ScaleLinear): Axis;

  // d3-zoom
  export interface ZoomTransform {
    readonly x: number;
    readonly y: number;
    readonly k: number;
    applyX(x: number): number;
    applyY(y: number): number;
    invertX(x: number): number;
    invertY(y: number): number;
    rescaleX(scale: ScaleLinear): ScaleLinear;
    rescaleY(scale: ScaleLinear): ScaleLinear;
    scale(k: number): ZoomTransform;
    translate(x: number, y: number): ZoomTransform;
  }
  export const zoomIdentity: ZoomTransform;
  export interface D3ZoomEvent {
    transform: ZoomTransform;
    sourceEvent: Event | null;
  }
  export interface ZoomBehavior<E extends Element> {
    (selection: Selection<E>): void;
    scaleExtent(extent: [number, number]): this;
    clickDistance(distance: number): this;
    filter(filter: (event: MouseEvent | WheelEvent | TouchEvent) => boolean): this;
    on(type: string, listener: ((event: D3ZoomEvent) => void) | null): this;
    transform(selection: Selection<E>, transform: ZoomTransform): void;
    scaleBy(selection: Selection<E>, k: number, point?: [number, number]): void;
    translateBy(selection: Selection<E>, x: number, y: number): void;
  }
  export function zoom<E extends Element>(): ZoomBehavior<E>;

  // d3-quadtree
  export interface QuadtreeLeaf<T> {
    data: T;
    next?: QuadtreeLeaf<T>;
    length?: undefined;
  }
  export type QuadtreeInternalNode<T> = Array<QuadtreeLeaf<T> | QuadtreeInternalNode<T> | undefined> & { length: 4 };
  export interface Quadtree<T> {
    x(accessor: (d: T) => number): this;
    y(accessor: (d: T) => number): this;
    addAll(data: Iterable<T>): this;
    find(x: number, y: number, radius?: number): T | undefined;
    visit(
      callback: (
        node: QuadtreeLeaf<T> | QuadtreeInternalNode<T>,
        x0: number,
        y0: number,
        x1: number,
        y1: number,
      ) => boolean | void,
    ): this;
  }
  export function quadtree<T>(): Quadtree<T>;

  // d3-polygon
  export function polygonContains(polygon: ReadonlyArray<[number, number]>, point: [number, number]): boolean;
}
