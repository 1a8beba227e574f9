/**
 * Issue 13, data safety 5, against real Python: files that were not hashed have a null `hash`
 * (ONE's own make_parquet_db writes ''), so Python ONE's load_object neither hashes them nor
 * warns "local md5 mismatch" (its check skips only a null hash). Reads our tables with the
 * Python named by ALF_PYTHON (pyarrow and pandas), and with ONE itself when that Python can
 * import it (`one.api`, e.g. from PYTHONPATH). Skips with a reason otherwise.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildCache } from '../../src/core/cache/build';

const PYTHON = process.env.ALF_PYTHON;

function python(code: string, args: string[] = []): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(PYTHON as string, ['-c', code, ...args], { encoding: 'utf8', env: { ...process.env, HOME: process.env.ALF_PYTHON_HOME ?? os.tmpdir() } });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : '') };
}

function skipReason(): string | false {
  if (!PYTHON) return 'set ALF_PYTHON to a Python with pyarrow and pandas (e.g. python3 -m venv V && V/bin/pip install pandas pyarrow)';
  const r = python('import pyarrow, pandas');
  return r.status === 0 ? false : `${PYTHON} cannot import pyarrow and pandas: ${r.stderr.trim().split('\n').pop() ?? ''}`;
}
const SKIP = skipReason();
const SKIP_ONE = SKIP || (python('import one.api').status === 0 ? false : `${PYTHON} cannot import Python ONE (put ONE and iblutil on PYTHONPATH to run this part)`);

/** A real little-endian float64 .npy (NPY 1.0), as numpy.save writes it. */
function npy(values: number[]): Buffer {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${values.length},), }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const body = Buffer.alloc(8 * values.length);
  values.forEach((v, i) => body.writeDoubleLE(v, 8 * i));
  return Buffer.concat([head, Buffer.from(header, 'latin1'), body]);
}

const ATTRIBUTES = ['choice', 'feedbackType', 'stimOn_times', 'intervals'];

describe('Python reads our unhashed tables with a null hash (issue 13, data safety 5)', { skip: SKIP }, () => {
  let root: string;
  before(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'alf-interop-hash-'));
    for (const [subject, day] of [['KS005', '2024-01-15'], ['KS005', '2024-01-16'], ['algernon', '2024-02-01']] as const) {
      const alf = path.join(root, 'cortexlab', 'Subjects', subject, day, '001', 'alf');
      mkdirSync(alf, { recursive: true });
      ATTRIBUTES.forEach((a, i) => writeFileSync(path.join(alf, `_ibl_trials.${a}.npy`), npy(a === 'intervals' ? [0, 1, 1, 2, 2, 3] : [i, i + 1, i + 2])));
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('pyarrow and pandas see null hashes without --hash, and md5s with it', async () => {
    const plain = path.join(root, 'plain');
    const hashed = path.join(root, 'hashed');
    mkdirSync(plain);
    mkdirSync(hashed);
    await buildCache(root, { outDir: plain, exclude: ['plain', 'hashed'] });
    await buildCache(root, { outDir: hashed, exclude: ['plain', 'hashed'], hashFiles: true });
    const r = python(
      [
        'import json, sys, pyarrow.parquet as pq, pandas as pd',
        'out = {}',
        'for d in sys.argv[1:]:',
        '    t = pq.read_table(d + "/datasets.pqt")',
        '    df = pd.read_parquet(d + "/datasets.pqt")',
        '    out[d] = {"rows": t.num_rows, "arrow_nulls": t.column("hash").null_count, "pandas_na": int(df["hash"].isna().sum()),',
        '              "type": str(t.schema.field("hash").type), "values": [v for v in df["hash"].tolist() if isinstance(v, str)]}',
        'print(json.dumps(out))',
      ].join('\n'),
      [plain, hashed],
    );
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, { rows: number; arrow_nulls: number; pandas_na: number; type: string; values: string[] }>;
    assert.deepEqual(out[plain], { rows: 12, arrow_nulls: 12, pandas_na: 12, type: 'string', values: [] });
    assert.equal(out[hashed]?.arrow_nulls, 0);
    assert.equal(out[hashed]?.values.length, 12);
    for (const h of out[hashed]?.values ?? []) assert.match(h, /^[0-9a-f]{32}$/);
  });

  test('Python ONE load_object neither hashes nor warns on our unhashed tables', { skip: SKIP_ONE }, async () => {
    await buildCache(root, { exclude: ['plain', 'hashed'] });
    const r = python(
      [
        'import logging, sys, warnings',
        'warnings.simplefilter("ignore")',
        'from iblutil.io import hashfile',
        'calls = [0]',
        'md5 = hashfile.md5',
        'def counting(*a, **k):',
        '    calls[0] += 1',
        '    return md5(*a, **k)',
        'hashfile.md5 = counting',
        'seen = []',
        'class Keep(logging.Handler):',
        '    def emit(self, record):',
        '        if record.levelno >= logging.WARNING: seen.append(record.getMessage())',
        'logging.getLogger("one").addHandler(Keep())',
        'from one.api import One',
        'one = One(cache_dir=sys.argv[1], mode="local")',
        'eids = one.search()',
        'n = sum(len(one.load_object(e, "trials")) for e in eids)',
        'print(len(eids), n, calls[0], len([m for m in seen if "md5" in m]))',
      ].join('\n'),
      [root],
    );
    assert.equal(r.status, 0, r.stderr);
    const [sessions, attributes, md5Calls, md5Warnings] = r.stdout.trim().split(/\s+/).map(Number);
    assert.equal(sessions, 3);
    assert.equal(attributes, 3 * ATTRIBUTES.length);
    assert.equal(md5Calls, 0, 'ONE hashed files');
    assert.equal(md5Warnings, 0, 'ONE warned about md5s');
  });
});
