/** The Python regex translation under OneLocal.search against Python's own `re`, on a corpus. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { compilePyRegex } from '../../src/core/one';
import { interopPython } from './support';

const search = (p: string, s: string): boolean => compilePyRegex(p, 'search').test(s);
const full = (p: string, s: string): boolean => compilePyRegex(p, 'full').test(s);
const { python, reason } = interopPython([]);

const PATTERNS = [
  'SWC', '^SWC', 'swc', '(?i)swc', 'CSHL_0[0-9]+$', '\\d{3}$', '\\w+_\\d+', '(?P<lab>[A-Z]+)_(?P=lab)?', 'ZM_\\Z', 'ZM_1\\Z', '\\AZM',
  'a{,2}b', 'a{', '{x}', 'x}', ']', '[]a]', '[^]a]+', '[\\W]', '[\\W\\d]+', '[a-]', '[-a]', '\\-', '\\_', '\\#', '(?x) S W C # comment',
  '(?s)a.b', 'a.b', '$', '^$', '(?m)^b$', '(?m)a$', '\\bfoo\\b', '\\Bo', 'é\\w', '\\x41', '\\u00e9', '\\U0001F600', '\\101', '\\0', '(a)\\1',
  'a*?', 'a+?b', '(?#hi)x', '\\s', '[\\s]', '\\S+', '(?a)\\w+', '(?a)[\\w]+', 'ibl_witten|SWC', '^.*$', 'a|', '', '\\.', '[.]', '[*+?]',
  '[&&]', '[a&&b]', 'x{2,3}', 'x{,}', '(?<=a)b', '(?<!a)b', '[\\b]', 'ſ', '(?i)K', '(?i)[a-c]+', '[^\\s\\d]+', '(?ims)^a.b$',
  '_ibl_trials\\.(intervals|choice)\\.npy', '.*intervals.*', '(?i)TRIALS', '[\\u0041-\\u005A]+',
];
const STRINGS = [
  'SWC_001', 'swc_001', 'CSHL_001', 'CSH_ZAD_001', 'ibl_witten_02', 'ZM_', 'ZM_1', 'ZM_1\n', 'ab', 'aab', 'b', 'a{', '{x}', 'x}', ']', 'a]', '-',
  '_', '#', 'a\nb', 'a\rb', 'a\n', '\n', '', 'foo bar', 'foobar', 'éa', 'éé', 'A', 'é', '😀', '\u0000', 'aa', 'x', 'xx', 'xxx', '12ab', 'a b',
  'a\u00a0b', 'a\u001cb', 'a\u0085b', 'k', 'K', '\u212a', 's', 'S', '&', 'a&b', 'α_1', '٣٤٥', 'abc123', '_ibl_trials.intervals.npy', 'ABC',
];

test("Python regex: search and fullmatch agree with Python's re on a corpus", { skip: reason ?? false }, () => {
  const script = `
import json, re, sys
c = json.load(sys.stdin)
out = {}
for p in c['patterns']:
    try:
        r = re.compile(p)
    except Exception:
        out[p] = 'error'; continue
    out[p] = [[bool(r.search(s)), bool(r.fullmatch(s))] for s in c['strings']]
print(json.dumps(out))`;
  const r = spawnSync(python as string, ['-c', script], { input: JSON.stringify({ patterns: PATTERNS, strings: STRINGS }), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const want = JSON.parse(r.stdout) as Record<string, 'error' | [boolean, boolean][]>;
  for (const p of PATTERNS) {
    let got: 'error' | [boolean, boolean][];
    try {
      got = STRINGS.map((s): [boolean, boolean] => [search(p, s), full(p, s)]);
    } catch {
      got = 'error';
    }
    if (want[p] === 'error' || got === 'error') {
      assert.equal(got, want[p], JSON.stringify(p));
      continue;
    }
    STRINGS.forEach((s, i) => assert.deepEqual((got as [boolean, boolean][])[i], (want[p] as [boolean, boolean][])[i], `${JSON.stringify(p)} on ${JSON.stringify(s)}`));
  }
});

