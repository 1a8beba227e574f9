// Issue 13, item 8: file-system errors and strange names in the CLI's reports. An output folder
// that cannot be written is exit 3 (file-system error); a name that is not UTF-8 is said to be so,
// with its bytes escaped; control characters in names are escaped in every text listing, so one
// item stays one line.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessSync, chmodSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { escapeControls, escapeNameBytes } from '../../src/core/escape';
import { npyFloat64, tempDir } from '../helpers';
import { isOneLine, runAlf } from './errors-run';

const SESSION = 'lab/Subjects/mouse/2020-01-01/001';

function canWrite(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** A tree with one good file and the given extra names (strings or raw bytes) in alf/. */
function tree(t: { after: (fn: () => void) => void }, names: (string | Buffer)[]): { root: string; alf: string } {
  const root = tempDir(t, 'alf-errors-list-');
  const alf = path.join(root, SESSION, 'alf');
  mkdirSync(alf, { recursive: true });
  writeFileSync(path.join(alf, 'trials.feedback_times.npy'), npyFloat64([1, 2]));
  for (const name of names) {
    const full = typeof name === 'string' ? path.join(alf, name) : Buffer.concat([Buffer.from(`${alf}/`), name]);
    writeFileSync(full, npyFloat64([3, 4]));
  }
  return { root, alf };
}

describe('errors: listings and the file system', () => {
  test('escapeControls / escapeNameBytes', () => {
    assert.equal(escapeControls('plain/name.npy'), 'plain/name.npy');
    assert.equal(escapeControls('C:\\data\\x.npy'), 'C:\\data\\x.npy', 'backslashes alone are left as they are');
    assert.equal(escapeControls('a\nb\tc\u001b[31m\u0007\u2028\\'), 'a\\nb\\tc\\e[31m\\x07\\u2028\\\\');
    assert.equal(escapeNameBytes(Buffer.from([0x61, 0xff, 0x2e, 0xc3, 0xa9, 0x0a, 0xe2, 0x82])), 'a\\xff.é\\n\\xe2\\x82');
  });

  test('an --out folder that cannot be written is exit 3 with the folder named', async (t) => {
    const { root } = tree(t, []);
    const locked = path.join(root, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    // As root every folder is writable; /proc/sys is not, even for root, on Linux.
    const out = !canWrite(locked) ? locked : !canWrite('/proc/sys') && process.platform === 'linux' ? '/proc/sys' : undefined;
    if (out === undefined) return t.skip('no folder here that this user cannot write into');
    const r = await runAlf(['build-cache', root, '--out', out]);
    assert.equal(r.code, 3, r.stderr);
    assert.ok(isOneLine(r.stderr), r.stderr);
    assert.equal(r.stderr, `alf: permission denied: cannot write into ${out}; choose another output folder with --out\n`);
  });

  test('a name that is not UTF-8 is reported as such, with its bytes escaped', async (t) => {
    const { root } = tree(t, [Buffer.from('trials.goCue\xfftimes.npy', 'latin1')]);
    const v = await runAlf(['validate', root]);
    assert.equal(v.code, 1);
    const line = `${SESSION}/alf/trials.goCue\\xfftimes.npy: the name is not valid UTF-8 (its bytes: trials.goCue\\xfftimes.npy), so it was not indexed`;
    assert.ok(v.stdout.startsWith(line), v.stdout);
    assert.match(v.stdout, /\[unreadable\]\n/);
    assert.doesNotMatch(v.stdout, /ENOENT|\uFFFD/);
    const b = await runAlf(['build-cache', root, '--json']);
    assert.equal(b.code, 0, b.stderr);
    const built = JSON.parse(b.stdout) as { datasets: number; skipped: { path: string; code: string }[] };
    assert.equal(built.datasets, 1);
    assert.deepEqual(built.skipped.map((s) => [s.path, s.code]), [[`${SESSION}/alf/trials.goCue\\xfftimes.npy`, 'unreadable']]);
  });

  test('a folder whose name is not UTF-8 is reported once, not entered', async (t) => {
    const { root, alf } = tree(t, []);
    mkdirSync(Buffer.concat([Buffer.from(`${alf}/`), Buffer.from([0x70, 0x72, 0x6f, 0x62, 0xe9])]));
    const v = await runAlf(['validate', root, '--json']);
    const problems = (JSON.parse(v.stdout) as { problems: { path: string; code: string; isFolder: boolean }[] }).problems;
    assert.deepEqual(problems.map((p) => [p.path, p.code, p.isFolder]), [[`${SESSION}/alf/prob\\xe9`, 'unreadable', true]]);
  });

  test('control characters are escaped in every listing: build-cache, validate, list-datasets, load-object, npy, errors', async (t) => {
    // A trailing newline is a name ONE accepts (indexed, with a warning); ESC is refused.
    const { root, alf } = tree(t, ['trials.goCue_times.npy\n', 'trials.x\u001b[31m.npy']);
    const build = await runAlf(['build-cache', root]);
    assert.equal(build.code, 0, build.stderr);
    assert.match(build.stdout, /^Warning: .*trials\.goCue_times\.npy\\n: /m);
    assert.match(build.stdout, /^ {4}.*trials\.x\\e\[31m\.npy — /m);
    assert.ok(!build.stdout.includes('\u001b'), build.stdout);
    assert.ok(build.stdout.split('\n').every((l) => l === '' || /^(Indexed|Wrote| {6}\/|Problems: |Warning: |Not indexed: | {2}control-character| {4}lab\/|Load it)/.test(l)), build.stdout);

    const v = await runAlf(['validate', root]);
    // The refused name, the warning about the trailing newline, and the counts.
    assert.deepEqual(v.stdout.trimEnd().split('\n').length, 3, v.stdout);
    assert.ok(!v.stdout.includes('\u001b'), v.stdout);

    const list = await runAlf(['list-datasets', root, SESSION]);
    assert.equal(list.stdout, 'alf/trials.feedback_times.npy\nalf/trials.goCue_times.npy\\n\n');
    const details = await runAlf(['list-datasets', root, SESSION, '--details']);
    assert.equal(details.stdout.trimEnd().split('\n').length, 3, details.stdout);
    assert.match(details.stdout, /alf\/trials\.goCue_times\.npy\\n\n$/);

    const load = await runAlf(['load-object', root, SESSION, 'trials']);
    assert.equal(load.code, 0, load.stderr);
    assert.match(load.stdout, /\(.*trials\.goCue_times\.npy\\n\)\n$/);

    const npy = await runAlf(['npy', path.join(alf, 'trials.goCue_times.npy\n'), '--no-stats']);
    assert.equal(npy.stdout.split('\n')[0], `${alf}/trials.goCue_times.npy\\n`);

    const missing = await runAlf(['npy', path.join(alf, 'gone\n.npy')]);
    assert.equal(missing.code, 2);
    assert.ok(isOneLine(missing.stderr), missing.stderr);
    assert.match(missing.stderr, /gone\\n\.npy: not found\n$/);
  });
});
