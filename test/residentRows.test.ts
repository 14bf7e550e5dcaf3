/**
 * Rows kept by the inference worker (model/residentRows.ts): ablation's passes send only the inputs they change, and
 * the worker feeds the others as views of the rows it keeps. Every number must be what the copy-every-input path
 * gives, whether all rows, the first batches or none are kept, in memory or spilled; cancelling still works.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ablate, AblationResult } from '../src/engine/ablation/ablate';
import { requireConfig } from '../src/engine/config/loadConfig';
import { forgetRows } from '../src/engine/data/rowCache';
import { withJob } from '../src/engine/job';
import { keptRowCount } from '../src/engine/model/residentRows';
import { tinyRows, tinyWorkspace } from './helpers';

const run = async (cfg: string, opts: Parameters<typeof ablate>[1] = {}) => {
  const r = (
    await ablate(requireConfig(cfg).config, { seed: 5, repeats: 2, bootstrap: 30, providers: ['cpu'], ...opts })
  ).result;
  return { ...r, seconds: 0 } as AblationResult;
};

/** Runs `fn` with environment variables set (undefined: removed), restoring them afterwards. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

// The tiny workspace: dense (3 x float32) + item (int64) = 20 bytes a row, batches of 64 rows.
const ROW_BYTES = 20;

test('keptRowCount: all rows when they fit the budget, else whole batches of the first rows when they are at least half, or none', () => {
  const inputs = [
    { name: 'dense', dtype: 'float32', dims: [3], width: 3 },
    { name: 'item', dtype: 'int64', dims: [1], width: 1 },
  ] as unknown as Parameters<typeof keptRowCount>[0];
  assert.equal(keptRowCount(inputs, 700, 64, 700 * ROW_BYTES), 700);
  assert.equal(keptRowCount(inputs, 700, 64, 699 * ROW_BYTES), 640);
  assert.equal(keptRowCount(inputs, 700, 64, 400 * ROW_BYTES), 384);
  assert.equal(keptRowCount(inputs, 700, 64, 349 * ROW_BYTES), 0, 'under half the rows: none');
  assert.equal(keptRowCount(inputs, 700, 64, 63 * ROW_BYTES), 0);
});

test('ablate with all rows kept, the first batches kept, or none: every number the same, in memory and spilled', async () => {
  const ws = tinyWorkspace({ rows: tinyRows(700, 11) as unknown as Record<string, unknown>[] });
  const variants: Record<string, Record<string, string | undefined>> = {
    none: { RECLENS_KEPT_ROWS_MIB: '0' },
    all: { RECLENS_KEPT_ROWS_MIB: undefined },
    firstBatches: { RECLENS_KEPT_ROWS_MIB: String((8 * 64 * ROW_BYTES + 7) / 2 ** 20) },
    spilledFirstBatches: {
      RECLENS_KEPT_ROWS_MIB: String((6 * 64 * ROW_BYTES) / 2 ** 20),
      RECLENS_ROWS_MEMORY_MIB: String(6000 / 2 ** 20),
    },
  };
  for (const opts of [{}, { method: 'permute' as const, withinGroup: true, repeats: 3 }]) {
    const results: Record<string, AblationResult> = {};
    for (const [name, vars] of Object.entries(variants)) {
      forgetRows();
      results[name] = await withEnv(vars, () => run(ws.config, opts));
    }
    assert.ok(results.none.results.length > 0);
    for (const name of Object.keys(variants)) assert.deepEqual(results[name], results.none, `${name} = none`);
  }
});

test('runKept: a kept batch scores as the same rows fed whole; a replaced input wins; other rows are refused; dropRows lets them go', async () => {
  const ws = tinyWorkspace({ rows: tinyRows(500, 3) as unknown as Record<string, unknown>[] });
  forgetRows();
  await withJob(requireConfig(ws.config).config, { providers: ['cpu'] }, undefined, async (ctx) => {
    const { rs, mat } = ctx;
    const zeros = (inp: (typeof mat.inputs)[number], n: number) =>
      inp.dtype === 'int64' ? new BigInt64Array(n * inp.width) : new Float32Array(n * inp.width);
    const feeds = (start: number, end: number, replace?: string) =>
      mat.inputs.map((inp) => ({
        name: inp.name,
        dtype: inp.dtype,
        dims: inp.dims,
        data: inp.name === replace ? zeros(inp, end - start) : mat.columns.read(inp.name, start, end),
      }));
    const batches = [
      [0, 64],
      [64, 128],
      [437, 500],
    ];
    const whole = [];
    for (const [start, end] of batches) {
      whole.push(await rs.run(end - start, feeds(start, end)));
      assert.deepEqual(await rs.runKept(start, end, feeds(start, end), true), whole.at(-1), 'a kept batch scores');
    }
    for (const [b, [start, end]] of batches.entries()) {
      assert.deepEqual(await rs.runKept(start, end, []), whole[b], `rows ${start}-${end} from the kept batch`);
      const want = await rs.run(end - start, feeds(start, end, 'dense'));
      assert.notDeepEqual(want, whole[b], 'the replacement changes the scores');
      const replaced = feeds(start, end, 'dense').filter((f) => f.name === 'dense');
      assert.deepEqual(await rs.runKept(start, end, replaced), want, `rows ${start}-${end}, dense replaced`);
    }
    await assert.rejects(rs.runKept(128, 192, []), /rows 128-192 are not kept/);
    await assert.rejects(rs.runKept(0, 63, []), /rows 0-63 are not kept/);
    rs.dropRows();
    await assert.rejects(rs.runKept(0, 64, []), /rows 0-64 are not kept/);
    // Plain runs are unaffected by kept rows coming and going.
    assert.deepEqual(await rs.run(64, feeds(0, 64)), whole[0]);
  });
});

test('cancelling a pass that feeds kept rows stops ablate with a cancelled error, and the next run gives the same numbers', async () => {
  const ws = tinyWorkspace({ rows: tinyRows(3000, 8) as unknown as Record<string, unknown>[] });
  forgetRows();
  const ac = new AbortController();
  await assert.rejects(
    ablate(
      requireConfig(ws.config).config,
      { seed: 2, repeats: 3, bootstrap: 0, providers: ['cpu'] },
      {
        signal: ac.signal,
        onProgress: (e) => {
          if (e.phase.startsWith('mask') && e.done > 0) ac.abort();
        },
      },
    ),
    (e: Error) => e.name === 'RecLensError' && /cancelled/.test(e.message),
  );
  const kept = await run(ws.config, { repeats: 1, bootstrap: 0 });
  const none = await withEnv({ RECLENS_KEPT_ROWS_MIB: '0' }, () => run(ws.config, { repeats: 1, bootstrap: 0 }));
  assert.deepEqual(kept, none);
});
