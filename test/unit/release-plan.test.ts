// What the editor's Package Data Release form shows before writing (planRelease), and the
// writer's sha256 computed while writing, also over an entry streamed in chunks (> 8 MB).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir, writeTree } from '../helpers';
import { packageRelease, planRelease } from '../../src/core/release/package-release';
import { writeZip } from '../../src/core/release/zip-writer';
import { hasTool } from './release-helpers';

test('planRelease: the entries and bytes packageRelease then writes, and what is left out with reasons, nothing written', async (t) => {
  const base = tempDir(t);
  const root = path.join(base, 'data');
  writeTree(root, {
    'lab/Subjects/S1/2020-01-01/001/alf/trials.choice.npy': Buffer.alloc(4000, 7),
    'lab/Subjects/S1/2020-01-01/001/alf/trials choice.npy': 'bad name',
    'lab/Subjects/S1/2020-01-01/001/alf/wheel.position.npy': Buffer.alloc(100, 1),
    'README.md': '# r\n',
    'notes.txt': 'not data',
  });
  const plan = await planRelease(root);
  assert.deepEqual(fs.readdirSync(base), ['data'], 'nothing written beside');
  assert.ok(!fs.existsSync(path.join(root, 'sessions.pqt')), 'no tables built by a plan');
  assert.deepEqual(plan.documents, ['README.md']);
  assert.equal(plan.entries, 2 + 2 + 1);
  assert.equal(plan.bytes, 4000 + 100 + 4);
  assert.deepEqual(plan.leftOut.map((s) => s.path).sort(), ['lab/Subjects/S1/2020-01-01/001/alf/trials choice.npy', 'notes.txt']);
  assert.ok(plan.leftOut.every((s) => s.reason.length > 10 && s.code.length > 0));
  const r = await packageRelease(root);
  assert.equal(r.entries, plan.entries);
  assert.deepEqual(r.leftOut.map((s) => s.path).sort(), plan.leftOut.map((s) => s.path).sort());
});

test('the sha256 reported is the written file\'s, with small batched entries and an entry streamed past 8 MB', async (t) => {
  const base = tempDir(t);
  const big = path.join(base, 'big.bin');
  const small = path.join(base, 'small.bin');
  const b = Buffer.alloc(9 * 1024 * 1024);
  for (let i = 0; i < b.length; i += 4) b.writeUInt32LE((i * 2654435761) >>> 0, i);
  fs.writeFileSync(big, b);
  fs.writeFileSync(small, 'small '.repeat(100));
  const zip = path.join(base, 'out.zip');
  const r = await writeZip(zip, [
    { name: 'a/small.bin', absPath: small, size: 600, mtimeMs: 0 },
    { name: 'b/big.bin', absPath: big, size: b.length, mtimeMs: 0 },
    { name: 'c/small.bin', absPath: small, size: 600, mtimeMs: 0 },
  ], { level: 6 });
  assert.equal(r.sha256, createHash('sha256').update(fs.readFileSync(zip)).digest('hex'));
  if (hasTool('unzip')) {
    const u = spawnSync('unzip', ['-t', zip], { encoding: 'utf8' });
    assert.equal(u.status, 0, u.stdout + u.stderr);
  } else t.diagnostic('unzip not installed: Info-ZIP check skipped');
});
