/**
 * Issue 13, data safety 2: on Linux and macOS a backslash is a character of a file name, never
 * a separator. A real file named `alf\_ibl_trials.choice.npy` must be reported as itself (not
 * ALF-valid), never indexed as `alf/_ibl_trials.choice.npy`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { classifyFolder, classifyPath } from '../../src/core/alf';
import { buildCache } from '../../src/core/cache/build';
import { scanTree } from '../../src/core/cache/scan';
import { updateCache } from '../../src/core/cache/update';
import { AlyxClient } from '../../src/core/alyx/client';
import { RegistrationClient } from '../../src/core/registration';
import { DEFAULT_DATASET_TYPES, DEFAULT_DATA_FORMATS } from '../alyx-server';
import { classifyFile } from '../../src/model/fromCore';
import { closeDuck, query, sqlStr, tempDir } from './parquet-helpers';
import { alf as runAlf } from '../helpers';

const skipWindows = process.platform === 'win32' ? 'a backslash cannot be part of a file name on Windows' : false;

const SESSION = 'cortexlab/Subjects/KS005/2024-01-15/001';
const REAL = `${SESSION}/alf/_ibl_trials.choice.npy`;
const ODD = `${SESSION}/alf\\_ibl_trials.choice.npy`;

async function alf(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await runAlf(argv);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('a backslash in a file name is part of the name (issue 13, data safety 2)', { skip: skipWindows }, () => {
  let dir: string;
  let cleanup: () => void;
  before(async () => {
    ({ dir, cleanup } = tempDir('alf-safety-backslash-'));
    for (const rel of [REAL, ODD, `${SESSION}/alf\\probe00/spikes.times.npy`]) {
      await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await fs.writeFile(path.join(dir, rel), rel);
    }
    // The odd name is one entry of the session folder, not a folder 'alf' holding a file.
    assert.ok((await fs.readdir(path.join(dir, SESSION))).includes('alf\\_ibl_trials.choice.npy'));
  });
  after(() => {
    closeDuck();
    cleanup();
  });

  test('the scan indexes only the real file and reports the odd name as itself', async () => {
    const scan = await scanTree(dir);
    const datasets = scan.sessions.flatMap((s) => s.datasets);
    assert.deepEqual(datasets.map((d) => d.path), [REAL]);
    for (const d of datasets) assert.ok(existsSync(path.join(dir, d.path)), d.path);
    const odd = scan.skipped.find((s) => s.path === ODD);
    assert.ok(odd, JSON.stringify(scan.skipped));
    assert.equal(odd.isFolder, false);
    assert.match(odd.reason, /backslash|\\/);
    // The folder whose name holds a backslash is reported as that folder.
    assert.ok(scan.skipped.some((s) => s.path === `${SESSION}/alf\\probe00` && s.isFolder), JSON.stringify(scan.skipped));
    for (const s of scan.skipped) assert.ok(existsSync(path.join(dir, s.path)), `skipped ${s.path} exists`);
  });

  test('the built datasets table has one row per real file (DuckDB reads it back)', async () => {
    const out = path.join(dir, 'cache');
    await fs.mkdir(out);
    await buildCache(dir, { outDir: out });
    const rows = await query(`SELECT rel_path, id FROM read_parquet(${sqlStr(path.join(out, 'datasets.pqt'))})`);
    assert.deepEqual(rows.map((r) => r.rel_path), ['alf/_ibl_trials.choice.npy']);
    const ids = await query(`SELECT count(*) AS n, count(DISTINCT id) AS d FROM read_parquet(${sqlStr(path.join(out, 'datasets.pqt'))})`);
    assert.equal(Number(ids[0]?.n), Number(ids[0]?.d));
  });

  test('alf validate names the real file, and its suggested name is a name in the same folder', async () => {
    const r = await alf(['validate', dir, '--exclude', 'cache', '--json']);
    assert.equal(r.code, 1, r.stderr);
    const { problems } = JSON.parse(r.stdout) as { problems: Array<{ path: string; fix?: string; isFolder: boolean }> };
    const odd = problems.find((p) => p.path === ODD);
    assert.ok(odd, r.stdout);
    assert.ok(existsSync(path.join(dir, odd.path)));
    if (odd.fix !== undefined) {
      assert.ok(!odd.fix.includes('/') && !odd.fix.includes('\\'), `fix ${odd.fix} is one name`);
      assert.notEqual(odd.fix, '_ibl_trials.choice.npy', 'the fix must not be the real file\'s name beside it… in another folder');
    }
    assert.ok(!problems.some((p) => p.path === `${SESSION}/alf` || p.path === REAL), 'the real folder and file are not blamed');
  });

  test('the extension\'s classifier (diagnostics, quick fix) points at the real file', () => {
    const file = classifyFile(dir, ODD, 0);
    assert.equal(file.kind, 'invalid');
    assert.equal(file.kind === 'invalid' && file.problem.at, ODD);
    assert.equal(classifyPath(ODD, { root: dir }).kind, 'invalid');
    assert.equal(classifyFolder(`${SESSION}/alf\\probe00`, { root: dir }).kind, 'invalid');
  });

  test('an incremental update given the odd name rescans its session without a phantom row', async () => {
    const out = path.join(dir, 'cache2');
    await fs.mkdir(out);
    await buildCache(dir, { outDir: out, exclude: ['cache', 'cache2'] });
    const result = await updateCache(dir, { outDir: out, exclude: ['cache', 'cache2'], changedPaths: [ODD] });
    assert.equal(result.datasets, 1);
    assert.ok(result.skipped.some((s) => s.path === ODD), JSON.stringify(result.skipped));
  });

  test('registration sends the odd name as it is, not as a file in alf/', () => {
    const rc = new RegistrationClient(new AlyxClient({ baseUrl: 'http://127.0.0.1:9' }), { datasetTypes: DEFAULT_DATASET_TYPES, dataFormats: DEFAULT_DATA_FORMATS });
    const prepared = rc.prepareFiles([path.join(dir, ODD), path.join(dir, REAL)]);
    assert.deepEqual(prepared.sessions[0]?.files, ['alf\\_ibl_trials.choice.npy', 'alf/_ibl_trials.choice.npy']);
  });

  test('on Windows (asked for explicitly) a backslash still separates folders', () => {
    const v = classifyPath('cortexlab\\Subjects\\KS005\\2024-01-15\\001\\alf\\_ibl_trials.choice.npy', { backslashSeparates: true });
    assert.equal(v.kind, 'dataset');
    assert.equal(v.kind === 'dataset' && v.relPath, 'alf/_ibl_trials.choice.npy');
  });
});
