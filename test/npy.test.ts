import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { encodeNpy, parseNpy, readNpy } from '../src/engine/data/npy';
import { RecLensError } from '../src/engine/errors';
import { tempDir } from './helpers';

test('npy round trip for float32 and int64', () => {
  const a = { dtype: 'float32' as const, shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6.5]) };
  const back = parseNpy(encodeNpy(a), 'a.npy');
  assert.deepEqual(back.shape, [2, 3]);
  assert.deepEqual(Array.from(back.data as Float32Array), [1, 2, 3, 4, 5, 6.5]);
  const ids = { dtype: 'int64' as const, shape: [3], data: BigInt64Array.from([7n, -1n, 42n]) };
  assert.deepEqual(Array.from(parseNpy(encodeNpy(ids), 'ids.npy').data as BigInt64Array), [7n, -1n, 42n]);
});

test('a truncated npy is a clear input error naming the file', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'cut.npy');
  const full = encodeNpy({ dtype: 'float64', shape: [100, 4], data: new Float64Array(400) });
  fs.writeFileSync(file, full.subarray(0, full.length - 16));
  await assert.rejects(
    readNpy(file),
    (e: unknown) =>
      e instanceof RecLensError && e.exitCode === 2 && /cut\.npy/.test(e.message) && /truncated/.test(e.message),
  );
});
