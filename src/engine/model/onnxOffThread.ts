/**
 * Parses a model's bytes in a worker thread (onnxWorker.ts). The bytes are RecLens's own protobuf reader's input,
 * and a hostile or merely huge model (millions of nodes) takes seconds to walk: on the extension host that would
 * freeze the editor (hovers, diagnostics and the Model tree inspect models as files open). Only the signature and
 * what jobs use come back; the bytes are transferred, not copied, both ways.
 */
import * as path from 'path';
import { Worker } from 'worker_threads';
import { ErrorWhere, inputError, RecLensError } from '../errors';
import type { LoadedOnnx, ModelInspection, OnnxGraphSummary } from './inspect';

/** 'load': inspection, graph summary, hash and the bytes back (jobs); 'inspect': the inspection only (the editor). */
export type OnnxJob = 'load' | 'inspect';

export interface OnnxWorkerRequest {
  file: string;
  job: OnnxJob;
  bytes: Uint8Array;
  /** The bytes' sha256 when already known (the model cache's memo by file stamp, modelCache.ts): not hashed again. */
  sha256?: string;
}

export type OnnxWorkerReply =
  | { ok: true; inspection: ModelInspection; graph?: OnnxGraphSummary; sha256?: string; bytes?: Uint8Array }
  | { ok: false; error: { kind: 'input' | 'usage'; message: string; where: ErrorWhere } | { internal: string } };

/**
 * The most the part that comes back (inputs, outputs, op type counts, embedding tables) may take as JSON. A real
 * model's is a few KiB; a crafted one with a million inputs would stall the thread that receives it.
 */
export const MAX_SIGNATURE_BYTES = 16 * 2 ** 20;

/** Heap for the worker: parsing a graph of a few hundred thousand nodes takes well under this. */
const WORKER_HEAP_MB = 2048;

export function parseOnnxOffThread(file: string, bytes: Buffer, job: 'load', sha256?: string): Promise<LoadedOnnx>;
export function parseOnnxOffThread(file: string, bytes: Buffer, job: 'inspect'): Promise<ModelInspection>;
export function parseOnnxOffThread(
  file: string,
  bytes: Buffer,
  job: OnnxJob,
  sha256?: string,
): Promise<LoadedOnnx | ModelInspection> {
  return new Promise((resolve, reject) => {
    // Transferring detaches the whole ArrayBuffer: a small Buffer shares Node's pool with others, so it is copied.
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
    const worker = new Worker(path.join(__dirname, 'onnxWorker.js'), {
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      f();
    };
    worker.once('message', (reply: OnnxWorkerReply) =>
      settle(() => {
        if (!reply.ok) {
          const err = reply.error;
          return reject(
            'internal' in err
              ? new Error(`ONNX worker failed: ${err.internal}`)
              : new RecLensError(err.kind, err.message, err.where),
          );
        }
        if (job === 'inspect') return resolve(reply.inspection);
        const b = reply.bytes!;
        resolve({
          bytes: Buffer.from(b.buffer, b.byteOffset, b.byteLength),
          sha256: reply.sha256!,
          inspection: reply.inspection,
          graph: reply.graph!,
        });
      }),
    );
    worker.once('error', (e: Error & { code?: string }) =>
      settle(() =>
        reject(
          e.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? inputError(
                `Model file ${file} holds a graph too large to inspect (parsing it needed more than ${WORKER_HEAP_MB.toLocaleString('en-US')} MiB). Check that it is the model you meant.`,
                { file, field: 'model' },
              )
            : e,
        ),
      ),
    );
    worker.once('exit', (code) => settle(() => reject(new Error(`ONNX worker exited (code ${code}) before replying`))));
    worker.postMessage({ file, job, bytes: own, ...(sha256 ? { sha256 } : {}) } satisfies OnnxWorkerRequest, [
      own.buffer as ArrayBuffer,
    ]);
  });
}
