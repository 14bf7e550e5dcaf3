/**
 * util/random.ts permutation() drawn in slices, yielding to the event loop between them: at 1M rows the draw takes
 * ~30-50 ms of the main thread, and drawn in one piece at a pass boundary it kept the main thread from feeding the
 * inference worker for that long (docs/performance.md, Round 9). Same Fisher-Yates, same rng calls in the same order:
 * the same permutation (test/tablePermuter.test.ts checks it against permutation()).
 */
import type { Random } from '../util/random';

/** Rows swapped between two yields (~2-3 ms on this VM). */
const SLICE = 1 << 16;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function slicedPermutation(n: number, rng: Random, slice = SLICE): Promise<Uint32Array> {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0;) {
    const stop = Math.max(0, i - slice);
    for (; i > stop; i--) {
      const j = Math.floor(rng() * (i + 1));
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    if (i > 0) await yieldToLoop();
  }
  return p;
}
