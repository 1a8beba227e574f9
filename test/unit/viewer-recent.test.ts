// The Search view's recent searches, as kept in the workspace state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readRecentSearches, rememberSearch } from '../../src/model/recentSearches';
import type { RecentSearch } from '../../src/model/recentSearches';

const at = (n: number, form: RecentSearch['form'], root = '/data'): RecentSearch => ({ root, form, total: n, at: n });

test('newest first; the same terms again move to the top; at most 12 kept', () => {
  let list: RecentSearch[] = [];
  for (let i = 0; i < 15; i++) list = rememberSearch(list, at(i, { subject: `S${i}` }));
  assert.equal(list.length, 12);
  assert.deepEqual(list.map((r) => r.form.subject), ['S14', 'S13', 'S12', 'S11', 'S10', 'S9', 'S8', 'S7', 'S6', 'S5', 'S4', 'S3']);
  // Same terms, other order, a blank field: the same search.
  list = rememberSearch(list, at(99, { lab: '', subject: 'S8' }));
  assert.equal(list.length, 12);
  assert.equal(list[0]!.at, 99);
  assert.equal(list.filter((r) => r.form.subject === 'S8').length, 1);
  // The same terms on another cache are another search.
  list = rememberSearch(list, at(100, { subject: 'S8' }, '/other'));
  assert.equal(list.filter((r) => r.form.subject === 'S8').length, 2);
});

test('what the workspace state holds is checked, not trusted', () => {
  assert.deepEqual(readRecentSearches(undefined), []);
  assert.deepEqual(readRecentSearches({ root: '/x' }), []);
  const good = at(1, { subject: 'KS0' });
  assert.deepEqual(readRecentSearches([good, null, 'x', { ...good, form: { subject: 3 } }, { ...good, total: '1' }]), [good]);
});
