/** Fingerprints for run records: what exactly ran, on what. */
import { createHash } from 'crypto';
import * as fs from 'fs';

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Seconds within which a file's change time is too recent to trust its stamp (coarse file-system clocks). */
const RACY_SECONDS = 3;
/** contentSample per file stamp, for this process. */
const samples = new Map<string, string>();

/**
 * A file's stamp: device, inode, size, and mtime and ctime in nanoseconds (one format for every "is it the same
 * file?" question: this memo, the model's stamp around a job's load in job.ts, the model cache in model/modelCache.ts).
 */
export function statStamp(st: fs.BigIntStats): string {
  return [st.dev, st.ino, st.size, st.mtimeNs, st.ctimeNs].join(':');
}

/**
 * Whether something learned from a file's bytes at `at` (ms, Date.now()) may be remembered under its stamp: only if
 * its ctime was already RACY_SECONDS old then (the "racy" rule of fileFingerprint below).
 */
export function stampSettled(st: fs.BigIntStats, at: number): boolean {
  return at - Number(st.ctimeNs / 1_000_000n) > RACY_SECONDS * 1000;
}

/** A file's stamp taken now (see statStamp), its size, and whether it is settled (stampSettled at this moment). */
export interface FileStamp {
  stamp: string;
  size: bigint;
  settled: boolean;
}

/**
 * The file's stamp, asynchronously (the one "stat the file into a stamp" helper: job.ts's model checks, the
 * workspace's model read, model/modelCache.ts); undefined when it cannot be stat'ed (missing: the reader says why).
 */
export async function fileStampOf(file: string): Promise<FileStamp | undefined> {
  const at = Date.now();
  const st = await fs.promises.stat(file, { bigint: true }).catch(() => undefined);
  return st && { stamp: statStamp(st), size: st.size, settled: stampSettled(st, at) };
}

/**
 * Size, mtime and a hash of the first and last MiB: cheap for large data files, and changes when they change.
 *
 * The hash is taken once per process for an unchanged file, not once per call (the row-cache key and the run record
 * each asked for it on every job: ~25 ms a file on this VM, mostly the page faults of fresh 1 MiB buffers;
 * docs/performance.md, Round 7). "Unchanged" is the file's stamp: device, inode, size, and mtime and ctime in
 * nanoseconds. That is sound because every write to a file moves its mtime and ctime, a file replaced by rename or
 * copy has another inode or ctime, and no user-level call sets ctime back (utimes moves it to now). The one gap, a
 * rewrite in the same clock tick on a file system with coarse times, is closed as git closes it for its index
 * ("racy" entries): a sample taken within a few seconds of the file's ctime is not remembered, so such a file is
 * hashed again by the next call.
 */
export function fileFingerprint(file: string): { size: number; mtime: string; sample: string } {
  const st = fs.statSync(file, { bigint: true });
  const id = statStamp(st);
  let sample = samples.get(id);
  if (sample === undefined) {
    const sampledAt = Date.now();
    sample = contentSample(file, Number(st.size));
    if (stampSettled(st, sampledAt)) samples.set(id, sample);
  }
  return { size: Number(st.size), mtime: new Date(Number(st.mtimeNs / 1_000_000n)).toISOString(), sample };
}

/** One reused buffer for contentSample (fresh 1 MiB buffers cost their page faults, ~10 ms a file on this VM). */
let sampleBuffer: Buffer | undefined;

/**
 * sha256 of the file's first and last MiB (of `size` bytes), as one stream of two updates of a reused buffer; bytes
 * past the end of a file that shrank meanwhile count as zeros. First 16 hex digits.
 */
export function contentSample(file: string, size: number): string {
  const n = Math.min(size, 1 << 20);
  sampleBuffer ??= Buffer.allocUnsafe(1 << 20);
  const buf = sampleBuffer.subarray(0, n);
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    for (const at of [0, Math.max(0, size - n)]) {
      let got = 0;
      while (got < n) {
        const k = fs.readSync(fd, buf, got, n - got, at + got);
        if (k === 0) break;
        got += k;
      }
      buf.fill(0, got);
      hash.update(buf);
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex').slice(0, 16);
}
