import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { cli, tempDir, tinyWorkspace } from './helpers';

test('report --latest writes one self-contained HTML file with the run\'s numbers and charts', async () => {
  const { config } = tinyWorkspace();
  const runs = tempDir();
  const ev = JSON.parse((await cli('eval', '--config', config, '--json', '--runs-dir', runs, '--bootstrap', '20')).out);
  const ab = await cli('ablate', '--config', config, '--runs-dir', runs, '--repeats', '2', '--bootstrap', '20', '--json');
  assert.equal(ab.code, 0, ab.err);
  const out = path.join(tempDir(), 'r.html');
  const r = await cli('report', '--latest', '--runs-dir', runs, '--out', out);
  assert.equal(r.code, 0, r.err);
  const html = fs.readFileSync(out, 'utf8');
  assert.match(html, /RecLens ablate/);
  assert.match(html, /<svg/);
  const abl = JSON.parse(ab.out);
  assert.ok(html.includes(abl.results[0].deltaAuc.toFixed(4)));
  assert.doesNotMatch(html, /(src|href)=["']?https?:/i, 'nothing remote');
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  const evOut = path.join(tempDir(), 'e.html');
  assert.equal((await cli('report', '--run', ev.runRecord, '--out', evOut)).code, 0);
  assert.ok(fs.readFileSync(evOut, 'utf8').includes(ev.auc.toFixed(4)));
  assert.equal((await cli('report', '--run', 'nope', '--runs-dir', runs)).code, 2);
});
