// What the examples' build checks (movielens/build/verify.mjs, planted/build/check_onnx.mjs) share: reading .npy
// tables and a tie-aware AUC, written independently of the engine so the checks do not test RecLens with itself.

import fs from 'node:fs';

/** A little-endian float32 or int64 .npy file (C order): its shape and a typed array over its data. */
export function readNpy(file) {
  const buf = fs.readFileSync(file);
  if (buf.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(`${file}: not .npy`);
  const major = buf[6];
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 + hlen : 12 + hlen;
  const header = buf.toString('latin1', major === 1 ? 10 : 12, start);
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  const shape = /'shape':\s*\(([^)]*)\)/
    .exec(header)[1]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (/'fortran_order':\s*True/.test(header)) throw new Error(`${file}: fortran order`);
  const body = Uint8Array.from(buf.subarray(start)).buffer; // a copy: aligned for the typed array
  if (descr === '<f4') return { shape, data: new Float32Array(body) };
  if (descr === '<i8') return { shape, data: new BigInt64Array(body) };
  throw new Error(`${file}: unexpected dtype ${descr}`);
}

/** ROC AUC by the rank-sum formula, ties given their mean rank. */
export function auc(scores, labels) {
  const idx = Array.from(scores.keys()).sort((a, b) => scores[a] - scores[b]);
  let rankSumPos = 0,
    nPos = 0;
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]] === scores[idx[i]]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++)
      if (labels[idx[k]] === 1) {
        rankSumPos += r;
        nPos++;
      }
    i = j + 1;
  }
  const nNeg = idx.length - nPos;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
