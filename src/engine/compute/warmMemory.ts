/**
 * Pre-faulted buffers for a compute worker's next task. Fresh memory costs a page fault per 4 KiB page the first
 * time it is written: ~4 ms CPU per MiB on the 2-vCPU VM of docs/performance.md (Round 9), ~0.25 s for the ~60 MB
 * of 1M-row arrays that eval's sort, base metrics and slice metrics allocate after the last score, on the job's
 * critical path. A worker idle while the rows are scored touches those buffers beforehand (`prefault`), and the
 * metrics take them (`warmArray`) instead of fresh ones. Each buffer is handed out once and is all zeros, as fresh
 * memory is, so results cannot differ; a size the pool does not hold gets a fresh buffer.
 */

/** Byte lengths, each once per buffer wanted; `shared`: SharedArrayBuffers (results handed to other workers). */
export interface WarmSizes {
  plain: number[];
  shared: number[];
}

const PAGE = 4096;
const pool = new Map<string, (ArrayBuffer | SharedArrayBuffer)[]>();
const keyOf = (bytes: number, shared: boolean) => `${shared ? 's' : 'p'}${bytes}`;

/** Allocates and touches the buffers (one write per page), kept for warmArray. */
export function prefault(sizes: WarmSizes): void {
  for (const [list, shared] of [
    [sizes.plain, false],
    [sizes.shared, true],
  ] as const)
    for (const bytes of list) {
      if (!(bytes > 0)) continue;
      const b = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
      const u8 = new Uint8Array(b);
      for (let i = 0; i < bytes; i += PAGE) u8[i] = 0;
      const key = keyOf(bytes, shared);
      pool.set(key, [...(pool.get(key) ?? []), b]);
    }
}

type Typed = Uint8Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/** A zeroed array of n elements: a pre-faulted buffer of that size when the pool holds one, else fresh memory. */
export function warmArray<T extends Typed>(
  make: { new (b: ArrayBufferLike): T; BYTES_PER_ELEMENT: number },
  n: number,
  shared = false,
): T {
  const bytes = n * make.BYTES_PER_ELEMENT;
  const b = pool.get(keyOf(bytes, shared))?.pop();
  return new make(b ?? (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes)));
}

/** Drops the buffers no task took (the pool is per thread: a worker's end frees it too). */
export function dropWarm(): void {
  pool.clear();
}

/** How many buffers the pool still holds (tests). */
export function warmCount(): number {
  let k = 0;
  for (const l of pool.values()) k += l.length;
  return k;
}
