// The decoding thread's shortcuts (docs/performance.md, Round 7) give what the plain paths gave: typed key ids,
// typed table and list reads, the row-cache key's content sample, and the spill written from a libuv thread.
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { streamKeyIds } from '../src/engine/ablation/segments';
import { requireConfig } from '../src/engine/config/loadConfig';
import { streamBatches, type FeedArray, type StreamStats } from '../src/engine/data/batches';
import { DenseIds, type Key, normaliseKey } from '../src/engine/data/keys';
import { limitClause } from '../src/engine/data/limitClause';
import { forgetRows } from '../src/engine/data/rowCache';
import { evaluate } from '../src/engine/evaluate';
import { withJob } from '../src/engine/job';
import { fileFingerprint, sha256 } from '../src/engine/runs/hash';
import { streamKeyIdsTyped } from '../src/engine/slices/keyIds';
import { seededRandom } from '../src/engine/util/random';
import { openWorkspace } from '../src/engine/workspace';
import { ROOT, tempDir, tinyRows, tinyWorkspace } from './helpers';

/** The Map lookup DenseIds replaces. */
function mapIds(keys: Key[]): { ids: number[]; distinct: Key[] } {
  const at = new Map<Key, number>(),
    distinct: Key[] = [];
  const ids = keys.map((k) => {
    let id = at.get(k);
    if (id === undefined) {
      id = distinct.length;
      at.set(k, id);
      distinct.push(k);
    }
    return id;
  });
  return { ids, distinct };
}

test('DenseIds numbers keys as a Map does: first-seen ids and distinct keys, whatever mix of key kinds', () => {
  const rng = seededRandom(7);
  const pick = (): Key => {
    const r = rng();
    if (r < 0.5) return Math.floor(rng() * 3000); // small integers: the typed table
    if (r < 0.6) return (1 << 22) + Math.floor(rng() * 50); // integers past the table
    if (r < 0.7) return -Math.floor(rng() * 20);
    if (r < 0.75) return Math.floor(rng() * 20) + 0.5;
    if (r < 0.8) return [NaN, -0, 0, 2 ** 40, Infinity][Math.floor(rng() * 5)];
    return `k${Math.floor(rng() * 40)}`;
  };
  const keys = Array.from({ length: 20000 }, pick);
  const ref = mapIds(keys);
  const one = new DenseIds();
  assert.deepEqual(
    keys.map((k) => one.id(k)),
    ref.ids,
  );
  assert.deepEqual(one.distinct, ref.distinct);
  // idsOf over typed arrays (numbers, and 64-bit integers read as normaliseKey reads them), in pieces
  const nums = keys.filter((k): k is number => typeof k === 'number');
  const numRef = mapIds(nums);
  const typed = new DenseIds(),
    out = new Int32Array(nums.length + 5);
  const f64 = Float64Array.from(nums);
  for (let from = 0; from < nums.length; from += 777)
    typed.idsOf(f64, from, Math.min(nums.length, from + 777), out, from + 5);
  assert.deepEqual(Array.from(out.subarray(5)), numRef.ids);
  assert.deepEqual(typed.distinct, numRef.distinct);
  const ints = nums.filter((k) => Number.isInteger(k) && Math.abs(k) < 2 ** 50);
  const big = BigInt64Array.from(ints, (k) => BigInt(k));
  const bigIds = new DenseIds(),
    bigOut = new Uint32Array(ints.length);
  bigIds.idsOf(big, 0, ints.length, bigOut, 0);
  const bigRef = mapIds(Array.from(big, (b) => normaliseKey(b)));
  assert.deepEqual(Array.from(bigOut), bigRef.ids);
  assert.deepEqual(bigIds.distinct, bigRef.distinct);
});

/** fileFingerprint's sample as it was first written: two fresh zeroed buffers, concatenated, hashed once. */
function concatenatedSample(file: string): string {
  const size = fs.statSync(file).size;
  const fd = fs.openSync(file, 'r');
  try {
    const n = Math.min(size, 1 << 20);
    const head = Buffer.alloc(n);
    fs.readSync(fd, head, 0, n, 0);
    const tail = Buffer.alloc(n);
    fs.readSync(fd, tail, 0, n, Math.max(0, size - n));
    return sha256(Buffer.concat([head, tail])).slice(0, 16);
  } finally {
    fs.closeSync(fd);
  }
}

test("fileFingerprint's sample (a reused buffer, remembered per stamp) is the concatenated hash, for files under, between and over 1 and 2 MiB", () => {
  const dir = tempDir();
  const rng = seededRandom(3);
  for (const size of [0, 1, 1000, 2 ** 20 - 1, 2 ** 20, 2 ** 20 + 7, 3 * 2 ** 20 + 11]) {
    const f = path.join(dir, `f${size}.bin`);
    fs.writeFileSync(
      f,
      Uint8Array.from({ length: size }, () => Math.floor(rng() * 256)),
    );
    assert.equal(fileFingerprint(f).sample, concatenatedSample(f), `size ${size}`);
    assert.equal(fileFingerprint(f).sample, concatenatedSample(f), `size ${size}, asked again`);
  }
});

/** The MovieLens example workspace (lists, a table, integer user and item keys), optionally filtered. */
function movielens(filter?: string) {
  const { config } = requireConfig(path.join(ROOT, 'examples', 'movielens', 'reclens.json'));
  if (filter) config.data.filter = filter;
  return config;
}

test('streamKeyIdsTyped gives streamKeyIds ids and distinct keys: MovieLens integer keys, and string keys', async () => {
  const config = movielens();
  const ws = await openWorkspace(config);
  try {
    const ctx = { config, ws, mat: { rows: ws.data.rows } };
    const fast = await streamKeyIdsTyped(ctx, ws.data.rows);
    assert.deepEqual(fast, await streamKeyIds(ctx, ws.data.rows));
    assert.ok(fast.users.distinct.length > 100 && typeof fast.users.distinct[0] === 'number');
    const fewer = await streamKeyIdsTyped(ctx, 1000);
    assert.deepEqual(fewer, await streamKeyIds(ctx, 1000), 'a row limit inside a chunk');
  } finally {
    ws.close();
  }
  const rows = tinyRows(300, 2).map((r, i) => ({ ...r, user: `u${(i * 7) % 23}`, t: i }));
  const tiny = tinyWorkspace({ rows: rows as never });
  const cfg = JSON.parse(fs.readFileSync(tiny.config, 'utf8'));
  cfg.data = { ...cfg.data, item: 'item', time: 't' };
  fs.writeFileSync(tiny.config, JSON.stringify(cfg));
  const { config: c2 } = requireConfig(tiny.config);
  const w2 = await openWorkspace(c2);
  try {
    const ctx = { config: c2, ws: w2, mat: { rows: 300 } };
    const fast = await streamKeyIdsTyped(ctx, 300);
    assert.deepEqual(fast, await streamKeyIds(ctx, 300));
    assert.equal(fast.users.distinct.length, 23);
    assert.equal(fast.users.distinct[1], 'u7');
  } finally {
    w2.close();
  }
});

test('streamBatches: typed table reads and list copies equal the values DuckDB returns row by row (lists with gaps after a filter)', async () => {
  // The filter leaves every other row, so DuckDB hands over list vectors whose rows are not back to back.
  for (const filter of [undefined, 'user_id % 2 = 0']) {
    const config = movielens(filter);
    const ws = await openWorkspace(config);
    try {
      const n = Math.min(ws.data.rows, 5000);
      const stats: StreamStats = { rows: 0, groupKeys: [], missingKeys: {} };
      const got = new Map<string, number[]>(ws.plan.inputs.map((i) => [i.name, []]));
      const groups: number[] = [];
      for await (const b of streamBatches(ws.duck, ws.plan, 777, stats, undefined, n)) {
        for (const inp of ws.plan.inputs)
          got.get(inp.name)!.push(...Array.from(b.feeds.get(inp.name)! as FeedArray, Number));
        groups.push(...b.groups!);
      }
      const ref = await ws.duck.conn.runAndReadAll(
        `SELECT ${ws.plan.select.join(', ')} FROM ${ws.plan.fromClause} LIMIT ${n}`,
      );
      const table = ref.getRows();
      assert.equal(stats.rows, table.length);
      for (const inp of ws.plan.inputs) {
        const want: number[] = [];
        for (const row of table) {
          if (inp.source.kind === 'table') {
            const k = row[inp.source.keyIndex];
            const r = k === null ? undefined : inp.source.table.index.get(normaliseKey(k));
            const v =
              r === undefined
                ? inp.source.table.fallback
                : inp.source.table.vectors.subarray(r * inp.width, (r + 1) * inp.width);
            want.push(...Array.from(v));
          } else
            for (const part of inp.source.parts) {
              const v = row[part.index] as unknown;
              if (part.list) want.push(...(v as { items: number[] }).items.map(Number));
              else want.push(Number(v));
            }
        }
        // float32 inputs: the reference's doubles rounded as the feed stores them
        const round = inp.dtype === 'float32' ? (x: number) => Math.fround(x) : (x: number) => x;
        assert.deepEqual(got.get(inp.name), want.map(round), `input ${inp.name}, filter ${filter}`);
      }
      const groupRef = mapIds(table.map((row) => normaliseKey(row[ws.plan.groupIndex!])));
      assert.deepEqual(groups, groupRef.ids);
      assert.deepEqual(stats.groupKeys, groupRef.distinct);
    } finally {
      ws.close();
    }
  }
});

test('eval spills its decoded rows from a libuv thread: the same result, one complete cache entry, the next job reuses it', async () => {
  const ws = tinyWorkspace({ rows: tinyRows(900, 8) as unknown as Record<string, unknown>[] });
  const { config } = requireConfig(ws.config);
  forgetRows();
  const inMemory = (await evaluate(config, { providers: ['cpu'], seed: 1 })).result;
  assert.ok(!fs.existsSync(path.join(ws.dir, '.reclens', 'cache')), 'small rows stay in memory');
  forgetRows();
  process.env.RECLENS_ROWS_MEMORY_MIB = '0';
  try {
    const spilled = (await evaluate(config, { providers: ['cpu'], seed: 1 })).result;
    assert.deepEqual({ ...spilled, seconds: 0 }, { ...inMemory, seconds: 0 });
    const entries = fs.readdirSync(path.join(ws.dir, '.reclens', 'cache'));
    assert.equal(entries.length, 1, `one entry, no temporary folders: ${entries}`);
    const entry = path.join(ws.dir, '.reclens', 'cache', entries[0]);
    assert.ok(fs.existsSync(path.join(entry, 'manifest.json')));
    assert.equal(fs.statSync(path.join(entry, 'labels.bin')).size, 900);
    forgetRows();
    const next = await withJob(config, { providers: ['cpu'] }, undefined, async (ctx) => ({
      reused: ctx.mat.reused,
      labels: Array.from(ctx.mat.labels),
      item: Array.from(ctx.mat.columns.get('item')! as BigInt64Array, Number),
    }));
    assert.equal(next.reused, true, 'a new session finds the spilled rows on disk');
    const rows = tinyRows(900, 8);
    assert.deepEqual(
      next.labels,
      rows.map((r) => r.label),
    );
    assert.deepEqual(
      next.item,
      rows.map((r) => r.item),
    );
  } finally {
    delete process.env.RECLENS_ROWS_MEMORY_MIB;
  }
});

test('limitClause: no LIMIT when it would keep every row (DuckDB reads up to an order-preserving LIMIT first)', () => {
  assert.equal(limitClause(1000, 1000), '');
  assert.equal(limitClause(Infinity, 1000), '');
  assert.equal(limitClause(999.7, 1000), ' LIMIT 999');
  assert.equal(limitClause(-3, 1000), ' LIMIT 0');
});
