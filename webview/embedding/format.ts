/** Number formatting shared by the panel's text. */
const countFormat = new Intl.NumberFormat('en-US');

export const formatCount = (n: number): string => countFormat.format(n);

export const formatPercent = (share: number, digits = 1): string => `${(share * 100).toFixed(digits)}%`;

export const formatCosine = (cosine: number): string => cosine.toFixed(3);

/** A metadata value for tooltips: short but without losing small magnitudes. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return 'missing';
  if (Number.isInteger(value)) return countFormat.format(value);
  return Math.abs(value) >= 1000 ? countFormat.format(Math.round(value)) : String(Number(value.toPrecision(4)));
}
