import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closest, rankNames, suggestion } from '../src/engine/util/suggest';

test('did-you-mean: nearest name, same length preferred on ties, prefixes, nothing for far names', () => {
  assert.equal(closest('user_idy', ['user_id', 'user_idx', 'item_idx']), 'user_idx');
  assert.equal(closest('lable', ['label', 'group']), 'label');
  assert.equal(closest('item', ['user_id', 'item_id']), 'item_id');
  assert.equal(closest('zzzzzz', ['label', 'group']), undefined);
  assert.match(suggestion('zzzzzz', ['label', 'group']), /Available: "label", "group"/);
});

test('did-you-mean: prefix, abbreviation, token overlap and typos each find the column a person means', () => {
  const cols = ['user_index', 'item_index', 'ctr_7d', 'ctr_30d', 'age_bucket', 'event_timestamp', 'label', 'hist_emb'];
  assert.equal(closest('uid', cols), 'user_index');
  assert.equal(closest('iid', cols), 'item_index');
  assert.equal(closest('ctr7', cols), 'ctr_7d');
  assert.equal(closest('ctr30', cols), 'ctr_30d');
  assert.equal(closest('agb', cols), 'age_bucket');
  assert.ok(rankNames('user_history', cols).some((r) => r.name === 'hist_emb'));
  assert.equal(closest('lable', cols), 'label');
  // Five different short names get five different answers, not the same long column.
  const answers = ['uid', 'iid', 'ctr7', 'agb', 'lable'].map((n) => closest(n, cols));
  assert.equal(new Set(answers).size, 5);
  assert.match(suggestion('zzz', cols), /Available: "user_index"/);
});

test('name scores order exact > typo or abbreviation > token overlap > nothing', async () => {
  const { nameScore } = await import('../src/engine/util/suggest');
  assert.equal(nameScore('genres', 'genres'), 1);
  assert.ok(nameScore('user_id', 'user_idx') > nameScore('user_id', 'hist_emb'));
  assert.ok(nameScore('agb', 'age_bucket') > nameScore('item_content', 'content_tfidf'));
  assert.ok(nameScore('item_content', 'content_tfidf') > 0);
  assert.equal(nameScore('leak', 'timestamp'), 0);
});
