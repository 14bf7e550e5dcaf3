/** Fingerprints for run records: what exactly ran, on what. */
import { createHash } from 'crypto';
import * as fs from 'fs';

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Size, mtime and a hash of the first and last MiB: cheap for large data files, and changes when they change. */
export function fileFingerprint(file: string): { size: number; mtime: string; sample: string } {
  const st = fs.statSync(file);
  const fd = fs.openSync(file, 'r');
  try {
    const n = Math.min(st.size, 1 << 20);
    const head = Buffer.alloc(n);
    fs.readSync(fd, head, 0, n, 0);
    const tail = Buffer.alloc(n);
    fs.readSync(fd, tail, 0, n, Math.max(0, st.size - n));
    return { size: st.size, mtime: st.mtime.toISOString(), sample: sha256(Buffer.concat([head, tail])).slice(0, 16) };
  } finally {
    fs.closeSync(fd);
  }
}
