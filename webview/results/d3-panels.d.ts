/**
 * The few d3 signatures the result panels use beyond those webview/embedding/d3-subset.d.ts declares (the project
 * ships d3 without @types/d3). Declarations of module 'd3' merge, so this file only adds; delete it with the other
 * one if @types/d3 is ever added.
 */
declare module 'd3' {
  export interface ScaleLinear {
    nice(count?: number): this;
  }
  export function interpolateRgb(from: string, to: string): (t: number) => string;
}
