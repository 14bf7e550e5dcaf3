/**
 * `reclens cache --config C [--clear]` and the engine's clearRowCache (which "RecLens: Clear Cache" calls): a real
 * spilled row set (eval with the spill threshold at 0) is listed, then removed with nothing else of `.reclens` or the
 * folder touched, and the next eval still works (the in-memory copy was dropped too). Symbolic links are never
 * followed out of the config's folder: a linked `.reclens` is refused, a linked `cache` loses the link only, a link
 * inside the cache is removed as a link.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { clearRowCache } from '../src/engine/data/clearCache';
import { cli, tempDir, tinyWorkspace } from './helpers';

/** Files under `dir` (relative paths, links included as links), sorted. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      out.push(path.relative(dir, p) + (e.isSymbolicLink() ? ' -> link' : ''));
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** A workspace whose eval spilled its decoded rows to .reclens/cache (and wrote a run record beside it). */
async function spilledWorkspace(): Promise<{ dir: string; config: string }> {
  const ws = tinyWorkspace();
  process.env.RECLENS_ROWS_MEMORY_MIB = '0';
  try {
    const r = await cli('eval', '--config', ws.config, '--bootstrap', '0');
    assert.equal(r.code, 0, r.err);
  } finally {
    delete process.env.RECLENS_ROWS_MEMORY_MIB;
  }
  return ws;
}

/** An outside folder with a file the clearing must not touch. */
function outsideFolder(): { dir: string; file: string } {
  const dir = tempDir('reclens-outside-');
  const file = path.join(dir, 'precious.bin');
  fs.writeFileSync(file, 'not a cache');
  return { dir, file };
}

test('cache lists the spilled row set; --clear removes .reclens/cache only, says what it removed, and eval still works', async () => {
  const ws = await spilledWorkspace();
  const cache = path.join(ws.dir, '.reclens', 'cache');
  const entries = fs.readdirSync(cache);
  assert.equal(entries.length, 1, 'one spilled row set');
  const shown = await cli('cache', '--config', ws.config, '--json');
  assert.equal(shown.code, 0, shown.err);
  const listed = JSON.parse(shown.out);
  assert.deepEqual(listed.entries, entries);
  assert.ok(listed.files >= 3 && listed.bytes > 0, `files and bytes counted: ${shown.out}`);
  assert.ok(fs.existsSync(cache), 'listing removes nothing');
  const text = await cli('cache', '--config', ws.config);
  assert.match(text.out, new RegExp(`1 row set \\(${entries[0]}\\), ${listed.files} files`));
  assert.match(text.out, /--clear/);

  const before = listing(ws.dir).filter((p) => !p.startsWith(path.join('.reclens', 'cache')));
  const cleared = await cli('cache', '--config', ws.config, '--clear');
  assert.equal(cleared.code, 0, cleared.err);
  assert.match(
    cleared.out,
    new RegExp(`^Removed \\.reclens/cache: 1 row set \\(${entries[0]}\\), ${listed.files} files, [\\d.]+ MiB\\.`),
  );
  assert.ok(!fs.existsSync(cache), 'the cache is gone');
  assert.deepEqual(listing(ws.dir), before, 'everything else (config, data, model, .reclens/runs) is as it was');
  assert.ok(fs.readdirSync(path.join(ws.dir, '.reclens', 'runs')).length > 0, 'run records kept');

  const again = await cli('cache', '--config', ws.config, '--clear', '--json');
  assert.equal(again.code, 0, again.err);
  assert.equal(JSON.parse(again.out).removed, false, 'nothing left to remove');
  const ev = await cli('eval', '--config', ws.config, '--bootstrap', '0', '--no-record');
  assert.equal(ev.code, 0, `eval after clearing: ${ev.err}`);
});

test('a .reclens that is a symbolic link is not followed: refused with exit 2, the linked folder untouched', async () => {
  const ws = tinyWorkspace();
  const outside = outsideFolder();
  fs.mkdirSync(path.join(outside.dir, 'cache', 'abc'), { recursive: true });
  fs.writeFileSync(path.join(outside.dir, 'cache', 'abc', 'x.bin'), 'data');
  fs.symlinkSync(outside.dir, path.join(ws.dir, '.reclens'));
  const before = listing(outside.dir);
  const r = await cli('cache', '--config', ws.config, '--clear');
  assert.equal(r.code, 2, r.out + r.err);
  assert.match(r.out, /Nothing removed: .*\.reclens is a symbolic link .*never follows a link there.* Remove the link/);
  assert.deepEqual(listing(outside.dir), before);
  assert.ok(fs.lstatSync(path.join(ws.dir, '.reclens')).isSymbolicLink(), 'the link itself is left too');
});

test('a cache folder that is a symbolic link loses the link only; a link inside the cache is removed as a link', async () => {
  const ws = tinyWorkspace();
  const outside = outsideFolder();
  fs.mkdirSync(path.join(ws.dir, '.reclens'));
  fs.symlinkSync(outside.dir, path.join(ws.dir, '.reclens', 'cache'));
  const r = await cli('cache', '--config', ws.config, '--clear');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Removed the symbolic link \.reclens\/cache; what it points to .* was not touched/);
  assert.ok(!fs.existsSync(path.join(ws.dir, '.reclens', 'cache')));
  assert.deepEqual(listing(outside.dir), ['precious.bin']);

  // A real cache whose entry holds a link to the outside folder and one to the outside file.
  const entry = path.join(ws.dir, '.reclens', 'cache', 'k1');
  fs.mkdirSync(entry, { recursive: true });
  fs.writeFileSync(path.join(entry, 'labels.bin'), Buffer.alloc(64));
  fs.symlinkSync(outside.dir, path.join(entry, 'dir-link'));
  fs.symlinkSync(outside.file, path.join(entry, 'file-link'));
  const result = clearRowCache(ws.dir);
  assert.equal(result.removed, true);
  assert.deepEqual(result.entries, ['k1']);
  assert.equal(result.files, 1, 'links are not counted as files');
  assert.equal(result.bytes, 64);
  assert.ok(!fs.existsSync(path.join(ws.dir, '.reclens', 'cache')));
  assert.deepEqual(listing(outside.dir), ['precious.bin'], 'what the links pointed to is untouched');
  assert.equal(fs.readFileSync(outside.file, 'utf8'), 'not a cache');
});

test('cache needs --config naming a file: usage error 1 without it, exit 2 for a missing file', async () => {
  const none = await cli('cache');
  assert.equal(none.code, 1);
  assert.match(none.err, /cache needs --config/);
  const missing = await cli('cache', '--config', path.join(tempDir(), 'reclens.json'), '--clear');
  assert.equal(missing.code, 2);
  assert.match(missing.err, /does not exist or is not a file/);
});

test('refused, not cleared: a .reclens or a cache that is a file; listing refuses too; --json says why on stderr', async () => {
  const ws = tinyWorkspace();
  const marker = path.join(ws.dir, '.reclens');
  fs.writeFileSync(marker, 'a file, not a folder');
  const listed = await cli('cache', '--config', ws.config);
  assert.equal(listed.code, 2, listed.out + listed.err);
  assert.match(listed.out, /\.reclens is not a folder\./);
  const cleared = await cli('cache', '--config', ws.config, '--clear', '--json');
  assert.equal(cleared.code, 2, cleared.out + cleared.err);
  const json = JSON.parse(cleared.out);
  assert.equal(json.removed, false);
  assert.match(json.refused, /\.reclens is not a folder\./);
  assert.match(cleared.err, /reclens: error: .*\.reclens is not a folder\./);
  assert.equal(fs.readFileSync(marker, 'utf8'), 'a file, not a folder', 'the file is untouched');

  fs.rmSync(marker);
  fs.mkdirSync(marker);
  fs.writeFileSync(path.join(marker, 'cache'), 'also a file');
  const r = await cli('cache', '--config', ws.config, '--clear');
  assert.equal(r.code, 2, r.out + r.err);
  assert.match(r.out, /Nothing removed: .*cache is not a folder\./);
  assert.equal(fs.readFileSync(path.join(marker, 'cache'), 'utf8'), 'also a file');
});
