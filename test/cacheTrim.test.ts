/**
 * A bound on the decoded-rows cache's disk use (the policy the cache will apply after each spill; see
 * docs/getting-started.md): least recently used row sets go first, never one in use, and trimming has clearing's
 * safety (no link followed, writes in progress left alone).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { rowSetsToEvict, trimRowCache } from '../src/engine/data/clearCache';
import { tempDir } from './helpers';

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
