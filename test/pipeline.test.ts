import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { requireConfig } from '../src/engine/config/loadConfig';
import { evaluate, scoreWorkspace } from '../src/engine/evaluate';
import { auc } from '../src/engine/metrics/auc';
import { inspectModel } from '../src/engine/model/inspect';
import { RemoteSession } from '../src/engine/model/remoteSession';
import { createSession } from '../src/engine/model/session';
import { openWorkspace } from '../src/engine/workspace';
import { ROOT, TINY_MODEL, tinyLogit, tinyRows, tinyWorkspace } from './helpers';

test('inspection reads the signature, opset and the Gather embedding table', async () => {
  const m = await inspectModel(TINY_MODEL);
  assert.deepEqual(
    m.inputs.map((i) => [i.name, i.dtype, i.shape]),
    [
      ['dense', 'float32', ['batch', 3]],
      ['item', 'int64', ['batch']],
    ],
  );
  assert.deepEqual(
    m.outputs.map((o) => o.name),
    ['prob', 'logit'],
  );
  assert.deepEqual(m.opsets, [{ domain: '', version: 13 }]);
  assert.equal(m.parameterCount, 3 + 1 + 20 + 1);
  assert.deepEqual(m.embeddingTables, [{ initializer: 'EMB', rows: 10, dim: 2, indexedBy: ['item'] }]);
});

test('onnxruntime scores equal the hand-computed ranker, across batch boundaries', async () => {
  const rows = tinyRows(333, 4);
  const { config } = tinyWorkspace({ rows: rows as never });
  const { config: cfg } = requireConfig(config);
  const ws = await openWorkspace(cfg);
  try {
    const rs = await RemoteSession.open(cfg.model.path, ['cpu'], 0, 'prob');
    const s = await scoreWorkspace(ws, rs, { batchSize: 50 });
    await rs.close();
    assert.equal(s.labels.length, 333);
    rows.forEach((r, i) => {
      assert.ok(Math.abs(s.scores[i] - 1 / (1 + Math.exp(-tinyLogit(r)))) < 1e-6, `row ${i}`);
      assert.equal(s.labels[i], r.label);
    });
    assert.equal(s.groupCount, 17);
  } finally {
    ws.close();
  }
});

test('logit output: AUC equals the probability output, LogLoss uses the sigmoid', async () => {
  const base = tinyWorkspace();
  const prob = (await evaluate(requireConfig(base.config).config, { providers: ['cpu'] })).result;
  const cfg = JSON.parse(fs.readFileSync(base.config, 'utf8'));
  cfg.model = { path: 'model.onnx', output: 'logit', outputKind: 'logit' };
  fs.writeFileSync(base.config, JSON.stringify(cfg));
  const logit = (await evaluate(requireConfig(base.config).config, { providers: ['cpu'] })).result;
  assert.equal(logit.auc, prob.auc);
  assert.ok(Math.abs(logit.logloss - prob.logloss) < 1e-6);
});

test('the provider chain records why CUDA and WebGPU were skipped and runs on CPU', async () => {
  const ms = await createSession(TINY_MODEL, ['cuda', 'webgpu', 'cpu']);
  assert.equal(ms.provider, 'cpu');
  assert.deepEqual(
    ms.fallbacks.map((f) => f.provider),
    ['cuda', 'webgpu'],
  );
  for (const f of ms.fallbacks) assert.ok(f.reason.length > 10);
});

test('MovieLens: onnxruntime reproduces the outputs and AUC torch recorded at export', async () => {
  const ref = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'movielens', 'torch_reference.json'), 'utf8'));
  const { config } = requireConfig(path.join(ROOT, 'examples', 'movielens', 'reclens.json'));
  const ws = await openWorkspace(config);
  try {
    const rs = await RemoteSession.open(config.model.path, ['cpu'], 0, 'prob');
    const s = await scoreWorkspace(ws, rs, {});
    await rs.close();
    assert.equal(s.labels.length, ref.rows);
    let pos = 0;
    for (const l of s.labels) pos += l;
    assert.equal(pos, ref.positives);
    ref.first_rows.forEach((p: number, i: number) =>
      assert.ok(Math.abs(s.scores[i] - p) < 1e-5, `row ${i}: ${s.scores[i]} vs torch ${p}`),
    );
    assert.ok(Math.abs(auc(s.labels, s.scores) - ref.auc) < 1e-4);
  } finally {
    ws.close();
  }
});

test('same seed, same numbers: eval with bootstrap is reproducible', async () => {
  const { config } = requireConfig(tinyWorkspace().config);
  const a = await evaluate(config, { seed: 5, bootstrap: 50, providers: ['cpu'] });
  const b = await evaluate(config, { seed: 5, bootstrap: 50, providers: ['cpu'] });
  assert.deepEqual(a.result.ci, b.result.ci);
  assert.equal(a.record.seed, 5);
  assert.equal(a.record.executionProvider, 'cpu');
  assert.equal(a.record.model.sha256.length, 64);
});

test('cancelling stops a run with a cancelled error', async () => {
  const { config } = requireConfig(tinyWorkspace({ rows: tinyRows(5000) as never }).config);
  const ac = new AbortController();
  let batches = 0;
  await assert.rejects(
    evaluate(
      config,
      { providers: ['cpu'], batchSize: 64 },
      {
        signal: ac.signal,
        onProgress: (e) => {
          if (e.phase === 'inference' && ++batches === 3) ac.abort();
        },
      },
    ),
    (e: Error) => e.name === 'RecLensError' && /cancelled/.test(e.message),
  );
  assert.ok(batches < 10, `stopped after ${batches} batches`);
});
