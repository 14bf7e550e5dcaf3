/** Worker-thread entry that parses one model's bytes (see onnxOffThread.ts), replies once, and ends. */
import { createHash } from 'crypto';
import { parentPort } from 'worker_threads';
import { inputError, RecLensError } from '../errors';
import { loadOnnxBytes } from './inspect';
import { MAX_SIGNATURE_BYTES, OnnxWorkerReply, OnnxWorkerRequest } from './onnxOffThread';

function signatureBytes(value: unknown): number {
  try {
    return JSON.stringify(value).length;
  } catch {
    return Infinity; // longer than a string can be
  }
}

parentPort?.once('message', (req: OnnxWorkerRequest) => {
  let reply: OnnxWorkerReply;
  const transfer: ArrayBuffer[] = [];
  try {
    const bytes = Buffer.from(req.bytes.buffer, req.bytes.byteOffset, req.bytes.byteLength);
    const { inspection, graph } = loadOnnxBytes(req.file, bytes);
    const size = signatureBytes({ inspection, outputOps: graph.outputOps });
    if (size > MAX_SIGNATURE_BYTES) {
      throw inputError(
        `Model file ${req.file} declares a signature of ${size === Infinity ? 'more than 512' : (size / 2 ** 20).toFixed(0)} MiB (inputs, outputs, operator names); RecLens reads models whose signature is under ${MAX_SIGNATURE_BYTES / 2 ** 20} MiB. Check that it is the model you meant.`,
        { file: req.file, field: 'model' },
      );
    }
    if (req.job === 'inspect') reply = { ok: true, inspection };
    else {
      reply = {
        ok: true,
        inspection,
        graph,
        // Known from the file's stamp (workspace.ts readModel): hashing a 209 MB model is ~0.6 CPU s before a job can score.
        sha256: req.sha256 ?? createHash('sha256').update(bytes).digest('hex'),
        bytes: req.bytes,
      };
      transfer.push(req.bytes.buffer as ArrayBuffer);
    }
  } catch (e) {
    reply = {
      ok: false,
      error:
        e instanceof RecLensError && e.kind !== 'cancelled'
          ? { kind: e.kind, message: e.message, where: e.where }
          : { internal: String((e as Error)?.stack ?? e) },
    };
  }
  parentPort!.postMessage(reply, transfer);
});
