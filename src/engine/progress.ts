/** Progress and cancellation for long engine jobs, independent of VS Code (the extension adapts its tokens). */
import { CancelledError } from './errors';

export interface ProgressEvent {
  phase: string;
  done: number;
  total: number;
  message?: string;
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
