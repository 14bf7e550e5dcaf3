/**
 * A model's load, cached across processes in `.reclens/model-cache` beside the config (docs/performance.md, "Round 8: the
 * real-size model's load"): onnxruntime's own optimised graph in its ORT format, which it loads from a buffer with
 * the initializers used in place (a 209 MB ranker: ~0.1 s instead of ~2 s of copying them into fresh pages), and
 * the model file's sha256 by its stamp, which names that graph before the job has read the file, with what the
 * workspace learned from the file's bytes (its inspection: inputs, outputs, the ops that make them), so that a job
 * whose graph is saved does not read or parse the 209 MB `.onnx` at all (docs/performance.md, "Round 9").
 *
 * Soundness. The saved graph is keyed by the model's content hash, onnxruntime's version, the provider, the session
 * options and the machine (arch and CPU model: onnxruntime's 'all' level picks kernels for the CPU it runs on). The
 * hash comes from a memo of the file's stamp (runs/hash.ts statStamp), remembered only under the same "racy" rule as
 * fileFingerprint's (a stamp taken within seconds of the file's ctime is not remembered), and a job still reads and
 * hashes the file it inspects: openJob compares that hash with the one the graph was chosen by, and the stamp after
 * the load with the stamp before. Entries are written to a dot-file and renamed (never a half-written entry); an
 * entry onnxruntime cannot load is rebuilt from the model; one entry per model file is kept.
 *
 * Security: the cached graph is derived only from the model file (itself untrusted input) by onnxruntime, and is
 * loaded by the same onnxruntime as a model; nothing in it is executed as code. A crafted entry can do no more than
 * a crafted model could.
 */
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ProviderName } from '../config/types';
import { FileStamp, fileStampOf } from '../runs/hash';
import { readPackageVersion } from '../runs/runRecord';
import { folderRefusal, ownedFolder } from '../util/ownedFolder';
import { holdCacheEntry } from '../util/cacheHolds';
import { modelGraphUsed } from './modelCacheContents';
import type { InspectedOnnx, ModelInspection } from './inspect';

/**
 * `<config folder>/.reclens/model-cache`: beside the decoded-row cache (`.reclens/cache`), not in it, since every
 * entry of that folder is a row set to the row cache's pruning, its size limit and `reclens cache`.
 */
export function modelCacheDir(configDir: string): string {
  return path.join(configDir, ...LEVELS);
}
const LEVELS = ['.reclens', 'model-cache'];

/** The cache folder when it may be used: never behind a symbolic link (util/ownedFolder.ts). */
function usableDir(configDir: string): string | undefined {
  return folderRefusal(configDir, LEVELS) ? undefined : modelCacheDir(configDir);
}

/** The model's stamp before a job reads it, and whether what is learned from it may be remembered under it. */
export type ModelStamp = Pick<FileStamp, 'stamp' | 'settled'>;

/** runs/hash.ts fileStampOf (the one stamp helper), under the name this module's callers know. */
export async function modelStamp(file: string): Promise<FileStamp | undefined> {
  return fileStampOf(file);
}

/** What the inference worker does with the cache: load a saved graph, or save the one it builds (or both: a saved
 * graph that fails to load is rebuilt). */
export interface ModelCacheFiles {
  load?: string;
  save?: string;
}

/** How the worker's session came about: from a saved graph, from the model with its graph saved, or neither. */
export type ModelCacheUse = 'hit' | 'saved' | 'off';

/** Remembered with the hash: the workspace's inspection of the bytes (see InspectedOnnx), for a job that skips them. */
interface RememberedInspection {
  /** This build's version and the entry's format: an inspection made by other code is made again. */
  reclens: string;
  format: number;
  inspection: ModelInspection;
  graph: InspectedOnnx['graph'];
}
const INSPECTION_FORMAT = 1;
let version: string | undefined;
const reclensVersion = () => (version ??= readPackageVersion());
/** A memo larger than this is not read (a real model's inspection is a few KiB; see MAX_SIGNATURE_BYTES). */
const MAX_MEMO_BYTES = 16 * 2 ** 20;

interface Memo {
  sha256: string;
  inspected?: RememberedInspection;
}

export interface ModelLoadPlan {
  files?: ModelCacheFiles;
  /** The hash the saved graph was chosen by (a hit), to compare with the hash of the bytes the job read. */
  expectedSha256?: string;
  /**
   * On a hit whose memo also holds the model's inspection: the hash and inspection, so the workspace need not read
   * or parse the file (onnxruntime loads the saved graph, not the file; openJob re-checks the stamp afterwards).
   */
  remembered?: InspectedOnnx;
  /** After the job has checked the model unchanged: keeps a graph the worker saved, remembers hash and inspection. */
  finish(onnx: InspectedOnnx, use: ModelCacheUse | undefined): void;
  /** Removes what the worker may have written (the job failed). */
  abandon(): void;
}

let ortVersion: string | undefined;
function onnxruntimeVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- its package.json, not the native module
  ortVersion ??= (require('onnxruntime-node/package.json') as { version: string }).version;
  return ortVersion;
}

const hex = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

/** The cache's name for a model file (its absolute path): one memo and at most one saved graph each. */
function modelId(file: string): string {
  return hex(path.resolve(file));
}

/** The sha256 the cache remembers for `file` at `stamp` (see statStamp), if any. */
export function knownModelSha256(configDir: string, file: string, stamp: string): string | undefined {
  const dir = usableDir(configDir);
  return dir && readMemo(dir, modelId(file), stamp)?.sha256;
}

/**
 * The memo of `id` if it is for `stamp`. Its inspection is kept only if it has the shape this build writes (an
 * entry from another build, cut short or edited is ignored, and rewritten by the job's finish).
 */
function readMemo(dir: string, id: string, stamp: string): Memo | undefined {
  try {
    const file = path.join(dir, `model-${id}.json`);
    if (fs.lstatSync(file).size > MAX_MEMO_BYTES) return undefined;
    const memo = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (typeof memo !== 'object' || memo === null) return undefined;
    const { stamp: s, sha256, inspected } = memo as { stamp?: unknown; sha256?: unknown; inspected?: unknown };
    if (s !== stamp || typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) return undefined;
    return { sha256, ...(validInspection(inspected) ? { inspected } : {}) };
  } catch {
    return undefined; // none, unreadable or not JSON: the hash is taken again
  }
}

const isArray = (v: unknown, each: (x: unknown) => boolean) => Array.isArray(v) && v.every(each);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const isString = (v: unknown) => typeof v === 'string';
const isValueInfo = (v: unknown) =>
  isRecord(v) &&
  isString(v.name) &&
  isString(v.dtype) &&
  (v.shape === null || isArray(v.shape, (d) => d === null || isString(d) || isNumber(d)));

/** Whether `v` has the shape of what finish() writes (see RememberedInspection). */
function validInspection(v: unknown): v is RememberedInspection {
  if (!isRecord(v) || v.format !== INSPECTION_FORMAT || v.reclens !== reclensVersion()) return false;
  const i = v.inspection,
    g = v.graph;
  return (
    isRecord(i) &&
    isRecord(g) &&
    isString(i.file) &&
    isString(i.producer) &&
    [i.bytes, i.irVersion, i.nodeCount, i.initializerCount, i.parameterCount].every(isNumber) &&
    isArray(i.opsets, (o) => isRecord(o) && isString(o.domain) && isNumber(o.version)) &&
    isArray(i.inputs, isValueInfo) &&
    isArray(i.outputs, isValueInfo) &&
    isRecord(i.opTypes) &&
    Object.values(i.opTypes).every(isNumber) &&
    isArray(
      i.embeddingTables,
      (t) =>
        isRecord(t) && isString(t.initializer) && isNumber(t.rows) && isNumber(t.dim) && isArray(t.indexedBy, isString),
    ) &&
    isArray(g.inputs, isValueInfo) &&
    isArray(g.outputs, isValueInfo) &&
    isArray(g.outputOps, (o) => isRecord(o) && isString(o.output) && isString(o.opType))
  );
}

/**
 * The remembered inspection as the workspace would have had it of `file`. Its op map is as the ONNX worker's reply
 * gives it: JSON.parse, like the structured clone of that reply, makes a "__proto__" op name an own property.
 */
function rememberedOnnx(file: string, sha256: string, r: RememberedInspection): InspectedOnnx {
  return {
    sha256,
    inspection: { ...r.inspection, file },
    graph: { inputs: r.graph.inputs, outputs: r.graph.outputs, outputOps: r.graph.outputOps },
  };
}

/** Writes `text` to `file` through a dot-file in the same folder and a rename. */
function writeAtomically(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}`);
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}

/** Makes the cache folder (onnxruntime does not), never through a link; false if it cannot be made. */
function made(configDir: string): boolean {
  try {
    ownedFolder(configDir, LEVELS);
    return true;
  } catch {
    return false;
  }
}

/** The cache's folders that do not exist yet, deepest first (what `made` would create). */
function missingLevels(configDir: string): string[] {
  const levels = LEVELS.map((_, i) => path.join(configDir, ...LEVELS.slice(0, i + 1)));
  return levels.filter((p) => !fs.existsSync(p)).reverse();
}

function removeIfEmpty(folder: string): void {
  try {
    fs.rmdirSync(folder); // fails on a folder with anything in it: then it is kept
  } catch {
    /* not empty, or gone */
  }
}

/** Leftovers of interrupted saves (a process killed while onnxruntime wrote) older than an hour. */
function pruneLeftovers(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith('.model-')) continue;
    const p = path.join(dir, name);
    try {
      if (Date.now() - fs.statSync(p).mtimeMs > 3600_000) fs.rmSync(p, { force: true });
    } catch {
      /* gone meanwhile */
    }
  }
}

/**
 * The cache's part in opening a model for a job. Only for the CPU provider first in the chain (a GPU provider's
 * optimised graph holds that provider's nodes, and a chain may fall back to another provider at load).
 */
export function planModelLoad(
  configDir: string,
  file: string,
  before: ModelStamp | undefined,
  providers: ProviderName[],
  threads: number,
): ModelLoadPlan {
  const off: ModelLoadPlan = { finish: () => undefined, abandon: () => undefined };
  const dir = usableDir(configDir);
  if (!dir || !before || (providers.length > 0 && providers[0] !== 'cpu')) return off;
  const id = modelId(file);
  const graphFile = (sha256: string) =>
    path.join(
      dir,
      `model-${id}-${hex(
        JSON.stringify({
          sha256,
          onnxruntime: onnxruntimeVersion(),
          provider: 'cpu',
          graphOptimizationLevel: 'all',
          threads,
          arch: process.arch,
          cpu: os.cpus()[0]?.model ?? '',
        }),
      )}.ort`,
    );
  const memo = readMemo(dir, id, before.stamp);
  const known = memo?.sha256;
  const load = known && fs.existsSync(graphFile(known)) ? graphFile(known) : undefined;
  // A graph is found again only through a remembered hash, which a racy stamp does not get: no save then (it costs
  // the job ~1.5 s and 209 MB written, for the real-size model).
  const newLevels = missingLevels(configDir);
  const save =
    before.settled && made(configDir)
      ? path.join(dir, `.model-${id}-${process.pid}-${randomBytes(4).toString('hex')}.ort`)
      : undefined;
  const release = load ? holdCacheEntry(load) : () => undefined; // the size bound spares it while the job loads it
  // A job that fails (a config error found while the model loads) leaves nothing behind: not its half-saved graph,
  // nor the folders it made for it while they are still empty.
  const abandon = () => {
    release();
    if (save) fs.rmSync(save, { force: true });
    for (const level of newLevels) removeIfEmpty(level);
  };
  return {
    files: { load, save },
    expectedSha256: load ? known : undefined,
    remembered: load && memo?.inspected ? rememberedOnnx(file, known!, memo.inspected) : undefined,
    abandon,
    finish: (onnx, use) => {
      const { sha256 } = onnx;
      try {
        if (use === 'saved' && save && fs.existsSync(save)) {
          const kept = graphFile(sha256);
          fs.renameSync(save, kept);
          for (const name of fs.readdirSync(dir)) {
            if (name.startsWith(`model-${id}-`) && name.endsWith('.ort') && path.join(dir, name) !== kept)
              fs.rmSync(path.join(dir, name), { force: true });
          }
        }
        if (before.settled && (known !== sha256 || !memo?.inspected)) {
          const inspected: RememberedInspection = {
            reclens: reclensVersion(),
            format: INSPECTION_FORMAT,
            inspection: onnx.inspection,
            graph: { inputs: onnx.graph.inputs, outputs: onnx.graph.outputs, outputOps: onnx.graph.outputOps },
          };
          writeAtomically(
            path.join(dir, `model-${id}.json`),
            JSON.stringify({ stamp: before.stamp, sha256, inspected }),
          );
        }
        pruneLeftovers(dir);
        // A kept worker (use undefined) was loaded from the saved graph too: it counts as a use for the size bound.
        if (use === 'saved') modelGraphUsed(configDir, graphFile(sha256), file);
        else if ((use === 'hit' || use === undefined) && load) modelGraphUsed(configDir, load, file);
      } catch {
        /* the cache is an optimisation: a failure to keep an entry costs the next job its load, nothing else */
      } finally {
        abandon();
      }
    },
  };
}

/** What clearing the model cache found and did (`reclens cache --clear`, "RecLens: Clear Cache"). */
export interface ModelCacheCleared {
  dir: string;
  files: number;
  bytes: number;
  removed: boolean;
  /** Why nothing was touched: the folder is behind a symbolic link, or not a folder. */
  refused?: string;
}

/** Removes the saved graphs and hash memos in `<configDir>/.reclens/model-cache`; never through a link. */
export function clearModelCache(configDir: string): ModelCacheCleared {
  const dir = modelCacheDir(configDir);
  const refused = folderRefusal(configDir, LEVELS);
  if (refused) return { dir, files: 0, bytes: 0, removed: false, refused };
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return { dir, files: 0, bytes: 0, removed: false }; // no cache yet
  }
  let files = 0,
    bytes = 0;
  for (const name of names) {
    const p = path.join(dir, name);
    const st = fs.lstatSync(p);
    if (st.isDirectory()) continue; // never made by RecLens: left alone
    files++;
    if (st.isFile()) bytes += st.size;
    fs.rmSync(p, { force: true }); // a link is removed as a link
  }
  return { dir, files, bytes, removed: files > 0 };
}

/** What clearing the model cache did, in the words the CLI and the editor use. */
export function describeModelCacheCleared(c: ModelCacheCleared): string {
  if (c.refused) return `Model cache not touched: ${c.refused}`;
  if (!c.removed) return `Nothing to remove: ${c.dir} holds no saved model.`;
  return `Removed ${c.files} file${c.files === 1 ? '' : 's'} (${(c.bytes / 2 ** 20).toFixed(1)} MiB) from ${c.dir}: saved model graphs, loaded faster than the model.`;
}
