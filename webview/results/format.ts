/**
 * How the panels write numbers. Metrics keep 4 decimals (what the CLI prints); impacts are signed and keep two
 * significant digits when tiny, so a near-zero impact never reads as exactly 0. Minus signs are U+2212, as d3 writes them.
 */
const MINUS = '\u2212';
const countFormat = new Intl.NumberFormat('en-US');
/**
 * One precision rule for every column and interval: 4 decimals; only a value that would print as 0.0000 gets two
 * significant digits instead (so [−0.00084, 0.0217] reads [−0.0008, 0.0217], not in two precisions).
 */
const SMALLEST_AT_4 = 0.00005;

const withMinus = (text: string): string => text.replace(/^-/, MINUS);

/** Fixed decimals without a "−0.00" when a tiny negative rounds to zero. */
function fixed(value: number, digits: number): string {
  const text = value.toFixed(digits);
  return Number(text) === 0 ? (0).toFixed(digits) : withMinus(text);
}

export const formatCount = (n: number): string => countFormat.format(n);

export function formatMetric(value: number | null | undefined, digits = 4): string {
  return value === null || value === undefined || !Number.isFinite(value) ? 'n/a' : fixed(value, digits);
}

/** A difference or impact: "+0.1667", "−0.000024", "0.0000" (zero in the column's precision, without a sign). */
export function formatDelta(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  if (value === 0) return (0).toFixed(4);
  const magnitude = Math.abs(value);
  const text = magnitude >= SMALLEST_AT_4 ? magnitude.toFixed(4) : magnitude.toPrecision(2);
  return `${value > 0 ? '+' : MINUS}${text}`;
}

/** A 95% interval: "[0.0156, 0.0178]". */
export function formatInterval(
  interval: readonly [number, number] | null | undefined,
  format: (x: number) => string = formatPlain,
): string {
  return interval ? `[${format(interval[0])}, ${format(interval[1])}]` : 'n/a';
}

/** An interval bound or a plain number: 4 decimals, or 2 significant digits when tiny. */
export function formatPlain(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value === 0) return (0).toFixed(4);
  return withMinus(Math.abs(value) >= SMALLEST_AT_4 ? value.toFixed(4) : value.toPrecision(2));
}

export function formatRatio(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? 'n/a' : fixed(value, 2);
}

export function formatPercent(share: number | null | undefined, digits = 0): string {
  return share === null || share === undefined || !Number.isFinite(share) ? 'n/a' : `${fixed(100 * share, digits)}%`;
}

export function formatSeconds(seconds: number): string {
  return seconds < 10
    ? `${seconds.toFixed(2)} s`
    : seconds < 600
      ? `${seconds.toFixed(1)} s`
      : `${(seconds / 60).toFixed(1)} min`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

/** The last part of a path, for labels; the full path goes in a title. */
export function baseName(file: string): string {
  return file.split(/[\\/]/).pop() || file;
}

/** A file-name-safe version of a title: "Planted truths: impact" -> "planted-truths-impact". */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'reclens'
  );
}
