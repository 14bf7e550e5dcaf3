/**
 * The inference worker kept across jobs in one process (model/sessionKeeper.ts, job.ts openJob): the next job on
 * the same model reuses it; a rewritten model, two jobs at once, a cancelled job and a CLI run each get what they
 * should, and nothing leaks.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { requireConfig } from '../src/engine/config/loadConfig';
import type { RecLensConfig } from '../src/engine/config/types';
import { evaluate } from '../src/engine/evaluate';
import { withJob } from '../src/engine/job';
import { RemoteSession } from '../src/engine/model/remoteSession';
import { keptSessionCount, releaseKeptSessions } from '../src/engine/model/sessionKeeper';
import { modelFileReads } from '../src/engine/workspace';
import { tinyRows, tinyWorkspace } from './helpers';

async function settled(file: string): Promise<void> {
  const age = Date.now() - fs.statSync(file).ctimeMs;
  if (age < 3100) await new Promise((r) => setTimeout(r, 3100 - age));
}

async function settledConfig(rows = 400): Promise<{ config: RecLensConfig; model: string; file: string }> {
  const ws = tinyWorkspace({ rows: tinyRows(rows) as never });
  const model = path.join(ws.dir, 'model.onnx');
  await settled(model);
  return { config: requireConfig(ws.config).config, model, file: ws.config };
}

/** One job: which worker scored, how many jobs used it before, and the scores. */
function job(config: RecLensConfig, during?: () => Promise<unknown>) {
  return withJob(config, { providers: ['cpu'] }, undefined, async (ctx) => {
    const scores = Buffer.from((await ctx.score('inference')).buffer);
    await during?.();
    return { thread: ctx.rs.workerThreadId, reuses: ctx.rs.reuses, scores };
  });
}

test('the next job on the same model reuses the worker the last one left, and scores the same', async () => {
  await releaseKeptSessions();
  const { config } = await settledConfig();
  const live = RemoteSession.liveWorkers;
  const first = await job(config);
  assert.equal(first.reuses, 0);
  assert.equal(keptSessionCount(), 1, 'handed back when the job closed it');
  const reads = modelFileReads();
  const second = await job(config);
  assert.equal(second.thread, first.thread, 'the same worker thread');
  assert.equal(second.reuses, 1);
  assert.equal(modelFileReads(), reads, 'the model file is not read again');
  assert.ok(second.scores.equals(first.scores));
  // eval after it: the same worker again, same result as an eval on a fresh worker.
  const kept = await evaluate(config, { providers: ['cpu'], seed: 1 });
  assert.equal(keptSessionCount(), 1);
  await releaseKeptSessions();
  assert.equal(keptSessionCount(), 0);
  const fresh = await evaluate(config, { providers: ['cpu'], seed: 1 });
  assert.deepEqual({ ...kept.result, seconds: 0 }, { ...fresh.result, seconds: 0 });
  await releaseKeptSessions();
  await waitFor(() => RemoteSession.liveWorkers === live);
});

test('a rewritten model file is not served by the worker kept for it', async () => {
  await releaseKeptSessions();
  const { config, model } = await settledConfig();
  const first = await job(config);
  fs.writeFileSync(model, fs.readFileSync(model)); // same bytes, a new stamp
  const racy = await job(config);
  assert.notEqual(racy.thread, first.thread);
  assert.equal(racy.reuses, 0);
  await settled(model);
  const later = await job(config);
  assert.notEqual(later.thread, first.thread, 'the worker kept for the old stamp is never taken');
  assert.ok(later.scores.equals(first.scores));
  await releaseKeptSessions();
});

test('two jobs at once never share a worker; one is kept afterwards, the other ended', async () => {
  await releaseKeptSessions();
  const { config } = await settledConfig();
  const live = RemoteSession.liveWorkers;
  await job(config); // leaves one kept
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let started!: () => void;
  const inA = new Promise<void>((r) => (started = r));
  const a = job(config, () => (started(), gate)); // holds its worker until b has scored
  await inA;
  const b = await job(config);
  release();
  const ra = await a;
  assert.notEqual(ra.thread, b.thread);
  assert.equal(ra.reuses + b.reuses, 1, 'one of them took the kept worker');
  assert.ok(ra.scores.equals(b.scores));
  assert.equal(keptSessionCount(), 1);
  await waitFor(() => RemoteSession.liveWorkers === live + 1);
  await releaseKeptSessions();
  await waitFor(() => RemoteSession.liveWorkers === live);
});

test('a cancelled job ends its worker (nothing leaks); the next job opens a fresh one and works', async () => {
  await releaseKeptSessions();
  const { config } = await settledConfig(5000);
  const live = RemoteSession.liveWorkers;
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
  // Batches were in flight when it stopped: that worker is ended, not kept (or kept, if it had drained: never two).
  assert.ok(keptSessionCount() <= 1);
  await waitFor(() => RemoteSession.liveWorkers === live + keptSessionCount());
  const after = await evaluate(config, { providers: ['cpu'], seed: 1 });
  assert.equal(after.result.executionProvider, 'cpu');
  await releaseKeptSessions();
  await waitFor(() => RemoteSession.liveWorkers === live);
});

test('reclens eval exits at once with a worker kept idle (the idle worker and its timer hold no process open)', async () => {
  const { file } = await settledConfig();
  const script = `
    const { main } = require(${JSON.stringify(path.join(__dirname, '../src/cli/main.js'))});
    const { keptSessionCount } = require(${JSON.stringify(path.join(__dirname, '../src/engine/model/sessionKeeper.js'))});
    main(['eval', '--config', ${JSON.stringify(file)}, '--seed', '1'], { out: () => {}, err: (t) => console.error(t) })
      .then((code) => { console.log('code ' + code + ', kept ' + keptSessionCount()); process.exitCode = code; });`;
  // The idle timeout is 60 s: a process held open by the worker would be killed at 30 s and fail here.
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.signal, null, `killed: ${r.stderr.slice(-300)}`);
  assert.equal(r.status, 0, r.stderr.slice(-300));
  assert.equal(r.stdout.trim(), 'code 0, kept 1');
});

/** Waits (polling, no time limit but the test runner's) until `cond` holds: worker exits are reported asynchronously. */
async function waitFor(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 10));
}
