// The automatic slices' user and item keys numbered by the scoring stream (docs/performance.md, Round 8) equal the
// slices' own read of them: ids, distinct keys in first-seen order, masks, and eval's slice report; both paths run.
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { rowSegments } from '../src/engine/ablation/segments';
import { requireConfig } from '../src/engine/config/loadConfig';
import type { RecLensConfig } from '../src/engine/config/types';
import { streamBatches, type StreamStats } from '../src/engine/data/batches';
import { reusedRows } from '../src/engine/data/materialize';
import { forgetRows } from '../src/engine/data/rowCache';
import { evaluate } from '../src/engine/evaluate';
import { autoSlices } from '../src/engine/slices/auto';
import { streamedKeyIds, streamKeyIdsTyped } from '../src/engine/slices/keyIds';
import { openWorkspace } from '../src/engine/workspace';
import { ROOT, tinyRows, tinyWorkspace, writeCsv } from './helpers';

function movielens(filter?: string): RecLensConfig {
  const { config } = requireConfig(path.join(ROOT, 'examples', 'movielens', 'reclens.json'));
  if (filter) config.data.filter = filter;
  return config;
}

/**
 * A tiny workspace whose user and item keys are strings with nulls (the per-row path), the item a column no model
 * input reads (so the stream selects one more column), and an interactions log for new vs seen.
 */
function stringKeys(): RecLensConfig {
  const rows = tinyRows(500, 3).map((r, i) => ({
    ...r,
    user: i % 29 === 0 ? '' : `u${(i * 7) % 23}`,
    sku: i % 31 === 0 ? '' : i % 37 === 0 ? 'null' : `s${(i * 5) % 41}`,
    t: 1000 + i,
  }));
  const tiny = tinyWorkspace({ rows: rows as never });
  const dir = path.dirname(tiny.config);
  writeCsv(
    path.join(dir, 'log.csv'),
    Array.from({ length: 60 }, (_, i) => ({ who: `u${i % 11}`, what: `s${(i * 3) % 19}`, at: 900 + i })),
  );
  const cfg = JSON.parse(fs.readFileSync(tiny.config, 'utf8'));
  cfg.data = { ...cfg.data, item: 'sku', time: 't' };
  cfg.interactions = { path: 'log.csv', user: 'who', item: 'what', time: 'at' };
  fs.writeFileSync(tiny.config, JSON.stringify(cfg));
  return requireConfig(tiny.config).config;
}

test('the scoring stream numbers the automatic slices keys as their own read does: ids, distinct keys, masks', async () => {
  const cases: [string, RecLensConfig, number | undefined][] = [
    ['MovieLens', movielens(), undefined],
    ['MovieLens, a limit inside a chunk', movielens(), 1000],
    ['MovieLens, filtered', movielens('user_id % 2 = 0'), undefined],
    ['string keys with nulls, item not a model input', stringKeys(), undefined],
  ];
  for (const [what, config, limit] of cases) {
    const ws = await openWorkspace(config);
    try {
      const rows = Math.min(ws.data.rows, limit ?? Infinity);
      const streamed = streamedKeyIds(ws, rows);
      assert.ok(streamed, `${what}: the stream can give the keys`);
      const stats: StreamStats = { rows: 0, groupKeys: [], missingKeys: {} };
      let scored = 0;
      for await (const b of streamBatches(ws.duck, ws.plan, 333, stats, undefined, limit, [
        streamed.users,
        streamed.items,
      ]))
        scored += b.size;
      assert.equal(scored, rows);
      const keys = streamed.keys();
      const ctx = { config, ws, mat: { rows } };
      const own = await streamKeyIdsTyped(ctx, rows);
      assert.deepEqual(keys, own, `${what}: ids and distinct keys`);
      const auto = await autoSlices(ws, rows, keys);
      assert.deepEqual(auto, await autoSlices(ws, rows), `${what}: automatic slices`);
      // The segments' buckets equal ablation/segments.ts rowSegments' (the lookups run ahead of the keys).
      const segments = await rowSegments(ctx, own);
      assert.equal(segments.length, 2);
      for (const seg of segments)
        seg.buckets.forEach((b, k) => {
          const m = auto.masks.find((x) => x.name === `auto:${seg.name.replace(/\s+/g, '-')}=${b}`);
          assert.deepEqual(
            Array.from(m!.rows),
            Array.from(seg.of, (v) => (v === k ? 1 : 0)),
            `${what}: ${seg.name} ${b}`,
          );
        });
      if (what.startsWith('string')) {
        assert.ok(keys.users.distinct.includes('null') && keys.items.distinct.includes('null'), 'null keys seen');
        assert.ok(ws.plan.select.length < 10, 'the plan itself is unchanged');
      }
    } finally {
      ws.close();
    }
  }
});

test('eval: slices from the stream (cold) equal slices from their own read (rows reused), with and without a configured slice', async () => {
  for (const config of [movielens(), stringKeys()]) {
    if (config.data.item === 'sku') config.slices = [{ name: 'positive d0', where: { column: 'd0', gt: 0 } }];
    forgetRows();
    const ws = await openWorkspace(config);
    try {
      assert.ok(streamedKeyIds(ws, ws.data.rows), 'the cold eval takes the stream path');
    } finally {
      ws.close();
    }
    const cold = (await evaluate(config, { providers: ['cpu'], seed: 1, bootstrap: 20 })).result;
    const w2 = await openWorkspace(config);
    try {
      assert.ok(reusedRows(w2), 'the second eval scores kept rows: the slices read their keys themselves');
    } finally {
      w2.close();
    }
    const again = (await evaluate(config, { providers: ['cpu'], seed: 1, bootstrap: 20 })).result;
    forgetRows();
    const drop = (k: string, v: unknown) => (k === 'seconds' ? undefined : v);
    assert.ok(cold.slices && cold.slices.slices.length > 4, 'automatic slices present');
    assert.equal(JSON.stringify(cold, drop), JSON.stringify(again, drop));
  }
});
