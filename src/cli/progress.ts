/**
 * The CLI's one progress renderer: a bar with phase, count and ETA on stderr, redrawn in place. On by default when
 * stderr is a terminal; `--quiet` turns it off, `--progress` forces it on (plain lines when stderr is not a
 * terminal). It never writes to stdout, so `--json` output stays clean.
 */
import type { JobControl, ProgressEvent } from '../engine/progress';
import { progressFraction, progressText } from '../engine/progress';

/** Where the bar is drawn: process.stderr, or a fake terminal in tests. */
export interface ProgressSink {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressMode {
  quiet?: boolean;
  /** Force progress even when stderr is not a terminal (one line per 10%). */
  progress?: boolean;
}

/** How often the bar may redraw; a job can report thousands of batches a second. */
const REDRAW_MS = 100;
const BAR = 20;

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '?';
  if (s < 60) return `${Math.ceil(s)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${Math.round(s - 60 * m)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export interface CliProgress {
  control: JobControl;
  /** Clears the bar (call before printing the result, and on errors). */
  done(): void;
}

/** A clock so tests can drive the ETA; Date.now by default. */
export function cliProgress(
  sink: ProgressSink | undefined,
  mode: ProgressMode,
  now: () => number = Date.now,
): CliProgress {
  const tty = !!sink?.isTTY;
  const enabled = !!sink && !mode.quiet && (tty || !!mode.progress);
  if (!enabled) return { control: {}, done: () => undefined };
  // The ETA's clock restarts when a job moves from reading rows to its counted passes, whose fraction starts over.
  let start = now(),
    counted = false;
  let lastDraw = 0,
    drawn = false,
    lastDecile = -1,
    lastPhase = '';
  // ETA from the whole job's fraction once it has moved, so phases of a multi-pass job share one estimate.
  const eta = (fraction: number) => (fraction > 0.02 ? (((now() - start) / 1000) * (1 - fraction)) / fraction : NaN);
  const onProgress = (e: ProgressEvent) => {
    if (!!e.steps !== counted) {
      counted = !!e.steps;
      start = now();
    }
    const fraction = progressFraction(e);
    const text = progressText(e);
    if (!tty) {
      const decile = Math.floor(fraction * 10);
      if (decile === lastDecile && e.phase === lastPhase) return;
      lastDecile = decile;
      lastPhase = e.phase;
      sink!.write(`  ${text} (${Math.round(100 * fraction)}%)\n`);
      return;
    }
    const t = now();
    if (drawn && t - lastDraw < REDRAW_MS && fraction < 1) return;
    lastDraw = t;
    const filled = Math.round(fraction * BAR);
    const left = eta(fraction);
    let line = `[${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${String(Math.round(100 * fraction)).padStart(3)}% ${text}${Number.isFinite(left) ? `  ETA ${formatSeconds(left)}` : ''}`;
    const width = (sink!.columns && sink!.columns >= 40 ? sink!.columns : 80) - 1;
    if (line.length > width) line = line.slice(0, Math.max(10, width - 1)) + '…';
    sink!.write(`\r\x1b[2K${line}`);
    drawn = true;
  };
  return {
    control: { onProgress },
    done: () => {
      if (tty && drawn) sink!.write('\r\x1b[2K');
      drawn = false;
    },
  };
}

/** Runs a job with the progress bar, clearing it before the result (or an error) is printed. */
export async function withCliProgress<T>(
  sink: ProgressSink | undefined,
  mode: ProgressMode,
  job: (control: JobControl) => Promise<T>,
): Promise<T> {
  const p = cliProgress(sink, mode);
  try {
    return await job(p.control);
  } finally {
    p.done();
  }
}
