/**
 * The decoded-rows cache's disk bound (`reclens.rowCacheMaxMB`, `--row-cache-max-mb`; see docs/getting-started.md):
 * after each spill the least recently used row sets go first, never the one just written nor one a job of this process
 * holds (held while it reads them, released when it ends, cancelled or failed too), and trimming has clearing's safety
 * (no link followed, writes in progress left alone).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { requireConfig } from '../src/engine/config/loadConfig';
import { materialize } from '../src/engine/data/materialize';
import { forgetRows } from '../src/engine/data/rowCache';
import {
  DEFAULT_ROW_CACHE_MAX_MB,
  rowSetsToEvict,
  setRowCacheMaxMB,
  trimRowCache,
} from '../src/engine/data/rowCacheDisk';
import { CancelledError } from '../src/engine/errors';
import { evaluate } from '../src/engine/evaluate';
import { withJob } from '../src/engine/job';
import { heldEntriesIn } from '../src/engine/util/cacheHolds';
import { openWorkspace } from '../src/engine/workspace';
import { cli, tempDir, tinyWorkspace } from './helpers';

test('rowSetsToEvict: least recently used first until the rest fits; kept sets stay even over the bound', () => {
  const entries = [
    { name: 'a', bytes: 100, usedMs: 1 },
    { name: 'b', bytes: 200, usedMs: 3 },
    { name: 'c', bytes: 300, usedMs: 2 },
  ];
  assert.deepEqual(rowSetsToEvict(entries, 600), [], 'all fit');
  assert.deepEqual(rowSetsToEvict(entries, 599), ['a']);
  assert.deepEqual(rowSetsToEvict(entries, 350), ['a', 'c'], 'oldest use first, until 200 <= 350');
  assert.deepEqual(rowSetsToEvict(entries, 350, ['a']), ['c'], 'a set in use is never evicted');
  assert.deepEqual(rowSetsToEvict(entries, 50, ['c']), ['a', 'b'], 'a kept set over the bound stays, alone');
  assert.deepEqual(rowSetsToEvict([], 0), []);
});

/** `<dir>/.reclens/cache/<name>/rows.bin` of `bytes` bytes, last used `ageS` seconds ago. */
function rowSet(dir: string, name: string, bytes: number, ageS: number): void {
  const p = path.join(dir, '.reclens', 'cache', name);
  fs.mkdirSync(p, { recursive: true });
  fs.writeFileSync(path.join(p, 'rows.bin'), Buffer.alloc(bytes));
  const t = new Date(Date.now() - ageS * 1000);
  fs.utimesSync(p, t, t);
}

test('trimRowCache removes the least recently used sets on disk, not writes in progress, not what a link points to', () => {
  const dir = tempDir('reclens-trim-');
  const outside = tempDir('reclens-outside-');
  fs.writeFileSync(path.join(outside, 'precious.bin'), Buffer.alloc(1000));
  rowSet(dir, 'old', 64, 300);
  rowSet(dir, 'mid', 64, 200);
  rowSet(dir, 'new', 64, 100);
  rowSet(dir, '.partial-write', 64, 500); // another process's write in progress: not counted, not touched
  const cache = path.join(dir, '.reclens', 'cache');
  fs.symlinkSync(outside, path.join(cache, 'linked'));

  assert.deepEqual(trimRowCache(dir, 192), [], 'three sets of 64 bytes fit in 192');
  assert.deepEqual(trimRowCache(dir, 150, ['old']), ['mid'], 'the oldest not in use goes first');
  assert.deepEqual(fs.readdirSync(cache).sort(), ['.partial-write', 'linked', 'new', 'old']);
  assert.deepEqual(trimRowCache(dir, 0), ['old', 'new']);
  assert.deepEqual(fs.readdirSync(cache).sort(), ['.partial-write', 'linked']);
  assert.deepEqual(fs.readdirSync(outside), ['precious.bin'], 'nothing behind the link was touched');
});

test('trimRowCache leaves a linked .reclens alone', () => {
  const dir = tempDir('reclens-trim-');
  const outside = tempDir('reclens-outside-');
  rowSet(outside, 'set', 64, 100);
  fs.symlinkSync(path.join(outside, '.reclens'), path.join(dir, '.reclens'));
  assert.deepEqual(trimRowCache(dir, 0), []);
  assert.ok(fs.existsSync(path.join(outside, '.reclens', 'cache', 'set', 'rows.bin')));
});

/** The row sets in `<dir>/.reclens/cache` (no writes in progress), sorted. */
const rowSets = (dir: string) =>
  fs
    .readdirSync(path.join(dir, '.reclens', 'cache'))
    .filter((n) => !n.startsWith('.'))
    .sort();

/** eval with every decoded row spilled to .reclens/cache (threshold 0), as a large data set's would be. */
async function spillingEval(config: string, ...flags: string[]): Promise<void> {
  process.env.RECLENS_ROWS_MEMORY_MIB = '0';
  try {
    const r = await cli('eval', '--config', config, '--bootstrap', '0', '--no-record', ...flags);
    assert.equal(r.code, 0, r.err);
  } finally {
    delete process.env.RECLENS_ROWS_MEMORY_MIB;
  }
}

test('a spill over --row-cache-max-mb removes the least recently used row sets and keeps the newest', async () => {
  const ws = tinyWorkspace();
  // Two earlier row sets of 0.6 MiB each (the tiny model's own set is a few KiB), used 300 s and 200 s ago.
  rowSet(ws.dir, 'older', 0.6 * 2 ** 20, 300);
  rowSet(ws.dir, 'old', 0.6 * 2 ** 20, 200);
  await spillingEval(ws.config);
  const [written] = rowSets(ws.dir).filter((n) => n !== 'older' && n !== 'old');
  assert.ok(written, 'eval spilled its rows');
  assert.deepEqual(rowSets(ws.dir), [written, 'old', 'older'].sort(), 'the default bound (4096 MiB) keeps all');

  // 1 MiB: the three sets (1.2 MiB and a bit) do not fit; removing the least recently used one is enough.
  forgetRows();
  await spillingEval(ws.config, '--limit', '300', '--row-cache-max-mb', '1');
  const [limited] = rowSets(ws.dir).filter((n) => ![written, 'old', 'older'].includes(n));
  assert.ok(limited, 'a second row set was written (another row limit, another key)');
  assert.deepEqual(rowSets(ws.dir), [limited, written, 'old'].sort(), 'the oldest went, the newest stayed');
});

/** The spilled row sets in `<dir>/.reclens/cache` that this process holds. */
const held = (dir: string) => heldEntriesIn(path.join(dir, '.reclens', 'cache')).sort();

test('the bound spares exactly the sets a job holds: of two sets, the released one goes, the held one stays', async () => {
  const ws = tinyWorkspace();
  const { config } = requireConfig(ws.config);
  forgetRows();
  process.env.RECLENS_ROWS_MEMORY_MIB = '0'; // every row set spills, as a large data set's would
  const open = await openWorkspace(config);
  try {
    const kept = await materialize(open, undefined, 300); // a job still reading its rows
    const [keptSet] = rowSets(ws.dir);
    const done = await materialize(open, undefined, 200); // a job that has finished with its rows
    done.release();
    const [doneSet] = rowSets(ws.dir).filter((n) => n !== keptSet);
    assert.ok(keptSet && doneSet, 'two sets spilled');
    assert.deepEqual(held(ws.dir), [keptSet], 'only the set not released is held');
    // Both are now older than the next set; a bound of 0 keeps only what is in use.
    const long = new Date(Date.now() - 3600_000);
    for (const n of [keptSet, doneSet]) fs.utimesSync(path.join(ws.dir, '.reclens', 'cache', n), long, long);
    setRowCacheMaxMB(0);
    const next = await materialize(open, undefined, 100);
    const [nextSet] = rowSets(ws.dir).filter((n) => n !== keptSet && n !== doneSet);
    assert.deepEqual(rowSets(ws.dir), [keptSet, nextSet].sort(), 'the released set went, the held one stayed');
    assert.equal(kept.columns.read(kept.inputs[0].name, 0, 300).length, 300 * kept.inputs[0].width, 'still readable');
    kept.release();
    kept.release(); // idempotent: one hold, one release
    next.release();
    assert.deepEqual(held(ws.dir), []);
    const last = await materialize(open, undefined, 50);
    last.release();
    assert.equal(rowSets(ws.dir).length, 1, 'once released, the held set is an old set like any other');
  } finally {
    delete process.env.RECLENS_ROWS_MEMORY_MIB;
    setRowCacheMaxMB(DEFAULT_ROW_CACHE_MAX_MB);
    open.close();
  }
});

test('a cancelled job releases its row set (held while it ran), and so does a failed one', async () => {
  const ws = tinyWorkspace();
  const { config } = requireConfig(ws.config);
  forgetRows();
  process.env.RECLENS_ROWS_MEMORY_MIB = '0';
  try {
    const abort = new AbortController();
    let heldWhileScoring: string[] = [];
    const control = {
      signal: abort.signal,
      onProgress: (e: { phase: string }) => {
        if (e.phase !== 'inference' || abort.signal.aborted) return;
        heldWhileScoring = held(ws.dir);
        abort.abort(); // the user cancels during the first pass
      },
    };
    await assert.rejects(
      withJob(config, { providers: ['cpu'] }, control, async (ctx) => ctx.score('inference')),
      (e: unknown) => e instanceof CancelledError,
    );
    assert.deepEqual(heldWhileScoring, rowSets(ws.dir), 'the job held its set while it scored');
    assert.equal(heldWhileScoring.length, 1);
    assert.deepEqual(held(ws.dir), [], 'the cancelled job let it go');

    // A job that fails in its own code, on reused rows (recalled from this process's memory).
    await assert.rejects(
      withJob(config, { providers: ['cpu'] }, undefined, async (ctx) => {
        assert.equal(ctx.mat.reused, true);
        assert.deepEqual(held(ws.dir), heldWhileScoring);
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.deepEqual(held(ws.dir), [], 'the failed job let it go');
    // And eval's reused rows, cancelled while they are scored.
    const cancelled = new AbortController();
    await assert.rejects(
      evaluate(
        config,
        { providers: ['cpu'] },
        {
          signal: cancelled.signal,
          onProgress: (e) => {
            if (e.phase === 'inference') cancelled.abort();
          },
        },
      ),
      (e: unknown) => e instanceof CancelledError,
    );
    assert.deepEqual(held(ws.dir), [], 'the cancelled eval let it go');
  } finally {
    delete process.env.RECLENS_ROWS_MEMORY_MIB;
  }
});

test('--row-cache-max-mb takes a whole number of MiB from 0 and is listed in reclens --help', async () => {
  const ws = tinyWorkspace();
  const bad = await cli('eval', '--config', ws.config, '--row-cache-max-mb', '-1');
  assert.notEqual(bad.code, 0);
  assert.match(bad.err, /row-cache-max-mb/);
  const help = await cli('--help');
  assert.match(
    help.out,
    /--row-cache-max-mb MB +disk for decoded rows in \.reclens\/cache; least recently used go first \(default 4096\)/,
  );
});

test("reclens.rowCacheMaxMB is a machine setting (a cloned repository cannot set it) with the engine's default", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const setting = pkg.contributes.configuration.properties['reclens.rowCacheMaxMB'];
  assert.equal(setting.scope, 'machine');
  assert.equal(setting.default, DEFAULT_ROW_CACHE_MAX_MB);
  assert.equal(setting.minimum, 0);
});
