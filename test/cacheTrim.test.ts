/**
 * The decoded-rows cache's disk bound (`reclens.rowCacheMaxMB`, `--row-cache-max-mb`; see docs/getting-started.md):
 * after each spill the least recently used row sets go first, never the one just written nor one this process holds,
 * and trimming has clearing's safety (no link followed, writes in progress left alone).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { forgetRows } from '../src/engine/data/rowCache';
import { DEFAULT_ROW_CACHE_MAX_MB, rowSetsToEvict, trimRowCache } from '../src/engine/data/rowCacheDisk';
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

test('the bound never removes the set just written, nor one this process holds (a running job may read it)', async () => {
  const ws = tinyWorkspace();
  await spillingEval(ws.config); // written and remembered by this process: held
  const [held] = rowSets(ws.dir);
  const long = new Date(Date.now() - 3600_000);
  fs.utimesSync(path.join(ws.dir, '.reclens', 'cache', held), long, long); // the least recently used on disk
  rowSet(ws.dir, 'other', 1024, 100);
  await spillingEval(ws.config, '--limit', '300', '--row-cache-max-mb', '0');
  const [fresh] = rowSets(ws.dir).filter((n) => n !== held);
  assert.deepEqual(rowSets(ws.dir), [held, fresh].sort(), 'only the set no job holds went, over a bound of 0');
  // Once the process lets its row sets go (as Clear Cache does), the held one is an old set like any other.
  forgetRows();
  await spillingEval(ws.config, '--limit', '200', '--row-cache-max-mb', '0');
  assert.equal(rowSets(ws.dir).length, 1, 'only the set just written is left');
  assert.ok(!rowSets(ws.dir).includes(held) && !rowSets(ws.dir).includes(fresh));
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
