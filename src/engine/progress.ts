/** Progress and cancellation for long engine jobs, independent of VS Code (the extension adapts its tokens). */
import { CancelledError } from './errors';

export interface ProgressEvent {
  phase: string;
  done: number;
  total: number;
  message?: string;
  /** The overall position of a job made of several passes (e.g. ablation: pass 12 of 37), when known. */
  step?: number;
  steps?: number;
}

export interface JobControl {
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
}

export function throwIfCancelled(control: JobControl | undefined): void {
  if (control?.signal?.aborted) throw new CancelledError();
}

export function report(control: JobControl | undefined, event: ProgressEvent): void {
  control?.onProgress?.(event);
}

/**
 * One line that says where a job is, shared by the CLI's progress bar, the editor's notification and its status bar
 * so they never disagree: "pass 12 / 37 · permute genres (2) 45%" or "inference 8,192 / 20,167".
 */
export function progressText(e: ProgressEvent): string {
  const count = e.total > 1 ? ` ${e.done.toLocaleString('en-US')} / ${e.total.toLocaleString('en-US')}` : '';
  const pass = e.step !== undefined && e.steps ? `pass ${e.step} / ${e.steps} · ` : '';
  return `${pass}${e.phase}${count}`;
}

/** Fraction of the whole job done, from the pass counter when there is one, else from the phase's own count. */
export function progressFraction(e: ProgressEvent): number {
  const within = e.total > 0 ? Math.min(1, e.done / e.total) : 0;
  if (e.step !== undefined && e.steps) return Math.min(1, (e.step - 1 + within) / e.steps);
  return within;
}
