/**
 * The model's inspection remembered by its file stamp (model/modelCache.ts, workspace.ts openScoringWorkspace): a job
 * whose saved graph is loaded does not read the model file at all, and gets the same hash, inspection and results;
 * a rewritten file, a corrupt memo or a cache folder behind a link make the job read the file as before.
 */
import assert from 'node:assert/strict';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { requireConfig } from '../src/engine/config/loadConfig';
import type { RecLensConfig } from '../src/engine/config/types';
import { evaluate } from '../src/engine/evaluate';
import { withJob } from '../src/engine/job';
import { releaseKeptSessions } from '../src/engine/model/sessionKeeper';
import { modelFileReads } from '../src/engine/workspace';
import { tempDir, tinyWorkspace } from './helpers';

/** Waits until `file`'s ctime is old enough for the cache to remember what is learned from it. */
async function settled(file: string): Promise<void> {
  const age = Date.now() - fs.statSync(file).ctimeMs;
  if (age < 3100) await new Promise((r) => setTimeout(r, 3100 - age));
}

async function settledWorkspace(): Promise<{ dir: string; config: RecLensConfig; model: string; memo: () => string }> {
  const ws = tinyWorkspace();
  const model = path.join(ws.dir, 'model.onnx');
  await settled(model);
  const cache = path.join(ws.dir, '.reclens', 'model-cache');
  const memo = () =>
    path.join(
      cache,
      fs.readdirSync(cache).find((f) => f.endsWith('.json'))!,
    );
  return { dir: ws.dir, config: requireConfig(ws.config).config, model, memo };
}

/** One job (a fresh worker each time: these tests are about the file read, not a kept worker). */
async function job(config: RecLensConfig) {
  await releaseKeptSessions();
  const reads = modelFileReads();
  const r = await withJob(config, { providers: ['cpu'] }, undefined, async (ctx) => ({
    scores: Buffer.from((await ctx.score('inference')).buffer),
    use: ctx.rs.modelCache,
    sha256: ctx.ws.onnx.sha256,
    model: ctx.ws.model,
    output: ctx.ws.outputName,
    batchSize: ctx.ws.batchSize,
  }));
  return { ...r, read: modelFileReads() - reads };
}

test('a hit reads no model file: same hash, inspection, output and scores as the job that read it', async () => {
  const { config, model, memo } = await settledWorkspace();
  const sha = createHash('sha256').update(fs.readFileSync(model)).digest('hex');
  const first = await job(config);
  assert.equal(first.use, 'saved');
  assert.equal(first.read, 1);
  const entry = JSON.parse(fs.readFileSync(memo(), 'utf8'));
  assert.equal(entry.sha256, sha);
  assert.deepEqual(entry.inspected.inspection.inputs, first.model.inputs);
  const second = await job(config);
  assert.equal(second.use, 'hit');
  assert.equal(second.read, 0, 'the model file is not read on a hit');
  assert.equal(second.sha256, sha);
  assert.deepEqual(second.model, first.model); // opTypes too, with the prototype the worker's reply gives it
  assert.equal(second.output, first.output);
  assert.equal(second.batchSize, first.batchSize);
  assert.ok(second.scores.equals(first.scores));
});

test('a rewritten model file is read and inspected again; so is one whose memo is corrupt', async () => {
  const { config, model, memo } = await settledWorkspace();
  await job(config);
  assert.equal((await job(config)).read, 0);
  // Rewritten (the same bytes: only the stamp says it changed): read again, and remembered again once settled.
  fs.writeFileSync(model, fs.readFileSync(model));
  const racy = await job(config);
  assert.equal(racy.read, 1);
  await settled(model);
  assert.equal((await job(config)).read, 1, 'the old memo is for the old stamp');
  const after = await job(config);
  assert.equal(after.read, 0);
  assert.equal(after.use, 'hit');
  // A memo whose inspection does not have the shape this build writes: ignored, the file read, the memo rewritten.
  for (const spoil of [
    (e: { inspected: { inspection: Record<string, unknown> } }) => (e.inspected.inspection.inputs = 5),
    (e: { inspected: { format: number } }) => (e.inspected.format = 999),
    (e: { inspected: { reclens: string } }) => (e.inspected.reclens = '0.0.0-other'),
  ]) {
    const entry = JSON.parse(fs.readFileSync(memo(), 'utf8'));
    spoil(entry);
    fs.writeFileSync(memo(), JSON.stringify(entry));
    const spoiled = await job(config);
    assert.equal(spoiled.read, 1);
    assert.equal(spoiled.use, 'hit', 'the saved graph is still used; only the inspection is made again');
    assert.deepEqual(spoiled.model, after.model);
    assert.equal((await job(config)).read, 0, 'rewritten by the job that read the file');
  }
  fs.writeFileSync(memo(), '{ cut sho');
  assert.equal((await job(config)).read, 1);
});

test('a model cache behind a link: the model file is read by every job, nothing is written there', async () => {
  const ws = tinyWorkspace();
  const victim = tempDir();
  fs.mkdirSync(path.join(ws.dir, '.reclens'));
  fs.symlinkSync(victim, path.join(ws.dir, '.reclens', 'model-cache'));
  await settled(path.join(ws.dir, 'model.onnx'));
  const { config } = requireConfig(ws.config);
  const first = await job(config);
  const second = await job(config);
  assert.deepEqual([first.read, second.read], [1, 1]);
  assert.deepEqual(fs.readdirSync(victim), []);
});

test('eval with the inspection remembered gives the same result and record as eval that read the model', async () => {
  const { config } = await settledWorkspace();
  await releaseKeptSessions();
  const reads = modelFileReads();
  const first = await evaluate(config, { providers: ['cpu'], seed: 1 });
  await releaseKeptSessions();
  const second = await evaluate(config, { providers: ['cpu'], seed: 1 });
  assert.equal(modelFileReads() - reads, 1, 'only the first eval read the model file');
  assert.deepEqual({ ...second.result, seconds: 0 }, { ...first.result, seconds: 0 });
  assert.deepEqual(second.record.model, first.record.model);
});
