/** Opening a job: the width-aware default batch size, and the model loaded while the workspace opens. */
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { rowWidth, widthAwareBatchSize } from '../src/engine/config/batchSize';
import { requireConfig } from '../src/engine/config/loadConfig';
import { DEFAULT_BATCH_SIZE } from '../src/engine/config/types';
import { evaluate } from '../src/engine/evaluate';
import { assertModelUnchanged, fileStamp, openJob, openWorkspaceAndSession } from '../src/engine/job';
import { RecLensError } from '../src/engine/errors';
import { openWorkspace } from '../src/engine/workspace';
import { tempDir, tinyRows, tinyWorkspace } from './helpers';

const table = (dim: number, indexedBy: string[]) => ({ initializer: `E${dim}`, rows: 1000, dim, indexedBy });

test('row width counts an id input as the widths of the embedding tables it indexes', () => {
  // A DLRM-sized ranker: 13 dense values and 26 ids into 64-d tables = 1,677 floats a row.
  const ids = Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, width: 1 }));
  const tables = ids.map((c) => table(64, [c.name]));
  assert.equal(rowWidth([{ name: 'dense', width: 13 }, ...ids], tables), 1677);
  // A list input of 6 ids into a shared 16-d table that a second input also indexes.
  assert.equal(
    rowWidth(
      [
        { name: 'genres', width: 6 },
        { name: 'item', width: 1 },
      ],
      [table(16, ['genres', 'item'])],
    ),
    6 * 16 + 16,
  );
});

test('the width-aware batch size: 8192 for narrow models, fewer rows for wide ones, never below 256', () => {
  assert.equal(widthAwareBatchSize(5), DEFAULT_BATCH_SIZE);
  assert.equal(widthAwareBatchSize(150), DEFAULT_BATCH_SIZE); // the MovieLens bench model's width
  assert.equal(widthAwareBatchSize(512), DEFAULT_BATCH_SIZE); // 8192 x 512 floats = the 16 MiB budget
  assert.equal(widthAwareBatchSize(513), 4096);
  assert.equal(widthAwareBatchSize(1677), 2048); // the DLRM-sized bench ranker
  assert.equal(widthAwareBatchSize(1e6), 256);
});

test('a config without runtime.batchSize gets the width-aware default; one that sets it keeps it', async () => {
  const rows = tinyRows(120) as never;
  const unset = tinyWorkspace({
    rows,
    config: {
      model: { path: 'model.onnx', output: 'prob', outputKind: 'probability' },
      data: { path: 'data.csv', label: 'label', group: 'user' },
      inputs: { dense: { columns: ['d0', 'd1', 'd2'] }, item: { column: 'item' } },
      runtime: { executionProviders: ['cpu'] },
    },
  });
  const ws = await openWorkspace(requireConfig(unset.config).config);
  try {
    // tiny.onnx: 3 dense values + an item id into a 2-d table = 5 floats a row.
    assert.equal(rowWidth(ws.plan.inputs, ws.model.embeddingTables), 5);
    assert.equal(ws.batchSize, DEFAULT_BATCH_SIZE);
  } finally {
    ws.close();
  }
  const set = tinyWorkspace({ rows }); // runtime.batchSize: 64
  const ev = await evaluate(requireConfig(set.config).config, { providers: ['cpu'] });
  assert.equal(ev.record.options.batchSize, 64);
  const ev2 = await evaluate(requireConfig(unset.config).config, { providers: ['cpu'] });
  assert.equal(ev2.record.options.batchSize, DEFAULT_BATCH_SIZE);
  assert.equal(ev2.result.auc, ev.result.auc); // same rows, same scores at any batch size
});

test('the session opened beside the workspace scores as before, and its record hashes the model it ran', async () => {
  const { config } = tinyWorkspace();
  const cfg = requireConfig(config).config;
  const { ws, rs } = await openWorkspaceAndSession(cfg, ['cpu']);
  try {
    assert.equal(rs.provider, 'cpu');
    const scores = await rs.run(1, [
      { name: 'dense', dtype: 'float32', dims: [3], data: new Float32Array([0, 0, 0]) },
      { name: 'item', dtype: 'int64', dims: [], data: new BigInt64Array([0n]) },
    ]);
    assert.equal(scores.length, 1);
    assert.ok(scores[0] > 0 && scores[0] < 1);
    const { createHash } = await import('crypto');
    assert.equal(ws.onnx.sha256, createHash('sha256').update(fs.readFileSync(cfg.model.path)).digest('hex'));
  } finally {
    await rs.close();
    ws.close();
  }
});

test('a workspace error comes first, and the model worker does not keep the process alive', async () => {
  const { config } = tinyWorkspace();
  const raw = JSON.parse(fs.readFileSync(config, 'utf8'));
  raw.model.output = 'nope';
  fs.writeFileSync(config, JSON.stringify(raw));
  await assert.rejects(
    openWorkspaceAndSession(requireConfig(config).config, ['cpu']),
    (e: unknown) => e instanceof RecLensError && /model\.output "nope" is not an output/.test(e.message),
  );
  const missing = tinyWorkspace();
  const cfg = requireConfig(missing.config).config;
  fs.rmSync(cfg.model.path);
  await assert.rejects(
    openJob(cfg, ['cpu']),
    (e: unknown) => e instanceof RecLensError && /model\.onnx cannot be read/.test(e.message),
  );
});

test('onnxruntime refusing the model before the workspace has opened: its error, no unhandled rejection', async () => {
  // tiny.onnx with its Gather renamed (same length, so RecLens's parser still reads it): onnxruntime knows no such
  // op and fails within a second, while the workspace is still counting 300,000 rows of CSV.
  const { config } = tinyWorkspace({ rows: tinyRows(300_000) as never });
  const cfg = requireConfig(config).config;
  const bytes = fs.readFileSync(cfg.model.path);
  const at = bytes.indexOf('Gather');
  assert.ok(at > 0);
  bytes.write('Gathxr', at);
  fs.writeFileSync(cfg.model.path, bytes);
  await assert.rejects(
    openWorkspaceAndSession(cfg, ['cpu']),
    (e: unknown) => e instanceof RecLensError && /onnxruntime could not load model/.test(e.message),
  );
  // node:test fails a test on an unhandled rejection; give one a moment to surface.
  await new Promise((r) => setTimeout(r, 200));
});

test('a model file rewritten or touched between its stamp and the check is an error', async () => {
  const { config } = tinyWorkspace();
  const file = requireConfig(config).config.model.path;
  const changed = (e: unknown) => e instanceof RecLensError && /changed while RecLens opened it/.test(e.message);
  let before = await fileStamp(file);
  await assertModelUnchanged(file, before); // untouched: passes
  fs.appendFileSync(file, Buffer.from([0])); // rewritten: size and mtime move
  await assert.rejects(assertModelUnchanged(file, before), changed);
  before = await fileStamp(file);
  fs.utimesSync(file, new Date(0), new Date(0)); // same bytes, other mtime
  await assert.rejects(assertModelUnchanged(file, before), changed);
  await assert.rejects(assertModelUnchanged(file, undefined), changed); // no stamp before: cannot vouch for it
});

test('a workspace that fails while onnxruntime is still loading a large model: the job fails, the process lives', () => {
  // Terminating the inference worker inside onnxruntime's session creation aborted the whole process (Napi::Error ->
  // std::terminate); in the editor that is the extension host. A child process, so an abort fails this test only.
  const dir = tempDir();
  const script = `
    const fs = require('fs');
    const { RemoteSession } = require(${JSON.stringify(path.join(__dirname, '../src/engine/model/remoteSession.js'))});
    const { buildKnnModel } = require(${JSON.stringify(path.join(__dirname, '../src/engine/embedding/knnGraph.js'))});
    const rows = 400000, dim = 64;
    const file = ${JSON.stringify(path.join(dir, 'large.onnx'))};
    fs.writeFileSync(file, buildKnnModel(new Float32Array(rows * dim).fill(0.125), rows, dim, 3)); // ~100 MB
    const failing = new Promise((_, reject) => setTimeout(() => reject(new Error('workspace failed')), 150));
    RemoteSession.open(file, ['cpu'], 0, failing).then(
      () => console.log('opened'),
      (e) => { console.log('rejected: ' + e.message); setTimeout(() => console.log('alive'), 300); },
    );`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, `exit ${r.status} ${r.signal ?? ''}: ${r.stderr.slice(-300)}`);
  assert.match(r.stdout, /rejected: workspace failed\nalive/);
});

test('a workspace error while onnxruntime loads: the job fails at once, the worker ends by itself afterwards', () => {
  // The user hears of the workspace's error without waiting for onnxruntime's load (seconds for a large model); the
  // worker cannot be terminated inside that native call, so it ends at its first reply. In a child process, so an
  // abort or a worker keeping the process alive for ever fails this test only.
  const dir = tempDir();
  const out = (f: string) => JSON.stringify(path.join(__dirname, f));
  const script = `
    const fs = require('fs');
    const path = require('path');
    const { RemoteSession } = require(${out('../src/engine/model/remoteSession.js')});
    const { buildKnnModel } = require(${out('../src/engine/embedding/knnGraph.js')});
    const { requireConfig } = require(${out('../src/engine/config/loadConfig.js')});
    const { openJob } = require(${out('../src/engine/job.js')});
    const { tinyWorkspace } = require(${out('./helpers.js')});
    process.on('unhandledRejection', (e) => { console.log('unhandled: ' + e); process.exitCode = 1; });
    const large = buildKnnModel(new Float32Array(400000 * 64).fill(0.125), 400000, 64, 3); // ~100 MB
    (async () => {
      // openJob: a workspace that fails (a wrong model.output) beside onnxruntime loading a large model.
      const { config } = tinyWorkspace();
      const raw = JSON.parse(fs.readFileSync(config, 'utf8'));
      raw.model.output = 'nope';
      fs.writeFileSync(config, JSON.stringify(raw));
      const cfg = requireConfig(config).config;
      fs.writeFileSync(cfg.model.path, large);
      await openJob(cfg, ['cpu']).then(() => console.log('opened'), (e) => console.log('openJob: ' + e.message.split(' of ')[0]));
      await RemoteSession.endingInBackground();
      console.log('ended: ' + RemoteSession.loadingInBackground);
      // The order, without timing: an output already rejected rejects open() before the worker's first reply.
      const file = path.join(${JSON.stringify(dir)}, 'large.onnx');
      fs.writeFileSync(file, large);
      await RemoteSession.open(file, ['cpu'], 0, Promise.reject(new Error('workspace failed'))).then(
        () => console.log('opened'),
        (e) => console.log('open: ' + e.message + '; still loading: ' + RemoteSession.loadingInBackground),
      );
      await RemoteSession.endingInBackground();
      console.log('ended: ' + RemoteSession.loadingInBackground);
      setTimeout(() => console.log('alive'), 100);
    })();`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, `exit ${r.status} ${r.signal ?? ''}: ${r.stdout.slice(-300)} ${r.stderr.slice(-300)}`);
  assert.equal(
    r.stdout,
    'openJob: model.output "nope" is not an output\nended: 0\n' +
      'open: workspace failed; still loading: 1\nended: 0\nalive\n',
  );
});
