/** Types for the few d3-color calls webview/shared/contrast.ts makes (merged with the panels' own d3 declarations). */
declare module 'd3' {
  export interface RGBColor {
    clamp(): RGBColor;
  }
  export interface HCLColor {
    h: number;
    c: number;
    l: number;
  }
  export function hcl(specifier: string): HCLColor;
  export function hcl(h: number, c: number, l: number): HCLColor & { toString(): string };
  export function rgb(color: HCLColor): RGBColor;
}
