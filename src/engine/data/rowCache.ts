/**
 * Decoded evaluation rows, kept for reuse within a session (eval -> ablate -> ceiling -> LIS on the same data skip
 * reading and decoding the file again), keyed by the data's fingerprint and the input plan.
 *
 * Small row sets stay in memory (bounded by MEMORY_BUDGET in all); large ones are spilled while they are read to
 * `.reclens/cache/<key>/` next to the config, one file per input, and passes read the rows they need from there
 * (the OS page cache makes that about as fast as memory), so a job's memory does not grow with the row count.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { RecLensConfig } from '../config/types';
import { fileFingerprint, sha256, statStamp } from '../runs/hash';
import { heldEntriesIn, holdCacheEntry } from '../util/cacheHolds';
import { folderRefusal, ownedFolder } from '../util/ownedFolder';
import { feedArray } from './feedPool';
import type { FeedArray, StreamStats } from './batches';
import type { FeedDtype, InputPlan, PlannedInput } from './inputPlan';
import type { Key } from './keys';
import { rowCacheMaxBytes, touchRowSet, trimRowCache } from './rowCacheDisk';

/** Decoded inputs above this many bytes are spilled to disk (RECLENS_ROWS_MEMORY_MIB overrides, for tests). */
export function spillThresholdBytes(): number {
  const env = Number(process.env.RECLENS_ROWS_MEMORY_MIB);
  return (Number.isFinite(env) && env >= 0 ? env : 256) * 2 ** 20;
}
/** In-memory row sets kept across jobs, in all. */
const MEMORY_BUDGET = 512 * 2 ** 20;
/** Spilled row sets kept on disk per config folder (oldest removed first). */
const DISK_ENTRIES = 3;

const BYTES: Record<FeedDtype, number> = { float32: 4, float64: 8, int64: 8, int32: 4, bool: 1, uint8: 1, int8: 1 };
/** The typed array of each dtype (as batches.ts allocate() picks them). */
const CTOR: Record<FeedDtype, typeof Float32Array> = {
  float32: Float32Array,
  float64: Float64Array as unknown as typeof Float32Array,
  int64: BigInt64Array as unknown as typeof Float32Array,
  int32: Int32Array as unknown as typeof Float32Array,
  int8: Int8Array as unknown as typeof Float32Array,
  bool: Uint8Array as unknown as typeof Float32Array,
  uint8: Uint8Array as unknown as typeof Float32Array,
};

/**
 * The model inputs of all rows. `get` gives a whole column (read from disk when spilled: callers that only need
 * some rows use `read`, which always returns a fresh array, safe to transfer to the inference worker).
 */
export class DecodedColumns {
  constructor(
    private readonly inputs: PlannedInput[],
    private readonly rows: number,
    private readonly memory?: Map<string, FeedArray>,
    private readonly dir?: string,
  ) {}

  get spilled(): boolean {
    return this.dir !== undefined;
  }

  has(name: string): boolean {
    return this.inputs.some((i) => i.name === name);
  }

  keys(): string[] {
    return this.inputs.map((i) => i.name);
  }

  private input(name: string): PlannedInput {
    const inp = this.inputs.find((i) => i.name === name);
    if (!inp) throw new Error(`no decoded input "${name}"`);
    return inp;
  }

  /** Rows [start, end) of input `name`, as an array of its own (on a recycled feed buffer when one is free). */
  read(name: string, start: number, end: number): FeedArray {
    const inp = this.input(name);
    const out = feedArray(CTOR[inp.dtype], (end - start) * inp.width);
    if (this.memory) {
      (out as Float32Array).set(this.memory.get(name)!.subarray(start * inp.width, end * inp.width) as Float32Array);
      return out;
    }
    readInto(path.join(this.dir!, fileName(name)), out, start * inp.width * BYTES[inp.dtype]);
    return out;
  }

  /** The whole column (shared when in memory: do not modify it). */
  get(name: string): FeedArray | undefined {
    if (!this.has(name)) return undefined;
    return this.memory ? this.memory.get(name) : this.read(name, 0, this.rows);
  }

  /**
   * Input `name` with rows permuted (row i takes row perm[i]), read in ascending row ranges. A column that fits
   * the memory budget is gathered from memory; a larger spilled one is shuffled on disk in two sequential passes
   * (bucket files by destination, then one bucket at a time in memory), so memory stays ~2 x 32 MiB.
   */
  permuted(name: string, perm: Uint32Array): PermutedColumn {
    const inp = this.input(name);
    const w = inp.width,
      rowBytes = w * BYTES[inp.dtype];
    if (this.memory || this.rows * rowBytes <= spillThresholdBytes()) {
      const col = this.get(name)!;
      return { read: (start, end) => gatherRows(col, w, perm, start, end), close: () => undefined };
    }
    return diskPermutation(path.join(this.dir!, fileName(name)), inp, this.rows, perm);
  }

  /**
   * Any number of permutations of input `name` (ablation's repeats): a spilled column that fits the memory budget
   * is read from disk once for all of them, not once per permutation, and read asynchronously (the copy and its page
   * faults, ~0.9 s CPU for a fresh 128 MB array at 1M rows of 32 floats on this VM, run on a libuv thread while the
   * caller keeps feeding the inference worker). close() lets the column go.
   */
  async permuter(name: string): Promise<Permuter> {
    const inp = this.input(name);
    const w = inp.width,
      rowBytes = w * BYTES[inp.dtype];
    if (this.memory || this.rows * rowBytes <= spillThresholdBytes()) {
      let column: FeedArray | undefined = this.memory?.get(name);
      if (!column) {
        column = new CTOR[inp.dtype](this.rows * w) as FeedArray;
        await readIntoAsync(path.join(this.dir!, fileName(name)), column, 0);
      }
      const col = column;
      return {
        permuted: (perm) => ({ read: (start, end) => gatherRows(col, w, perm, start, end), close: () => undefined }),
        close: () => {
          column = undefined;
        },
      };
    }
    return {
      permuted: (perm) => diskPermutation(path.join(this.dir!, fileName(name)), inp, this.rows, perm),
      close: () => undefined,
    };
  }
}

/** Permutations of one column (see DecodedColumns.permuter). */
export interface Permuter {
  permuted(perm: Uint32Array): PermutedColumn;
  close(): void;
}

/** One permutation of a column, read in ascending row ranges; close() frees what it holds. */
export interface PermutedColumn {
  read(start: number, end: number): FeedArray;
  close(): void;
}

/**
 * Rows perm[start..end) of a column, gathered into a fresh array. Rows are copied as 32-bit words (bytes when a row
 * is not whole words) in a plain loop: a subarray + set per row cost ~1 us a row, ~30x this loop for narrow inputs,
 * and copying integer words keeps every bit (NaN payloads, -0) of any dtype. The rows are visited in ascending order
 * of their source region (sourceOrder), not in output order: a random read per row was memory-latency bound on this
 * VM (0.8-1.0 s CPU per 1M rows of 128 bytes), the ordered visit 0.33-0.41 s; every row lands where it did before.
 */
export function gatherRows(column: FeedArray, width: number, perm: Uint32Array, start: number, end: number): FeedArray {
  const out = feedArray(column.constructor as typeof Float32Array, (end - start) * width) as FeedArray;
  const rowBytes = width * column.BYTES_PER_ELEMENT;
  const rows = column.length / width;
  if (rowBytes > 256) {
    for (let i = start; i < end; i++) {
      const src = perm[i] * width;
      (out as Float32Array).set((column as Float32Array).subarray(src, src + width), (i - start) * width);
    }
    return out;
  }
  const order = sourceOrder(perm, start, end, rows);
  if (rowBytes % 4 === 0 && column.byteOffset % 4 === 0) {
    const src = new Int32Array(column.buffer, column.byteOffset, column.byteLength / 4);
    gatherWords(src, new Int32Array(out.buffer, out.byteOffset, out.byteLength / 4), rowBytes / 4, perm, start, order);
  } else {
    const src = new Uint8Array(column.buffer, column.byteOffset, column.byteLength);
    gatherBytes(src, new Uint8Array(out.buffer, out.byteOffset, out.byteLength), rowBytes, perm, start, order);
  }
  return out;
}

/** Source regions per gather: 2^11 counters, each region rows / 2^11 rows wide (a few pages of the column). */
const REGION_BITS = 11;
let orderScratch = new Uint32Array(0);
const regionCounts = new Uint32Array(1 << REGION_BITS);

/**
 * The output positions 0..end-start, ordered by the region of their source row perm[start + i] (one counting sort
 * pass on the source's top bits). The returned array is scratch, valid until the next call.
 */
function sourceOrder(perm: Uint32Array, start: number, end: number, rows: number): Uint32Array {
  const m = end - start;
  if (orderScratch.length < m) orderScratch = new Uint32Array(m);
  const order = orderScratch.subarray(0, m);
  const shift = Math.max(0, 32 - Math.clz32(Math.max(1, rows - 1)) - REGION_BITS);
  const count = regionCounts;
  count.fill(0);
  for (let i = start; i < end; i++) count[perm[i] >>> shift]++;
  for (let c = 0, sum = 0; c < count.length; c++) {
    const n = count[c];
    count[c] = sum;
    sum += n;
  }
  for (let i = start; i < end; i++) order[count[perm[i] >>> shift]++] = i - start;
  return order;
}

/*
 * The copy loops of gatherRows, one per array type: each call site then sees one element kind (a shared loop over
 * Int32Array | Uint8Array ran ~30% slower), and the common widths 1 and 2 skip the inner loop. Output row d takes
 * source row perm[start + d], for d in `order`.
 */
function gatherWords(
  src: Int32Array,
  dst: Int32Array,
  k: number,
  perm: Uint32Array,
  start: number,
  order: Uint32Array,
): void {
  const m = order.length;
  if (k === 1) {
    for (let a = 0; a < m; a++) {
      const d = order[a];
      dst[d] = src[perm[start + d]];
    }
    return;
  }
  if (k === 2) {
    for (let a = 0; a < m; a++) {
      const d = order[a],
        s = perm[start + d] * 2;
      dst[d * 2] = src[s];
      dst[d * 2 + 1] = src[s + 1];
    }
    return;
  }
  for (let a = 0; a < m; a++) {
    const d = order[a],
      s = perm[start + d] * k,
      o = d * k;
    for (let j = 0; j < k; j++) dst[o + j] = src[s + j];
  }
}

function gatherBytes(
  src: Uint8Array,
  dst: Uint8Array,
  k: number,
  perm: Uint32Array,
  start: number,
  order: Uint32Array,
): void {
  const m = order.length;
  for (let a = 0; a < m; a++) {
    const d = order[a],
      s = perm[start + d] * k,
      o = d * k;
    for (let j = 0; j < k; j++) dst[o + j] = src[s + j];
  }
}

/** Copies row `from` of `src` to row `to` of `dst` (byte arrays at offset 0): 32-bit words in a loop for short rows. */
function copyRow(dst: Uint8Array, to: number, src: Uint8Array, from: number, rowBytes: number): void {
  if (rowBytes > 256 || rowBytes % 4 !== 0 || dst.byteOffset % 4 !== 0 || src.byteOffset % 4 !== 0) {
    dst.set(src.subarray(from * rowBytes, (from + 1) * rowBytes), to * rowBytes);
    return;
  }
  const k = rowBytes >> 2;
  const d = words(dst),
    s = words(src);
  for (let j = 0, a = to * k, b = from * k; j < k; j++) d[a + j] = s[b + j];
}

/** A cached Int32 view of a byte array's buffer (views are made once per buffer, not per row). */
const wordViews = new WeakMap<ArrayBufferLike, Int32Array>();
function words(bytes: Uint8Array): Int32Array {
  let v = wordViews.get(bytes.buffer);
  if (!v || v.byteOffset !== bytes.byteOffset) {
    v = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2);
    wordViews.set(bytes.buffer, v);
  }
  return v;
}

const BUCKET_BYTES = 32 * 2 ** 20;
const LOCAL_BITS = 2 ** 21;

function diskPermutation(file: string, inp: PlannedInput, rows: number, perm: Uint32Array): PermutedColumn {
  const rowBytes = inp.width * BYTES[inp.dtype];
  // Buckets of 32 MiB (smaller only under a tiny test budget, so that tests cross bucket boundaries).
  const bucketBytes = Math.min(BUCKET_BYTES, Math.max(4096, spillThresholdBytes()));
  const bucketRows = Math.max(1, Math.min(LOCAL_BITS, Math.floor(bucketBytes / rowBytes)));
  const buckets = Math.ceil(rows / bucketRows);
  const tmp = fs.mkdtempSync(path.join(path.dirname(file), '.perm-'));
  try {
    // Pass 1: read the column in order; append each row to the bucket file of the row it goes to.
    const dest = new Uint32Array(rows);
    for (let i = 0; i < rows; i++) dest[perm[i]] = i;
    const fds = Array.from({ length: buckets }, (_, b) => fs.openSync(path.join(tmp, `${b}.bin`), 'w'));
    const bufRows = Math.max(1, Math.floor((1 << 20) / rowBytes));
    const bufs = Array.from({ length: buckets }, () => ({ data: new Uint8Array(bufRows * rowBytes), n: 0 }));
    const flush = (b: number) => {
      const buf = bufs[b];
      let done = 0;
      while (done < buf.n * rowBytes) done += fs.writeSync(fds[b], buf.data, done, buf.n * rowBytes - done);
      buf.n = 0;
    };
    const blockRows = bucketRows;
    const block = new Uint8Array(blockRows * rowBytes);
    const fd = fs.openSync(file, 'r');
    try {
      for (let start = 0; start < rows; start += blockRows) {
        const m = Math.min(blockRows, rows - start);
        let got = 0;
        while (got < m * rowBytes) {
          const k = fs.readSync(fd, block, got, m * rowBytes - got, start * rowBytes + got);
          if (k === 0) throw new Error(`row cache file ${file} is shorter than expected`);
          got += k;
        }
        for (let j = 0; j < m; j++) {
          const b = Math.floor(dest[start + j] / bucketRows);
          const buf = bufs[b];
          copyRow(buf.data, buf.n, block, j, rowBytes);
          if (++buf.n === bufRows) flush(b);
        }
      }
      for (let b = 0; b < buckets; b++) {
        flush(b);
        fs.closeSync(fds[b]);
      }
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  // Pass 2: a bucket's rows arrived in source order; put them in destination order.
  let current = -1;
  // One bucket's buffers, allocated once for the pass (fresh ones per bucket left ~64 MiB of garbage each).
  const cap = Math.min(bucketRows, rows);
  let placed = new Uint8Array(cap * rowBytes);
  const arrivedAll = new Uint8Array(cap * rowBytes);
  const keyAll = new Float64Array(cap);
  const load = (b: number) => {
    const lo = b * bucketRows,
      m = Math.min(bucketRows, rows - lo);
    const arrived = arrivedAll.subarray(0, m * rowBytes);
    readInto(path.join(tmp, `${b}.bin`), arrived as unknown as FeedArray, 0);
    const key = keyAll.subarray(0, m); // source row x 2^21 + local destination row: sorting by it gives arrival order
    for (let k = 0; k < m; k++) key[k] = perm[lo + k] * LOCAL_BITS + k;
    key.sort();
    for (let a = 0; a < m; a++) copyRow(placed, key[a] % LOCAL_BITS, arrived, a, rowBytes);
    current = b;
  };
  return {
    read(start, end) {
      const out = feedArray(CTOR[inp.dtype], (end - start) * inp.width);
      const bytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
      for (let r = start; r < end;) {
        const b = Math.floor(r / bucketRows);
        if (b !== current) load(b);
        const stop = Math.min(end, (b + 1) * bucketRows);
        bytes.set(
          placed.subarray((r - b * bucketRows) * rowBytes, (stop - b * bucketRows) * rowBytes),
          (r - start) * rowBytes,
        );
        r = stop;
      }
      return out;
    },
    close() {
      placed = new Uint8Array(0);
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

function fileName(input: string): string {
  return `${sha256(input).slice(0, 16)}.bin`;
}

function readInto(file: string, out: FeedArray, offset: number): void {
  const fd = fs.openSync(file, 'r');
  try {
    const bytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    let done = 0;
    while (done < bytes.length) {
      const n = fs.readSync(fd, bytes, done, Math.min(bytes.length - done, 1 << 30), offset + done);
      if (n === 0)
        throw new Error(`row cache file ${file} is shorter than expected; delete ${path.dirname(file)} and run again`);
      done += n;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** readInto on a libuv thread (the copy and the page faults of a fresh array stay off the calling thread). */
async function readIntoAsync(file: string, out: FeedArray, offset: number): Promise<void> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const bytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    let done = 0;
    while (done < bytes.length) {
      const { bytesRead } = await fh.read(bytes, done, Math.min(bytes.length - done, 1 << 30), offset + done);
      if (bytesRead === 0)
        throw new Error(`row cache file ${file} is shorter than expected; delete ${path.dirname(file)} and run again`);
      done += bytesRead;
    }
  } finally {
    await fh.close();
  }
}

/** Everything decoded from the data besides the inputs. */
export interface RowSetMeta {
  rows: number;
  labels: Uint8Array;
  groups?: Int32Array;
  groupCount: number;
  groupKeys: Key[];
  stats: StreamStats;
}

export interface CachedRows extends RowSetMeta {
  columns: DecodedColumns;
}

/**
 * What decides the decoded rows: the data file and every table file (fingerprints), the SQL that reads them, each
 * input's source, dtype and width, and the row limit.
 */
export function rowCacheKey(config: RecLensConfig, plan: InputPlan, limit: number | undefined): string {
  // Data that is not one regular file (a glob, a folder) has no cheap fingerprint: its rows get a key of their own.
  if (!isFile(config.data.path)) return `once-${process.pid}-${Date.now().toString(36)}-${(unique++).toString(36)}`;
  const files = [config.data.path, ...Object.values(config.tables).flatMap((t) => (t.ids ? [t.path, t.ids] : [t.path]))]
    .filter((f) => fs.existsSync(f))
    // The stamp (device, inode, ctime: no copy, checkout or archive keeps them) binds a row set to the files this
    // machine decoded it from: a cloned or unpacked repository cannot ship a `.reclens/cache` entry that matches.
    .map((f) => ({ f, ...fileFingerprint(f), stamp: statStamp(fs.statSync(f, { bigint: true })) }));
  const inputs = plan.inputs.map((i) => ({
    name: i.name,
    dtype: i.dtype,
    width: i.width,
    dims: i.dims,
    source: i.source.kind === 'table' ? { table: i.source.table.name, key: i.source.keyColumn } : i.source,
  }));
  return sha256(
    JSON.stringify({
      v: 2,
      files,
      select: plan.select,
      from: plan.fromClause,
      label: plan.labelIndex,
      group: plan.groupIndex ?? null,
      inputs,
      limit: limit ?? null,
      tables: config.tables,
    }),
  ).slice(0, 24);
}

let unique = 0;
function isFile(f: string): boolean {
  try {
    return fs.statSync(f).isFile();
  } catch {
    return false;
  }
}

export function cacheDir(config: RecLensConfig): string {
  return path.join(config.dir, ...CACHE_LEVELS);
}
const CACHE_LEVELS = ['.reclens', 'cache'];

/**
 * Holds row set `key` of `config` for a job or a Rows explorer reading it (util/cacheHolds.ts): the disk bound and
 * pruning never remove a held set. The caller releases it when done, in a `finally` (a failed or cancelled job too).
 */
export function holdRowSet(config: RecLensConfig, key: string): () => void {
  return holdCacheEntry(path.join(cacheDir(config), key));
}

/** In-memory entries, most recently used last. */
const memoryEntries = new Map<string, { rows: CachedRows; bytes: number }>();

function entryBytes(r: CachedRows, inputs: PlannedInput[]): number {
  const meta = r.labels.byteLength + (r.groups?.byteLength ?? 0);
  return r.columns.spilled ? meta : meta + inputs.reduce((a, i) => a + r.rows * i.width * BYTES[i.dtype], 0);
}

export function rememberRows(key: string, rows: CachedRows, inputs: PlannedInput[]): void {
  const bytes = entryBytes(rows, inputs);
  if (bytes > MEMORY_BUDGET) return;
  memoryEntries.delete(key);
  memoryEntries.set(key, { rows, bytes });
  let total = 0;
  for (const e of memoryEntries.values()) total += e.bytes;
  for (const [k, e] of memoryEntries) {
    if (total <= MEMORY_BUDGET) break;
    memoryEntries.delete(k);
    total -= e.bytes;
  }
}

/** Decoded rows from this session, or from a spilled set on disk; undefined when there are none. */
export function recallRows(key: string, config: RecLensConfig, inputs: PlannedInput[]): CachedRows | undefined {
  const hit = memoryEntries.get(key);
  if (hit && (!hit.rows.columns.spilled || fs.existsSync(path.join(cacheDir(config), key)))) {
    memoryEntries.delete(key);
    memoryEntries.set(key, hit);
    if (hit.rows.columns.spilled) touchRowSet(path.join(cacheDir(config), key)); // reused: last to be trimmed
    return hit.rows;
  }
  memoryEntries.delete(key);
  if (folderRefusal(config.dir, CACHE_LEVELS)) return undefined; // nothing is read from behind a link
  const dir = path.join(cacheDir(config), key);
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
      rows: number;
      groupCount: number;
      groupKeys: Key[];
      stats: StreamStats;
      grouped: boolean;
    };
    const labels = new Uint8Array(manifest.rows);
    readInto(path.join(dir, 'labels.bin'), labels, 0);
    let groups: Int32Array | undefined;
    if (manifest.grouped) {
      groups = new Int32Array(manifest.rows);
      readInto(path.join(dir, 'groups.bin'), groups, 0);
    }
    for (const inp of inputs) {
      if (fs.statSync(path.join(dir, fileName(inp.name))).size !== manifest.rows * inp.width * BYTES[inp.dtype])
        return undefined;
    }
    const now = new Date();
    fs.utimesSync(dir, now, now);
    const rows: CachedRows = {
      rows: manifest.rows,
      labels,
      groups,
      groupCount: manifest.groupCount,
      groupKeys: manifest.groupKeys,
      stats: manifest.stats,
      columns: new DecodedColumns(inputs, manifest.rows, undefined, dir),
    };
    rememberRows(key, rows, inputs);
    return rows;
  } catch {
    return undefined;
  }
}

/** Forgets the in-memory row sets (spilled ones stay on disk). */
export function forgetRows(): void {
  memoryEntries.clear();
}

/** Writes decoded columns batch by batch into a temporary folder that becomes the cache entry once complete. */
export class SpillWriter {
  private readonly tmp: string;
  private readonly fds = new Map<string, number>();
  private readonly labels: number;
  private readonly groups: number;

  constructor(
    private readonly config: RecLensConfig,
    private readonly key: string,
    private readonly inputs: PlannedInput[],
  ) {
    const root = ownedFolder(config.dir, CACHE_LEVELS); // never through a link a cloned repository planted
    this.tmp = fs.mkdtempSync(path.join(root, `.${key}-`));
    for (const inp of inputs) this.fds.set(inp.name, fs.openSync(path.join(this.tmp, fileName(inp.name)), 'w'));
    this.labels = fs.openSync(path.join(this.tmp, 'labels.bin'), 'w');
    this.groups = fs.openSync(path.join(this.tmp, 'groups.bin'), 'w');
  }

  private static write(fd: number, a: ArrayBufferView): void {
    const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    let done = 0;
    while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done);
  }

  append(feeds: Map<string, FeedArray>, labels: Uint8Array, groups?: Int32Array): void {
    for (const inp of this.inputs) SpillWriter.write(this.fds.get(inp.name)!, feeds.get(inp.name)!);
    SpillWriter.write(this.labels, labels);
    if (groups) SpillWriter.write(this.groups, groups);
  }

  /** Writes in flight (appendLater), and copy buffers free for the next batch, by byte length. */
  private readonly inFlight = new Set<Promise<void>>();
  private readonly spare = new Map<number, Uint8Array[]>();
  private failed: unknown;

  /**
   * Like append, but each array is copied (a memcpy into a reused buffer) and written at its row's place by a libuv
   * thread, so the decoding thread neither waits for the file system nor keeps the arrays: they can be transferred
   * to the inference worker right after. Waits only when MAX_WRITES_IN_FLIGHT batches are still being written.
   * finishLater() / abortLater() wait for every write first.
   */
  async appendLater(
    start: number,
    feeds: Map<string, FeedArray>,
    labels: Uint8Array,
    groups?: Int32Array,
  ): Promise<void> {
    while (this.inFlight.size >= MAX_WRITES_IN_FLIGHT) await Promise.race(this.inFlight);
    if (this.failed) throw this.failed;
    const parts: [number, ArrayBufferView, number][] = this.inputs.map((inp) => [
      this.fds.get(inp.name)!,
      feeds.get(inp.name)!,
      start * inp.width * BYTES[inp.dtype],
    ]);
    parts.push([this.labels, labels, start]);
    if (groups) parts.push([this.groups, groups, start * 4]);
    const copies = parts.map(([fd, a, at]) => {
      const copy = this.copyBuffer(a.byteLength);
      copy.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
      return { fd, copy, at };
    });
    const done = (async () => {
      try {
        await Promise.all(copies.map(({ fd, copy, at }) => writeAllAt(fd, copy, at)));
      } catch (e) {
        this.failed ??= e;
      } finally {
        for (const { copy } of copies) {
          const free = this.spare.get(copy.byteLength);
          if (free) free.push(copy);
          else this.spare.set(copy.byteLength, [copy]);
        }
      }
    })();
    this.inFlight.add(done);
    void done.then(() => this.inFlight.delete(done));
  }

  private copyBuffer(bytes: number): Uint8Array {
    return this.spare.get(bytes)?.pop() ?? new Uint8Array(bytes);
  }

  private async settle(): Promise<void> {
    while (this.inFlight.size) await Promise.all(this.inFlight);
    this.spare.clear();
  }

  /** finish() once every appendLater write is done (a failed write rejects, and the entry is removed). */
  async finishLater(meta: Omit<RowSetMeta, 'labels' | 'groups'> & { grouped: boolean }): Promise<string> {
    await this.settle();
    if (this.failed) {
      this.abort();
      throw this.failed;
    }
    return this.finish(meta);
  }

  /** abort() once every appendLater write is done. */
  async abortLater(): Promise<void> {
    await this.settle();
    this.abort();
  }

  private closeAll(): void {
    for (const fd of [...this.fds.values(), this.labels, this.groups]) {
      try {
        fs.closeSync(fd);
      } catch {
        /* already closed */
      }
    }
    this.fds.clear();
  }

  /** Completes the entry (rename into place) and returns its folder. */
  finish(meta: Omit<RowSetMeta, 'labels' | 'groups'> & { grouped: boolean }): string {
    this.closeAll();
    fs.writeFileSync(path.join(this.tmp, 'manifest.json'), JSON.stringify(meta));
    const dir = path.join(cacheDir(this.config), this.key);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(this.tmp, dir);
    // Neither the count nor the size bound (reclens.rowCacheMaxMB, --row-cache-max-mb; least recently used first)
    // removes this set, nor one a running job or an open Rows explorer of this process holds (holdRowSet).
    const keep = [this.key, ...heldEntriesIn(cacheDir(this.config))];
    pruneDisk(cacheDir(this.config), keep);
    trimRowCache(this.config.dir, rowCacheMaxBytes(), keep);
    return dir;
  }

  abort(): void {
    this.closeAll();
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}

/** Batches whose spill writes may be in flight at once (memory: this many copies of a batch's decoded rows). */
const MAX_WRITES_IN_FLIGHT = 4;

/** Writes all of `bytes` at `position` of fd on a libuv thread. */
async function writeAllAt(fd: number, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await new Promise<{ bytesWritten: number }>((resolve, reject) =>
      fs.write(fd, bytes, done, bytes.length - done, position + done, (e, n) =>
        e ? reject(e) : resolve({ bytesWritten: n }),
      ),
    );
    done += bytesWritten;
  }
}

/** Keeps the most recently used entries on disk, and those in `keep` (and removes leftovers of interrupted writes). */
function pruneDisk(root: string, keep: readonly string[]): void {
  const entries = fs.readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory());
  for (const e of entries.filter((d) => d.name.startsWith('.'))) {
    const p = path.join(root, e.name);
    if (Date.now() - fs.statSync(p).mtimeMs > 3600_000) fs.rmSync(p, { recursive: true, force: true });
  }
  const done = entries
    .filter((d) => !d.name.startsWith('.'))
    .map((d) => ({ name: d.name, p: path.join(root, d.name), t: fs.statSync(path.join(root, d.name)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  const kept = done.filter((d) => keep.includes(d.name)).length;
  const others = done.filter((d) => !keep.includes(d.name));
  for (const old of others.slice(Math.max(0, DISK_ENTRIES - kept))) fs.rmSync(old.p, { recursive: true, force: true });
}
