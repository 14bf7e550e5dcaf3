/**
 * The model cache (model/modelCache.ts): onnxruntime's saved graph scores bit for bit as the model does, later jobs
 * load it, and a stale, unreadable or racy entry is never used.
 */
import assert from 'node:assert/strict';
import { createHash } from 'crypto';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { requireConfig } from '../src/engine/config/loadConfig';
import { withJob } from '../src/engine/job';
import { createSession, ort } from '../src/engine/model/session';
import { releaseKeptSessions } from '../src/engine/model/sessionKeeper';
import { setAllowedFolders } from '../src/engine/util/fileRoots';
import { tempDir, tinyRows } from './helpers';

const ROOT = path.join(__dirname, '..', '..');
const TINY = path.join(ROOT, 'test', 'fixtures', 'tiny.onnx');
const EXAMPLE = path.join(ROOT, 'examples', 'movielens', 'model.onnx');

/** Waits until `file`'s ctime is old enough for the cache to remember its hash (a fresh checkout may be seconds old). */
async function settled(file: string): Promise<void> {
  const age = Date.now() - fs.statSync(file).ctimeMs;
  if (age < 3100) await new Promise((r) => setTimeout(r, 3100 - age));
}

/** Seeded feeds for any model: ids 0..2 for integer inputs, values in [-1, 1) for float ones, 64 rows. */
function feedsFor(session: InferenceSession): Record<string, Tensor> {
  const { Tensor: T } = ort();
  let s = 7;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const feeds: Record<string, Tensor> = {};
  session.inputMetadata.forEach((m, k) => {
    if (!m.isTensor) throw new Error(`input ${m.name} is not a tensor`);
    const dims = m.shape.map((d, i) => (typeof d === 'number' && d > 0 ? d : i === 0 ? 64 : 4));
    const n = dims.reduce((a, b) => a * b, 1);
    feeds[session.inputNames[k]] =
      m.type === 'int64'
        ? new T(
            'int64',
            BigInt64Array.from({ length: n }, (_, i) => BigInt(i % 3)),
            dims,
          )
        : m.type === 'int32'
          ? new T(
              'int32',
              Int32Array.from({ length: n }, (_, i) => i % 3),
              dims,
            )
          : new T('float32', Float32Array.from({ length: n }, rnd), dims);
  });
  return feeds;
}

async function outputBytes(session: InferenceSession, feeds: Record<string, Tensor>): Promise<Buffer> {
  const out = await session.run(feeds);
  return Buffer.concat(
    session.outputNames.map((name) => {
      const d = out[name].data as Float32Array;
      return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
    }),
  );
}

for (const [label, model] of [
  ['the test fixture', TINY],
  ['the example model', EXAMPLE],
] as const) {
  test(`onnxruntime's saved graph of ${label} scores bit for bit as the model loaded from its file`, async () => {
    const dir = tempDir();
    const saved = path.join(dir, 'model.ort');
    const plain = await createSession(model, ['cpu']);
    const saving = await createSession(model, ['cpu'], 0, { save: saved });
    assert.equal(saving.cache, 'saved');
    assert.ok(fs.statSync(saved).size > 0);
    const loaded = await createSession(model, ['cpu'], 0, { load: saved });
    assert.equal(loaded.cache, 'hit');
    const feeds = feedsFor(plain.session);
    const expected = await outputBytes(plain.session, feeds);
    assert.ok(expected.length > 0);
    assert.ok(expected.equals(await outputBytes(saving.session, feeds)));
    assert.ok(expected.equals(await outputBytes(loaded.session, feeds)));
    for (const s of [plain, saving, loaded]) await s.session.release();
  });
}

test('a saved graph that does not load is rebuilt from the model; without cache files nothing is saved', async () => {
  const dir = tempDir();
  const bad = path.join(dir, 'model.ort');
  fs.writeFileSync(bad, 'not a flatbuffer');
  const rebuilt = await createSession(TINY, ['cpu'], 0, { load: bad, save: path.join(dir, 'new.ort') });
  assert.equal(rebuilt.cache, 'saved');
  assert.ok(fs.existsSync(path.join(dir, 'new.ort')));
  const none = await createSession(TINY, ['cpu']);
  assert.equal(none.cache, undefined);
  await rebuilt.session.release();
  await none.session.release();
});

/** A workspace whose config points at `model` (absolute) in a fresh folder, and the folder's model cache. */
function workspaceFor(model: string, runtime: Record<string, unknown> = {}) {
  const dir = tempDir();
  setAllowedFolders([path.dirname(model)]); // the model stays where it is (its ctime old enough to be remembered)
  fs.writeFileSync(
    path.join(dir, 'data.csv'),
    [
      'user,item,d0,d1,d2,label',
      ...tinyRows(200).map((r) => [r.user, r.item, r.d0, r.d1, r.d2, r.label].join(',')),
    ].join('\n'),
  );
  const file = path.join(dir, 'reclens.json');
  fs.writeFileSync(
    file,
    JSON.stringify({
      model: { path: model, output: 'prob', outputKind: 'probability' },
      data: { path: 'data.csv', label: 'label', group: 'user' },
      inputs: { dense: { columns: ['d0', 'd1', 'd2'] }, item: { column: 'item' } },
      runtime: { executionProviders: ['cpu'], batchSize: 64, ...runtime },
    }),
  );
  return { config: requireConfig(file).config, cache: path.join(dir, '.reclens', 'model-cache') };
}

async function job(config: ReturnType<typeof workspaceFor>['config']) {
  await releaseKeptSessions(); // each job loads the model (these tests are about the disk cache, not a kept worker)
  return withJob(config, { providers: ['cpu'] }, undefined, async (ctx) => ({
    scores: Buffer.from((await ctx.score('inference')).buffer),
    use: ctx.rs.modelCache,
    sha256: ctx.ws.onnx.sha256,
  }));
}

const graphs = (cache: string) => fs.readdirSync(cache).filter((f) => f.endsWith('.ort'));

test('jobs: the first saves the graph and the hash, the next loads them; same scores, same model sha256', async () => {
  await settled(TINY);
  const { config, cache } = workspaceFor(TINY);
  const sha = createHash('sha256').update(fs.readFileSync(TINY)).digest('hex');
  const first = await job(config);
  assert.equal(first.use, 'saved');
  assert.equal(first.sha256, sha);
  assert.equal(graphs(cache).length, 1);
  const memo = fs.readdirSync(cache).filter((f) => f.endsWith('.json'));
  assert.equal(memo.length, 1);
  assert.equal(JSON.parse(fs.readFileSync(path.join(cache, memo[0]), 'utf8')).sha256, sha);
  const second = await job(config);
  assert.equal(second.use, 'hit');
  assert.equal(second.sha256, sha);
  assert.ok(first.scores.equals(second.scores));
  // No leftovers of the save (dot-files) once the entry is in place.
  assert.deepEqual(
    fs.readdirSync(cache).filter((f) => f.startsWith('.')),
    [],
  );

  // An unreadable entry: rebuilt, and the scores are still the model's.
  fs.writeFileSync(path.join(cache, graphs(cache)[0]), 'garbage');
  const third = await job(config);
  assert.equal(third.use, 'saved');
  assert.ok(first.scores.equals(third.scores));
  assert.equal((await job(config)).use, 'hit');

  // Other session options make another entry, which replaces this model's old one (one entry per model).
  const other = workspaceFor(TINY, { threads: 1 });
  fs.cpSync(cache, other.cache, { recursive: true });
  const before = graphs(other.cache);
  const threads1 = await job(other.config);
  assert.equal(threads1.use, 'saved');
  assert.equal(graphs(other.cache).length, 1);
  assert.notDeepEqual(graphs(other.cache), before);
  assert.ok(first.scores.equals(threads1.scores));
});

test('a hash remembered for another stamp, or an unreadable memo, is not used: the file is hashed', async () => {
  await settled(TINY);
  const { config, cache } = workspaceFor(TINY);
  const sha = createHash('sha256').update(fs.readFileSync(TINY)).digest('hex');
  assert.equal((await job(config)).use, 'saved');
  const memo = path.join(
    cache,
    fs.readdirSync(cache).find((f) => f.endsWith('.json'))!,
  );
  const entry = JSON.parse(fs.readFileSync(memo, 'utf8'));
  fs.writeFileSync(memo, JSON.stringify({ stamp: `${entry.stamp}0`, sha256: 'f'.repeat(64) }));
  const stale = await job(config);
  assert.equal(stale.sha256, sha);
  assert.equal(stale.use, 'saved'); // no hash for this stamp: its graph is not looked for, and is saved again
  fs.writeFileSync(memo, '{ not json');
  const unreadable = await job(config);
  assert.equal(unreadable.sha256, sha);
  assert.equal(unreadable.use, 'saved');
  assert.equal((await job(config)).use, 'hit');
});

test('a model written seconds ago: its hash is not remembered (racy stamp), and no graph is saved or loaded', async () => {
  const dir = tempDir();
  const fresh = path.join(dir, 'fresh.onnx');
  fs.copyFileSync(TINY, fresh);
  const { config, cache } = workspaceFor(fresh);
  // Touched just before each job (its ctime now): a slow job on a loaded machine must not let the file age past 3 s.
  const touched = () => fs.utimesSync(fresh, new Date(), new Date());
  touched();
  const first = await job(config);
  assert.equal(first.use, 'off');
  assert.ok(!fs.existsSync(cache), 'nothing written: no graph, no hash');
  touched();
  assert.equal((await job(config)).use, 'off');
});

test('a job whose config is refused while the model loads leaves nothing in the workspace (no cache folder, no half-saved graph)', async () => {
  await settled(TINY); // a settled model: the job plans to save its graph, so it makes the cache folder
  const { config } = workspaceFor(TINY);
  const cfg = JSON.parse(fs.readFileSync(config.file, 'utf8'));
  cfg.data.filter = 'no_such_column > 1'; // found out by DuckDB while onnxruntime loads the model
  fs.writeFileSync(config.file, JSON.stringify(cfg));
  const before = fs.readdirSync(config.dir).sort();
  // A CLI process, as a user runs it: it exits only when its work (the worker's load and the clean-up) is over.
  const script = `
    const { main } = require(${JSON.stringify(path.join(__dirname, '../src/cli/main.js'))});
    main(['eval', '--config', ${JSON.stringify(config.file)}, '--no-record', '--allow-outside', ${JSON.stringify(path.dirname(TINY))}], { out: () => {}, err: (t) => console.error(t) })
      .then((code) => { process.exitCode = code; });`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.signal, null, `killed: ${r.stderr.slice(-300)}`);
  assert.equal(r.status, 2, r.stderr.slice(-300));
  assert.match(r.stderr, /no_such_column/);
  assert.deepEqual(fs.readdirSync(config.dir).sort(), before, 'nothing written in the workspace');
});
