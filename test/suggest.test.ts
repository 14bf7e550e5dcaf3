import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closest, suggestion } from '../src/engine/util/suggest';

test('did-you-mean: nearest name, same length preferred on ties, prefixes, nothing for far names', () => {
  assert.equal(closest('user_idy', ['user_id', 'user_idx', 'item_idx']), 'user_idx');
  assert.equal(closest('lable', ['label', 'group']), 'label');
  assert.equal(closest('item', ['user_id', 'item_id']), 'item_id');
  assert.equal(closest('zzzzzz', ['label', 'group']), undefined);
  assert.match(suggestion('zzzzzz', ['label', 'group']), /Available: "label", "group"/);
});
