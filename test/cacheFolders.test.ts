/**
 * The caches beside a config are written, read and pruned only in real folders, and a row set is bound to the files
 * this machine decoded it from: a cloned repository can neither redirect the caches (a `.reclens` or `.reclens/cache`
 * link to a folder of the user's, whose subfolders the row cache's pruning would remove) nor ship entries that a job
 * would use.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { requireConfig } from '../src/engine/config/loadConfig';
import { forgetRows } from '../src/engine/data/rowCache';
import { RecLensError } from '../src/engine/errors';
import { evaluate } from '../src/engine/evaluate';
import { withJob } from '../src/engine/job';
import { folderRefusal, ownedFolder } from '../src/engine/util/ownedFolder';
import { cli, tempDir, tinyRows, tinyWorkspace } from './helpers';

/** A folder of the user's with five subfolders: what a planted link would aim the cache's pruning at. */
function victim(): { dir: string; listing: () => string[] } {
  const dir = tempDir('reclens-victim-');
  for (let i = 0; i < 5; i++) {
    fs.mkdirSync(path.join(dir, `project-${i}`));
    fs.writeFileSync(path.join(dir, `project-${i}`, 'keep.txt'), String(i));
  }
  const listing = () => fs.readdirSync(dir, { recursive: true }).map(String).sort();
  return { dir, listing };
}

async function withSpill<T>(f: () => Promise<T>): Promise<T> {
  process.env.RECLENS_ROWS_MEMORY_MIB = '0';
  try {
    return await f();
  } finally {
    delete process.env.RECLENS_ROWS_MEMORY_MIB;
  }
}

test('ownedFolder makes the levels one by one and refuses a link or a file at any level', () => {
  const dir = tempDir();
  assert.equal(folderRefusal(dir, ['.reclens', 'cache']), undefined, 'missing levels are fine');
  const made = ownedFolder(dir, ['.reclens', 'cache']);
  assert.equal(made, path.join(dir, '.reclens', 'cache'));
  assert.ok(fs.lstatSync(made).isDirectory());

  const v = victim();
  const linked = tempDir();
  fs.symlinkSync(v.dir, path.join(linked, '.reclens'));
  assert.throws(
    () => ownedFolder(linked, ['.reclens', 'cache']),
    (e: unknown) => e instanceof RecLensError && /\.reclens is a symbolic link/.test(e.message),
  );
  assert.ok(!fs.existsSync(path.join(v.dir, 'cache')), 'nothing made behind the link');

  const inner = tempDir();
  fs.mkdirSync(path.join(inner, '.reclens'));
  fs.symlinkSync(v.dir, path.join(inner, '.reclens', 'cache'));
  assert.match(folderRefusal(inner, ['.reclens', 'cache']) ?? '', /cache is a symbolic link/);

  const file = tempDir();
  fs.writeFileSync(path.join(file, '.reclens'), 'x');
  assert.match(folderRefusal(file, ['.reclens', 'cache']) ?? '', /is not a folder/);
});

test('a spill into a linked .reclens/cache is refused with a message, and the folder behind the link is untouched', async () => {
  for (const level of ['.reclens', 'cache']) {
    const ws = tinyWorkspace({ rows: tinyRows(300, 3) as unknown as Record<string, unknown>[] });
    const v = victim();
    const before = v.listing();
    if (level === '.reclens') fs.symlinkSync(v.dir, path.join(ws.dir, '.reclens'));
    else {
      fs.mkdirSync(path.join(ws.dir, '.reclens'));
      fs.symlinkSync(v.dir, path.join(ws.dir, '.reclens', 'cache'));
    }
    const { config } = requireConfig(ws.config);
    forgetRows();
    await assert.rejects(
      withSpill(() => evaluate(config, { providers: ['cpu'], seed: 1 })),
      (e: unknown) =>
        e instanceof RecLensError && e.kind === 'input' && e.message.includes(`${level} is a symbolic link`),
    );
    assert.deepEqual(v.listing(), before, `${level}: nothing written or removed behind the link`);
  }
});

test("a row set copied with its workspace (a clone, an archive) is not reused: it is bound to this machine's files", async () => {
  const ws = tinyWorkspace({ rows: tinyRows(300, 4) as unknown as Record<string, unknown>[] });
  const { config } = requireConfig(ws.config);
  forgetRows();
  const first = await withSpill(() => evaluate(config, { providers: ['cpu'], seed: 1 }));
  forgetRows();
  const reusedHere = await withJob(config, { providers: ['cpu'] }, undefined, async (ctx) => ctx.mat.reused);
  assert.equal(reusedHere, true, 'the same files: the spilled rows are found');

  // The whole folder, cache included, copied with its timestamps kept (as `cp -a` or tar does).
  const copy = tempDir('reclens-clone-');
  fs.cpSync(ws.dir, copy, { recursive: true, preserveTimestamps: true });
  assert.equal(fs.readdirSync(path.join(copy, '.reclens', 'cache')).length, 1, 'the entry came along');
  const cloned = requireConfig(path.join(copy, 'reclens.json')).config;
  forgetRows();
  const result = await withJob(cloned, { providers: ['cpu'] }, undefined, async (ctx) => ctx.mat.reused);
  assert.equal(result, false, 'the copied entry is not used: the rows are decoded from the files');
  forgetRows();
  const again = await evaluate(cloned, { providers: ['cpu'], seed: 1 });
  assert.deepEqual({ ...again.result, seconds: 0 }, { ...first.result, seconds: 0 });
});

test('the model cache is never used behind a link: the job runs without it and writes nothing there', async () => {
  const ws = tinyWorkspace();
  const v = victim();
  const before = v.listing();
  fs.mkdirSync(path.join(ws.dir, '.reclens'));
  fs.symlinkSync(v.dir, path.join(ws.dir, '.reclens', 'model-cache'));
  // The model must be older than the racy window for a save to be attempted at all.
  const model = path.join(ws.dir, 'model.onnx');
  const age = Date.now() - fs.statSync(model).ctimeMs;
  if (age < 3100) await new Promise((r) => setTimeout(r, 3100 - age));
  const { config } = requireConfig(ws.config);
  const use = await withJob(config, { providers: ['cpu'] }, undefined, async (ctx) => {
    await ctx.score('inference');
    return ctx.rs.modelCache;
  });
  assert.ok(use !== 'hit' && use !== 'saved', `no cache used: ${use}`);
  assert.deepEqual(v.listing(), before);
});

test('reclens cache --clear removes the saved model graph too, and says so', async () => {
  const ws = tinyWorkspace();
  const model = path.join(ws.dir, 'model.onnx');
  const age = Date.now() - fs.statSync(model).ctimeMs;
  if (age < 3100) await new Promise((r) => setTimeout(r, 3100 - age));
  const { config } = requireConfig(ws.config);
  const use = await withJob(config, { providers: ['cpu'] }, undefined, async (ctx) => ctx.rs.modelCache);
  assert.equal(use, 'saved');
  const cache = path.join(ws.dir, '.reclens', 'model-cache');
  assert.ok(fs.readdirSync(cache).some((f) => f.endsWith('.ort')));
  const r = await cli('cache', '--config', ws.config, '--clear');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Removed 2 files \([\d.]+ MiB\) from \.reclens\/model-cache: saved model graphs/);
  assert.deepEqual(fs.readdirSync(cache), []);
});
