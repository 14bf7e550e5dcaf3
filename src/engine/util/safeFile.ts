/**
 * Opening files a config names, which may be anything a cloned repository holds: only regular files (a FIFO
 * blocks a read forever, /dev/zero never ends, a directory is not data), no larger than a limit the user can
 * change, and read asynchronously so the editor's thread never waits on the disk.
 */
import * as fs from 'fs';
import * as path from 'path';
import { inputError } from '../errors';

/** Default limit: 4 GiB (an ONNX protobuf cannot exceed 2 GiB; a larger data file is read in streamed batches). */
export const DEFAULT_MAX_FILE_MB = 4096;
let maxBytes = DEFAULT_MAX_FILE_MB * 2 ** 20;

/** Sets the per-file size limit in MiB (the `reclens.maxFileSizeMB` setting, the CLI's --max-file-size). */
export function setMaxFileSizeMB(mb: number): void {
  if (Number.isFinite(mb) && mb > 0) maxBytes = Math.floor(mb * 2 ** 20);
}

export function maxFileBytes(): number {
  return maxBytes;
}

/** How a file is named in messages: relative to `base` (the config's folder) when it lies inside it. */
export function shownPath(file: string, base?: string): string {
  if (!base) return file;
  const rel = path.relative(base, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Throws an input error unless `st` is a regular file within the size limit. */
function check(st: fs.Stats, file: string, what: string, base?: string): void {
  const shown = shownPath(file, base);
  if (!st.isFile())
    throw inputError(
      `${what} ${shown} is ${kindOf(st)}; RecLens reads only regular files. Point the config at a file.`,
      { file },
    );
  if (st.size > maxBytes) {
    const mb = (n: number) => `${(n / 2 ** 20).toLocaleString('en-US', { maximumFractionDigits: 0 })} MiB`;
    throw inputError(
      `${what} ${shown} is ${mb(st.size)}, over the ${mb(maxBytes)} limit for one file. Raise the limit (setting reclens.maxFileSizeMB, or reclens --max-file-size MB) if the file is meant to be this large.`,
      { file },
    );
  }
}

/** Checks a file before another library (DuckDB, onnxruntime) opens it. Missing files are left to the caller. */
export async function assertReadableFile(file: string, what: string, base?: string): Promise<void> {
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(file);
  } catch {
    return;
  }
  check(st, file, what, base);
}

/**
 * The whole file, read asynchronously. Opened non-blocking and checked through the open handle, so a FIFO swapped
 * in after a stat cannot block the read.
 */
export async function readFileSafely(file: string, what: string, base?: string): Promise<Buffer> {
  let h: fs.promises.FileHandle;
  try {
    h = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    throw inputError(
      `${what} ${shownPath(file, base)} cannot be read (${(e as NodeJS.ErrnoException).code ?? e}). Check the path in reclens.json; it is relative to the config file.`,
      { file },
    );
  }
  try {
    const st = await h.stat();
    check(st, file, what, base);
    const buf = Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < st.size) {
      const { bytesRead } = await h.read(buf, off, st.size - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    return off === st.size ? buf : buf.subarray(0, off);
  } finally {
    await h.close();
  }
}

/** The first `n` bytes of a regular file (synchronous: small header reads for tree labels). */
export function readHeadSync(file: string, n: number, what: string, base?: string): Buffer {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) check(st, file, what, base);
    const head = Buffer.alloc(Math.min(n, st.size));
    const got = fs.readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, got);
  } finally {
    fs.closeSync(fd);
  }
}
