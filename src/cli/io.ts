import type { ProgressSink } from './progress';

/** Where CLI output goes (stdout/stderr in the terminal; buffers in tests). */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Where the progress bar is drawn (stderr); none in tests that capture output. */
  progress?: ProgressSink;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t + '\n'),
  err: (t) => process.stderr.write(t + '\n'),
  progress: process.stderr,
};
