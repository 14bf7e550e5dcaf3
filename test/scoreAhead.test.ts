/**
 * Eval decodes batches ahead while the model still loads (evaluate.ts scoreWorkspace, MAX_AHEAD_BYTES): every
 * batch is still scored once, in place, when the session arrives late; a load that fails fails the scoring.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requireConfig } from '../src/engine/config/loadConfig';
import type { RowCollector } from '../src/engine/data/materialize';
import { scoreWorkspace } from '../src/engine/evaluate';
import { RemoteSession } from '../src/engine/model/remoteSession';
import { openWorkspace } from '../src/engine/workspace';
import { tinyLogit, tinyRows, tinyWorkspace } from './helpers';

test('batches decoded while the model loads are scored once each, in place, when it arrives', async () => {
  const rows = tinyRows(1000, 9);
  const { config } = tinyWorkspace({ rows: rows as never });
  const { config: cfg } = requireConfig(config);
  const ws = await openWorkspace(cfg);
  try {
    const rs = await RemoteSession.open(cfg.model.path, ['cpu'], 0, 'prob');
    let runs = 0;
    const counted = new Proxy(rs, {
      get: (t, k) =>
        k === 'run'
          ? (...a: Parameters<RemoteSession['run']>) => (runs++, t.run(...a))
          : (t as unknown as Record<PropertyKey, unknown>)[k],
    });
    // Released once the stream has decoded all 20 batches (the old code waited for the session after 3: the 20 s
    // fallback then releases it, and the assertion below fails).
    let decoded = 0,
      decodedAtLoad = -1,
      release!: () => void;
    const loaded = new Promise<void>((r) => (release = r));
    const fallback = setTimeout(() => release(), 20_000);
    const collect = {
      add: () => void (++decoded === 20 && release()),
      finishLater: async () => undefined,
      abort: () => undefined,
    };
    const late = loaded.then(() => ((decodedAtLoad = decoded), clearTimeout(fallback), counted));
    const s = await scoreWorkspace(ws, late, { batchSize: 50 }, undefined, collect as unknown as RowCollector);
    await rs.close();
    assert.equal(decodedAtLoad, 20, 'every batch was decoded while the model loaded');
    assert.equal(runs, 20, 'one run per batch');
    assert.equal(s.labels.length, 1000);
    rows.forEach((r, i) => {
      assert.ok(Math.abs(s.scores[i] - 1 / (1 + Math.exp(-tinyLogit(r)))) < 1e-6, `row ${i}`);
      assert.equal(s.labels[i], r.label);
    });
  } finally {
    ws.close();
  }
});

test('a model load that fails after batches were decoded ahead fails the scoring with its error', async () => {
  const { config } = tinyWorkspace({ rows: tinyRows(600, 3) as never });
  const { config: cfg } = requireConfig(config);
  const ws = await openWorkspace(cfg);
  try {
    const failed = new Promise<RemoteSession>((_, reject) => setTimeout(() => reject(new Error('load failed')), 200));
    await assert.rejects(scoreWorkspace(ws, failed, { batchSize: 50 }), /load failed/);
  } finally {
    ws.close();
  }
});
