/**
 * Issue 15, item 5: one source for each shape and helper. The byte formatter the CLI, the
 * extension and the webviews share; errorMessage and isObject; the webview message schemas
 * (type and guard from one valibot schema); `alf --version` from package.json; the CLI's
 * argument parsing on node:util parseArgs; the Alyx retry sleep on timers/promises.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from '../../src/cli/args';
import { formatAmount } from '../../src/cli/progress-bar';
import { AlyxSettingError, PARAMS_DIR_ENV, RETRY_DELAY_ENV, connectAlyx } from '../../src/core/alyx';
import { sleep } from '../../src/core/alyx/retry';
import { readNpyHeader } from '../../src/core/npy';
import { CancelledError, progressAmount } from '../../src/core/progress';
import { formatBytes } from '../../src/core/util/bytes';
import { errorMessage } from '../../src/core/util/errors';
import { isObject } from '../../src/core/util/objects';
import { isRecordMessage, isRegisterMessage } from '../../src/protocol/alyx';
import { isNpyMessage, isObjectMessage, isSearchMessage } from '../../src/protocol/local';
import { isBuildFormMessage, isTableMessage } from '../../src/protocol/webview';
import type * as NpyHeader from '../../src/webviews/ui/npyHeader.js' with { 'resolution-mode': 'import' };
import { PROJECT, alf, npyFloat64, tempDir } from '../helpers';

test('sizes are written one way: binary units with IEC names, three significant digits', () => {
  const cases: Array<[number, string]> = [
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.00 KiB'],
    [1536, '1.50 KiB'],
    [10 * 1024, '10.0 KiB'],
    [1023.99 * 1024, '1.00 MiB'],
    [123.4 * 2 ** 20, '123 MiB'],
    [2.5 * 2 ** 30, '2.50 GiB'],
    [3 * 2 ** 40, '3.00 TiB'],
  ];
  for (const [n, text] of cases) assert.equal(formatBytes(n), text, `${n} bytes`);
  assert.equal(formatBytes(1536, { exact: true }), '1.50 KiB (1,536 bytes)');
  assert.equal(formatBytes(100, { exact: true }), '100 bytes');
  assert.equal(formatAmount(1536, 'bytes'), '1.50 KiB', 'the CLI progress line uses it too');
  assert.equal(progressAmount({ phase: 'hash', done: 1536, total: 3 * 2 ** 20, unit: 'bytes' }), '1.50 KiB of 3.00 MiB', "the editor's progress notifications too");
  assert.equal(progressAmount({ phase: 'scan', done: 30, total: 120, unit: 'files' }, '/'), '30 / 120');
});

test('alf npy and the .npy editor show the same sizes for the same file', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'spikes.times.npy');
  writeFileSync(file, npyFloat64(new Float64Array(70_000).map((_, i) => i / 7)));
  const run = await alf(['npy', file, '--no-stats']);
  assert.equal(run.status, 0, run.stderr);

  // The browser code is an ES module (src/webviews/ui/package.json): loaded through tsx's require hook.
  const { npyHeaderRows } = module.require('../../src/webviews/ui/npyHeader') as typeof NpyHeader;
  // The editor gets the header the core reads (webviews/npyEditor.ts headerView) and lays it out with npyHeaderRows.
  const h = await readNpyHeader(file);
  const rows = new Map(npyHeaderRows({
    fileName: 'spikes.times.npy', dtype: h.dtype.name, descr: h.dtype.descr, shape: h.shape, order: 'C', count: h.count,
    byteLength: h.byteLength, fileSize: h.fileSize, version: h.version, rows: h.shape[0] ?? 1, width: 1,
  }));
  const fileSize = rows.get('file size')!;
  const dataSize = rows.get('data size')!;
  assert.equal(fileSize, `547 KiB (${statSync(file).size.toLocaleString('en-US')} bytes)`);
  assert.match(run.stdout, new RegExp(`  size     ${escape(fileSize)}: header \\d+ B, data ${escape(dataSize)}\\n`));
  assert.equal(dataSize, '547 KiB (560,000 bytes)');
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('errorMessage and isObject', () => {
  assert.equal(errorMessage(new RangeError('out of range')), 'out of range');
  assert.equal(errorMessage('plain text'), 'plain text');
  assert.equal(errorMessage(42), '42');
  assert.equal(errorMessage(undefined), 'undefined');
  assert.ok(isObject({}) && isObject([]) && isObject(new Error('x')));
  assert.ok(!isObject(null) && !isObject('x') && !isObject(undefined) && !isObject(3));
});

test('each webview message is checked by the guard derived from its schema', () => {
  const values = { folder: '/d', hashFiles: true, outDir: '', lab: '' };
  assert.ok(isBuildFormMessage({ type: 'build', values }));
  assert.ok(isBuildFormMessage({ type: 'browse', field: 'outDir' }));
  assert.ok(!isBuildFormMessage({ type: 'browse', field: 'lab' }));
  assert.ok(!isBuildFormMessage({ type: 'build', values: { ...values, hashFiles: 'yes' } }));
  assert.ok(!isBuildFormMessage({ type: 'nonsense' }));
  assert.ok(!isBuildFormMessage(null));

  const query = { filters: [{ column: 1, mode: 'regex', value: '^alf/', negate: true }], sort: { column: 2, descending: true } };
  assert.ok(isTableMessage({ type: 'page', seq: 1, offset: 0, limit: 50, query, columns: [0, 1, 2] }));
  assert.ok(isTableMessage({ type: 'page', seq: 2, offset: 0, limit: 50, query: { filters: [] }, columns: [], complete: true }));
  assert.ok(!isTableMessage({ type: 'page', seq: 1, offset: 0.5, limit: 50, query, columns: [] }));
  assert.ok(!isTableMessage({ type: 'page', seq: 1, offset: 0, limit: 50, query: { filters: [], sort: { column: 2, descending: 'no' } }, columns: [] }));
  assert.ok(!isTableMessage({ type: 'page', seq: 1, offset: 0, limit: 50, query: { filters: [{ column: 1, mode: 'glob', value: '*' }] }, columns: [] }));
  assert.ok(isTableMessage({ type: 'exportCsv', query, columns: [0] }));
  assert.ok(!isTableMessage({ type: 'copy', what: 'table', text: 'x' }));

  assert.ok(isSearchMessage({ type: 'search', root: '/r', form: { subject: 'SW' } }));
  assert.ok(isSearchMessage({ type: 'copySnippet', root: '/r', form: {}, eid: 'e' }));
  assert.ok(!isSearchMessage({ type: 'search', root: '/r', form: { subject: 'SW', extra: 'x' } }), 'a search form has only the known fields');
  assert.ok(!isSearchMessage({ type: 'search', root: '/r', form: { subject: 3 } }));
  assert.ok(isSearchMessage({ type: 'openObject', root: '/r', eid: 'e' }));
  assert.ok(!isSearchMessage({ type: 'openDataset', root: '/r', eid: 'e' }));

  assert.ok(isNpyMessage({ type: 'page', offset: 10, limit: 100 }));
  assert.ok(!isNpyMessage({ type: 'page', offset: -1, limit: 100 }));
  assert.ok(isObjectMessage({ type: 'expression', text: 'times * 2' }));
  assert.ok(!isObjectMessage({ type: 'expression', text: 'x'.repeat(2000) }));

  const session = {
    users: ['u'], startTime: '', endTime: '', procedures: [], projects: [], taskProtocol: '', location: '', nTrials: '', nCorrectTrials: '',
    json: '', files: ['alf/a.b.npy'], repository: '', serverOnly: false, maxHashMb: '',
  };
  assert.ok(isRegisterMessage({ type: 'preview', values: session }));
  assert.ok(!isRegisterMessage({ type: 'register', values: { ...session, files: 'alf/a.b.npy' } }));
  assert.ok(!isRegisterMessage({ type: 'register', values: { ...session, maxHashMb: undefined } }));
  const record = { kind: 'water', subject: 's', amount: '1', dateTime: '', user: 'u', waterType: 'Water', session: '', adlib: false };
  assert.ok(isRecordMessage({ type: 'submit', values: record }));
  assert.ok(!isRecordMessage({ type: 'submit', values: { ...record, kind: 'food' } }));
  assert.ok(isRecordMessage({ type: 'showDetails' }));
});

test('alf --version is the version in package.json', async () => {
  const { version } = JSON.parse(readFileSync(path.join(PROJECT, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const run = await alf([flag]);
    assert.equal(run.status, 0);
    assert.equal(run.stdout, `${version}\n`);
  }
});

test('argument parsing (node:util parseArgs) keeps the CLI conventions', () => {
  const command = { name: 'npy', valueOptions: ['rows', 'users'] };
  assert.deepEqual(parseArgs(['f.npy', '--rows', '1:5', '--no-stats', '-h'], command), { positionals: ['f.npy'], options: { rows: '1:5', 'no-stats': true, help: true } });
  assert.deepEqual(parseArgs(['--users', 'a', '--users=b', '--users', 'c'], command).options, { users: ['a', 'b', 'c'] });
  assert.deepEqual(parseArgs(['--rows', '-5', '-x', '-', '--', '--json'], command), { positionals: ['-x', '-', '--json'], options: { rows: '-5' } });
  assert.throws(() => parseArgs(['--rows'], command), { message: "--rows needs a value (see 'alf npy --help')" });
  assert.throws(() => parseArgs(['--json=yes'], command), { message: "--json takes no value (see 'alf npy --help')" });
});

test('the retry sleep waits, and stops at once when aborted', async () => {
  const started = Date.now();
  await sleep(30);
  assert.ok(Date.now() - started >= 25);
  const controller = new AbortController();
  const waiting = sleep(60_000, controller.signal);
  setTimeout(() => controller.abort(), 10);
  await assert.rejects(waiting, CancelledError);
  const aborted = AbortSignal.abort();
  await assert.rejects(sleep(10, aborted), CancelledError);
});

test(`${RETRY_DELAY_ENV} sets the first retry delay; a bad value is a one-line usage error`, async (t) => {
  const dir = tempDir(t);
  const env = { [PARAMS_DIR_ENV]: dir, HOME: dir, [RETRY_DELAY_ENV]: '20' };
  const { client } = await connectAlyx({ url: 'http://127.0.0.1:9', env });
  assert.equal(client.retryPolicy.baseDelayMs, 20);
  assert.equal(client.retryPolicy.retries, 3, 'only the delay changes');
  await assert.rejects(connectAlyx({ url: 'http://127.0.0.1:9', env: { ...env, [RETRY_DELAY_ENV]: 'soon' } }), AlyxSettingError);
  const run = await alf(['weight', 'algernon', '20', '--url', 'http://127.0.0.1:9'], { env: { [PARAMS_DIR_ENV]: dir, HOME: dir, [RETRY_DELAY_ENV]: '-1' } });
  assert.equal(run.status, 2);
  assert.equal(run.stderr, `alf: ${RETRY_DELAY_ENV}="-1": give the first retry delay in milliseconds (a number ≥ 0), or unset it for the default 500\n`);
});
