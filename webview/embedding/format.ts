/** Number formatting shared by the panel's text. */
const countFormat = new Intl.NumberFormat('en-US');

export const formatCount = (n: number): string => countFormat.format(n);

export const formatPercent = (share: number, digits = 1): string => `${(share * 100).toFixed(digits)}%`;

export const formatCosine = (cosine: number): string => cosine.toFixed(3);

/** A metadata value for tooltips: short but without losing small magnitudes. */
export function formatValue(value: number, column = ''): string {
  if (!Number.isFinite(value)) return 'missing';
  // Years and identifiers are labels, not quantities: "year 2014", "movie_id 12345", never "2,014".
  if (Number.isInteger(value) && isLabelLike(column)) return String(value);
  if (Number.isInteger(value)) return countFormat.format(value);
  return Math.abs(value) >= 1000 ? countFormat.format(Math.round(value)) : String(Number(value.toPrecision(4)));
}

/** Column names whose integers are labels (a year, an id), so they get no thousands separator. */
export function isLabelLike(column: string): boolean {
  return (
    /(^|[^a-z])(year|id|ids|code|zip|date)([^a-z]|$)/i.test(column.replace(/([a-z])([A-Z])/g, '$1 $2')) ||
    /year$|_id$|Id$/.test(column)
  );
}
