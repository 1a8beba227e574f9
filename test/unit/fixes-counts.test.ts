// Issue 12 item 4: one set of numbers. The core defines the categories (invalid file name,
// invalid folder, warning, skipped and why, outside any session); on one generated messy tree
// the core's scan, `alf validate`, `alf build-cache` and the extension's index (what Problems,
// the Sessions view and the status bar count) must give the same counts in the same words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanTree } from '../../src/core/cache/scan';
import { categoryOf, describeTally, skippedTotal, tallyProblems, type ProblemTally } from '../../src/core/alf';
import { AlfIndex, IndexChanges } from '../../src/model/alfIndex';
import { walkFiles } from '../../src/model/worker/scan';
import { alf, HAS_SHARED, makeExampleData, makeSharedTree, NO_SHARED_REASON, tempDir, writeTree } from '../helpers';

/** The counts the extension shows: every problem of the root's index (Problems, tree, status bar). */
async function extensionTally(root: string): Promise<ProblemTally> {
  const index = new AlfIndex();
  const changes = new IndexChanges();
  await walkFiles(root, '', [], new AbortController().signal, (f) => index.upsert(f, changes));
  return tallyProblems(index.problems());
}

/** Problems panel severities follow the category: errors, warnings, infos. */
function problemsPanel(t: ProblemTally): { errors: number; warnings: number; infos: number } {
  return { errors: t.invalidFiles + t.invalidFolders, warnings: t.warnings, infos: skippedTotal(t) };
}

async function compareSurfaces(root: string): Promise<ProblemTally> {
  const scan = await scanTree(root);
  const core = tallyProblems([...scan.skipped, ...scan.warnings]);
  assert.ok(core.invalidFiles > 0 && core.warnings > 0 && skippedTotal(core) > 0, `a messy tree: ${JSON.stringify(core)}`);

  const validate = await alf(['validate', root, '--json']);
  assert.equal(validate.status, 1, validate.stderr);
  const v = JSON.parse(validate.stdout) as { counts: ProblemTally; problems: { category: string }[]; warnings: unknown[]; notes: unknown[] };
  assert.deepEqual(v.counts, core, 'alf validate --json');
  assert.equal(v.warnings.length, core.warnings);
  assert.equal(v.notes.length, core.outside);
  assert.equal(v.problems.length, core.invalidFiles + core.invalidFolders + skippedTotal(core));

  const text = await alf(['validate', root]);
  const line = describeTally(core);
  const summary = text.stdout.trimEnd().split('\n').at(-1)!;
  assert.ok(summary.toLowerCase().startsWith(`${line} in `), `alf validate says "${summary}", the core "${line}"`);

  const out = tempDir({ after: () => {} });
  const build = await alf(['build-cache', root, '--out', out, '--json']);
  assert.equal(build.status, 0, build.stderr);
  const b = JSON.parse(build.stdout) as { counts: ProblemTally; skipped: { code: string; isFolder: boolean }[]; warnings: unknown[] };
  assert.deepEqual(b.counts, core, 'alf build-cache --json');
  // Everything not indexed is exactly one of: invalid file, invalid folder, skipped, outside.
  assert.equal(b.skipped.length, core.invalidFiles + core.invalidFolders + skippedTotal(core) + core.outside);
  assert.equal(b.skipped.filter((s) => categoryOf(s.code, s.isFolder) === 'warning').length, 0, 'nothing skipped is called a warning');
  assert.equal(b.warnings.length, core.warnings);
  const buildText = await alf(['build-cache', root, '--out', out]);
  assert.match(buildText.stdout, new RegExp(`^Problems: ${escapeRe(describeTally(core, { outside: true }))}$`, 'm'));

  // The extension does not see files outside sessions that have no ALF name; everything else matches.
  const ext = await extensionTally(root);
  assert.deepEqual({ ...ext, outside: core.outside }, core, 'the extension index (Problems, Sessions view, status bar)');
  assert.deepEqual(problemsPanel(ext), problemsPanel(core));
  return core;
}

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('the project generator\'s messy tree: the same counts in validate, build-cache and the extension', async (t) => {
  const root = tempDir(t);
  makeExampleData(root, ['--messy', '--sessions', '24', '--no-bytes']);
  const counts = await compareSurfaces(root);
  t.diagnostic(`example data: ${describeTally(counts, { outside: true })}`);
});

test('the shared generator\'s 200-session messy tree (the one in issue 12)', { skip: HAS_SHARED ? false : NO_SHARED_REASON }, async (t) => {
  const root = tempDir(t);
  makeSharedTree(root, ['--messy', '--sessions', '200', '--no-bytes']);
  const counts = await compareSurfaces(root);
  t.diagnostic(`make-alf-tree --messy --sessions 200: ${describeTally(counts, { outside: true })}`);
});

test('each category has its own words, and unreadable or not-data files are skipped, not invalid', async (t) => {
  const root = tempDir(t);
  writeTree(root, {
    'lab/Subjects/S1/2020-01-01/001/alf/trials choice.npy': 'x',
    'lab/Subjects/S1/2020-01-01/001/alf/Trials.Choice.NPY': 'x',
    'lab/Subjects/S1/2020-01-01/001/.DS_Store': 'x',
    'lab/Subjects/S1/2020-01-01/001/create_me.flag': '',
    'lab/Subjects/S1/2020-01-01/001/bad collection/a.b.npy': 'x',
    'README.txt': 'x',
  });
  const tally = await compareSurfaces(root);
  assert.deepEqual(tally, { invalidFiles: 1, invalidFolders: 1, warnings: 1, skipped: { 'not-data': 2, unreadable: 0, 'root-in-session': 0 }, outside: 1 });
  assert.equal(
    describeTally(tally, { outside: true }),
    '1 invalid file name, 1 invalid folder, 1 warning, 2 skipped (not data), 1 file outside any session',
  );
});
