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
import { releaseKeptSessions } from '../src/engine/model/sessionKeeper';
import { requireConfig } from '../src/engine/config/loadConfig';
import { forgetRows } from '../src/engine/data/rowCache';
import { RecLensError } from '../src/engine/errors';
import { evaluate } from '../src/engine/evaluate';
import { withJob } from '../src/engine/job';
import {
  DEFAULT_MODEL_CACHE_MAX_MB,
  modelCacheContents,
  modelCacheBound,
  trimModelCache,
} from '../src/engine/model/modelCacheContents';
import { holdCacheEntry } from '../src/engine/util/cacheHolds';
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
  assert.match(r.out, /Removed 3 files \([\d.]+ MiB\) from \.reclens\/model-cache: saved model graphs/);
  assert.match(r.out, /\n {2}model\.onnx: [\d.]+ MiB, used \d+ s ago/, 'which model, its size and last use');
  assert.deepEqual(fs.readdirSync(cache), []);
});

/** A workspace with two models (copies of the test fixture's) and a config for each, old enough to be cached. */
async function twoModels(): Promise<{ dir: string; configs: [string, string] }> {
  const ws = tinyWorkspace();
  fs.copyFileSync(path.join(ws.dir, 'model.onnx'), path.join(ws.dir, 'other.onnx'));
  const second = path.join(ws.dir, 'other.json');
  const raw = JSON.parse(fs.readFileSync(ws.config, 'utf8'));
  fs.writeFileSync(second, JSON.stringify({ ...raw, model: { ...raw.model, path: 'other.onnx' } }));
  for (const m of ['model.onnx', 'other.onnx']) {
    const age = Date.now() - fs.statSync(path.join(ws.dir, m)).ctimeMs;
    if (age < 3100) await new Promise((r) => setTimeout(r, 3100 - age));
  }
  return { dir: ws.dir, configs: [ws.config, second] };
}

/** Opens a job on `config` (the model's session: its graph saved, or loaded from the cache); how it loaded. */
async function load(config: string): Promise<string | undefined> {
  await releaseKeptSessions(); // each job loads its model (these tests are about the disk cache, not a kept worker)
  const c = requireConfig(config).config;
  return withJob(c, { providers: ['cpu'] }, undefined, async (ctx) => ctx.rs.modelCache);
}

test('reclens cache lists the saved model graphs (model, size, last use) beside the row sets', async () => {
  const { dir, configs } = await twoModels();
  assert.equal(await load(configs[0]), 'saved');
  assert.equal(await load(configs[1]), 'saved');
  assert.equal(await load(configs[0]), 'hit', 'the first is used again: the most recently used now');
  const listed = modelCacheContents(dir);
  assert.equal(listed.refused, undefined);
  assert.deepEqual(
    listed.entries.map((e) => e.model),
    [path.join(dir, 'model.onnx'), path.join(dir, 'other.onnx')],
    'most recently used first, each named by its model file',
  );
  for (const e of listed.entries) {
    assert.ok(e.files.some((f) => f.endsWith('.ort')) && e.files.includes(`model-${e.id}.json`), e.files.join());
    const onDisk = e.files.reduce((a, f) => a + fs.statSync(path.join(listed.dir, f)).size, 0);
    assert.equal(e.bytes, onDisk);
  }
  assert.equal(listed.bytes, listed.entries[0].bytes + listed.entries[1].bytes);

  const text = await cli('cache', '--config', configs[0]);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /\.reclens\/model-cache: 2 saved models, [\d.]+ MiB \(bound 4096\.0 MiB\):/);
  assert.match(text.out, /\n {2}model\.onnx: [\d.]+ MiB, used \d+ s ago\n {2}other\.onnx: [\d.]+ MiB, used \d+ s ago/);
  const json = JSON.parse((await cli('cache', '--config', configs[0], '--json')).out);
  assert.deepEqual(
    json.modelCache.entries.map((e: { id: string }) => e.id),
    listed.entries.map((e) => e.id),
  );
});

test('the model cache keeps to --model-cache-max-mb: least recently used first, never the one just used nor one held', async () => {
  const { dir, configs } = await twoModels();
  try {
    assert.equal(await load(configs[0]), 'saved');
    const [first] = modelCacheContents(dir).entries;
    // Room for one entry and a half: saving the second removes the first (least recently used, not held).
    modelCacheBound.setMB((first.bytes * 1.5) / 2 ** 20);
    assert.equal(await load(configs[1]), 'saved');
    assert.deepEqual(
      modelCacheContents(dir).entries.map((e) => e.model),
      [path.join(dir, 'other.onnx')],
      'the least recently used model went',
    );
    // Again, while a job of this process holds the second model's graph (loading it): it stays, over the bound.
    const graph = modelCacheContents(dir)
      .entries[0].files.filter((f) => f.endsWith('.ort'))
      .map((f) => path.join(dir, '.reclens', 'model-cache', f))[0];
    const release = holdCacheEntry(graph);
    assert.equal(await load(configs[0]), 'saved');
    assert.equal(modelCacheContents(dir).entries.length, 2, 'the held entry stayed');
    const [justUsed, heldOne] = modelCacheContents(dir).entries;
    assert.equal(heldOne.model, path.join(dir, 'other.onnx'));
    assert.deepEqual(trimModelCache(dir, 0), [justUsed.id], 'a trim to 0 spares only the held entry');
    release();
    assert.deepEqual(trimModelCache(dir, 0), [heldOne.id], 'released: it goes too');
    assert.deepEqual(fs.readdirSync(path.join(dir, '.reclens', 'model-cache')), [], 'every file of both entries');
    assert.equal(await load(configs[0]), 'saved', 'the next job saves the graph again');
  } finally {
    modelCacheBound.setMB(DEFAULT_MODEL_CACHE_MAX_MB);
  }
});

test('the model cache is neither listed nor trimmed behind a link at any level, nor when a level is a file', async () => {
  const { dir, configs } = await twoModels();
  assert.equal(await load(configs[0]), 'saved');
  const real = path.join(dir, '.reclens');
  const moved = path.join(tempDir('reclens-moved-'), '.reclens');
  fs.renameSync(real, moved); // the real cache, now outside: a planted link points at it
  for (const level of ['.reclens', 'model-cache']) {
    fs.rmSync(real, { recursive: true, force: true });
    if (level === '.reclens') fs.symlinkSync(moved, real);
    else {
      fs.mkdirSync(real);
      fs.symlinkSync(path.join(moved, 'model-cache'), path.join(real, 'model-cache'));
    }
    const before = fs.readdirSync(path.join(moved, 'model-cache')).sort();
    const listed = modelCacheContents(dir);
    const at = level === '.reclens' ? real : path.join(real, 'model-cache');
    assert.equal(listed.refused, folderRefusal(dir, ['.reclens', 'model-cache']));
    assert.ok(listed.refused?.startsWith(`${at} is a symbolic link`), listed.refused);
    assert.match(listed.refused ?? '', /Remove the link/);
    assert.deepEqual(listed.entries, []);
    assert.deepEqual(trimModelCache(dir, 0), []);
    const r = await cli('cache', '--config', configs[0]);
    assert.equal(r.code, 2, r.out + r.err);
    assert.match(r.out, /is a symbolic link/);
    assert.deepEqual(fs.readdirSync(path.join(moved, 'model-cache')).sort(), before, 'nothing behind the link touched');
  }
  fs.rmSync(real, { recursive: true, force: true });
  fs.writeFileSync(real, 'a file');
  assert.match(modelCacheContents(dir).refused ?? '', /\.reclens is not a folder\. Move it away/);
});

test('--model-cache-max-mb bounds the CLI job (listed in --help); reclens.modelCacheMaxMB is a machine setting', async () => {
  const { dir, configs } = await twoModels();
  assert.equal(await load(configs[0]), 'saved');
  const r = await cli('eval', '--config', configs[1], '--bootstrap', '0', '--no-record', '--model-cache-max-mb', '0');
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(
    modelCacheContents(dir).entries.map((e) => e.model),
    [path.join(dir, 'other.onnx')],
    'a bound of 0 keeps only the graph the job used',
  );
  assert.equal(modelCacheBound.bytes(), 0);
  await cli('cache', '--config', configs[0]); // the next command without the flag: the default again
  assert.equal(modelCacheBound.bytes(), DEFAULT_MODEL_CACHE_MAX_MB * 2 ** 20);
  const help = await cli('--help');
  assert.match(help.out, /--model-cache-max-mb MB +disk for saved model graphs in \.reclens\/model-cache;/);
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const setting = pkg.contributes.configuration.properties['reclens.modelCacheMaxMB'];
  assert.equal(setting.scope, 'machine');
  assert.equal(setting.default, DEFAULT_MODEL_CACHE_MAX_MB);
  assert.equal(setting.minimum, 0);
});
