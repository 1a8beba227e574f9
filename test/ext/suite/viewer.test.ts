/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { writeCacheTables } from '../../../src/core/cache/tables';
import type { DatasetRow, SessionRow } from '../../../src/core/cache/types';
import type { AlfExtensionApi } from '../../../src/extension';
import type { RecentSearch } from '../../../src/model/recentSearches';
import type { AlfRoot } from '../../../src/providers/alfRoot';
import type { SearchResultsView } from '../../../src/protocol/local';
import type { SearchForm } from '../../../src/core/one';
import { describeTurns, measureTurns, type Turns } from '../../event-loop';
import { alf, rootOf, waitFor } from '../helpers';

const SESSIONS = 20_000;
const PER_SESSION = 15;
const QCS = ['NOT_SET', 'PASS', 'WARNING', 'FAIL', 'CRITICAL'] as const;
const NAMES = ['alf/_ibl_trials.table.pqt', 'alf/#2023-04-20#/_ibl_trials.table.pqt', 'alf/_ibl_wheel.position.npy', 'raw_video_data/_iblrig_leftCamera.raw.mp4'];
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** A cache of 300,000 datasets (ONE's layout, our writer): big enough that a sort is real work. */
async function writeBigCache(dir: string): Promise<void> {
  const sessions: SessionRow[] = [];
  const datasets: DatasetRow[] = [];
  for (let s = 0; s < SESSIONS; s++) {
    const id = `${hex(s, 8)}-0000-4000-8000-000000000000`;
    sessions.push({ id, lab: `lab${s % 7}`, subject: `SUBJ_${s % 900}`, date: `2024-0${1 + (s % 9)}-1${s % 10}`, number: 1 + (s % 3), task_protocol: '', projects: '' });
    for (let k = 0; k < PER_SESSION; k++) {
      const i = s * PER_SESSION + k;
      datasets.push({ eid: id, id: `${hex(i, 8)}-1111-4000-8000-${hex(i * 7919, 12)}`, rel_path: `${NAMES[k % NAMES.length]!.replace('.', `${k}.`)}`, file_size: (i * 104_729) % 1_000_000_007, hash: hex(i, 32), exists: true, qc: QCS[i % 5]! });
    }
  }
  await writeCacheTables({ outDir: dir, sessions, datasets, metadata: { date_created: '2026-01-01 00:00', origin: 'viewer test' } });
}

export function viewerSuite(): void {
  suite('Parquet table viewer and Search results', () => {
    test('300,000 datasets: pages, filter, sort, session column and CSV export run on the worker; the host is never blocked', async function () {
      this.timeout(180_000);
      const api = await alf();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alf-viewer-'));
      try {
        await writeBigCache(dir);
        const delay = monitorEventLoopDelay({ resolution: 5 });
        delay.enable();
        const t0 = performance.now();
        const info = await api.worker.call('openTable', { path: path.join(dir, 'datasets.pqt') });
        const first = await api.worker.call('tablePage', { tableId: info.tableId, offset: 0, limit: 100, query: { filters: [] } });
        const firstMs = performance.now() - t0;
        assert.equal(info.rowCount, SESSIONS * PER_SESSION);
        const names = info.columns.map((c) => c.name);
        assert.deepEqual(names, ['rel_path', 'file_size', 'hash', 'exists', 'qc', 'eid', 'session', 'id']);
        // The first answer may come before sessions.pqt is read (partial); the second has the sessions.
        const full = first.partial ? await api.worker.call('tablePage', { tableId: info.tableId, offset: 0, limit: 100, query: { filters: [] }, complete: true }) : first;
        assert.equal(full.rows[0]![6], 'lab0/SUBJ_0/2024-01-10/001');
        const col = (n: string) => names.indexOf(n);
        const t1 = performance.now();
        const sorted = await api.worker.call('tablePage', { tableId: info.tableId, offset: 0, limit: 50, query: { filters: [{ column: col('rel_path'), mode: 'regex', value: '^alf/#\\d{4}-' }], sort: { column: col('file_size'), descending: true } } });
        const sortMs = performance.now() - t1;
        assert.ok(sorted.rowCount > 0 && sorted.rowCount < info.rowCount);
        assert.ok(sorted.rows.every((r) => r[col('rel_path')]!.startsWith('alf/#2023-04-20#/')));
        const sizes = sorted.rows.map((r) => Number(r[col('file_size')]));
        assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a));
        const out = path.join(dir, 'filtered.csv');
        const exported = await api.worker.call('exportTableCsv', { tableId: info.tableId, path: out, query: { filters: [{ column: col('qc'), mode: 'equals', value: 'FAIL' }] }, columns: [col('session'), col('rel_path'), col('file_size')] });
        assert.equal(exported.rows, (SESSIONS * PER_SESSION) / 5);
        const lines = fs.readFileSync(out, 'utf8').split('\r\n');
        assert.equal(lines[0], 'session,rel_path,file_size');
        assert.equal(lines.length, exported.rows + 2);
        await api.worker.call('closeTable', { tableId: info.tableId });
        delay.disable();
        const maxMs = delay.max / 1e6;
        console.log(`    viewer on ${info.rowCount.toLocaleString('en-US')} rows: first page ${firstMs.toFixed(0)} ms, filter + sort ${sortMs.toFixed(0)} ms; extension host longest block ${maxMs.toFixed(1)} ms (target ≤ 50)`);
        // Printed, not asserted at 50 ms (a shared CI machine stalls whole processes); a sort on the host would take seconds.
        assert.ok(maxMs < 500, `the extension host was blocked ${maxMs.toFixed(0)} ms`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    test('datasets.pqt opens in the table editor', async () => {
      const api = await alf();
      const root = await rootOf(api);
      const outcome = await api.buildCache({ folder: root.fsPath, outDir: root.fsPath, hashFiles: false, exclude: [] });
      assert.equal(outcome.kind, 'done');
      const uri = vscode.Uri.file(path.join(root.fsPath, 'datasets.pqt'));
      await vscode.commands.executeCommand('vscode.open', uri);
      await waitFor(() => {
        const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
        return input instanceof vscode.TabInputCustom && input.viewType === 'alf.parquetTable' && input.uri.fsPath === uri.fsPath;
      }, 5000, 'custom editor tab');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    test('a search is kept among the recent searches and opens in an editor tab as a table', async function () {
      this.timeout(60_000);
      const api = await alf();
      const root = await rootOf(api);
      await waitFor(() => api.cacheStatus.info(root) !== null, 10_000, 'cache found');
      const subject = [...root.model.sessions.values()][0]!.key.subject;
      await vscode.commands.executeCommand('alf.search', { subject });
      const recent = await waitFor(async () => {
        const list = await vscode.commands.executeCommand<RecentSearch[]>('alf.recentSearches');
        return list.find((r) => r.form.subject === subject);
      }, 20_000, 'the search among the recent ones');
      assert.ok(recent.total >= 1);
      const view = await vscode.commands.executeCommand<SearchResultsView>('alf.openSearchResults');
      assert.equal(view.form.subject, subject);
      assert.equal(view.total, recent.total);
      assert.ok(view.sessions.every((s) => s.subject.match(new RegExp(subject))));
      await waitFor(() => {
        const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
        return input instanceof vscode.TabInputWebview && input.viewType.endsWith('alf.searchResults');
      }, 5000, 'the results tab');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    test('Search view on 300,000 datasets: the cache opens and searches in the worker, the host is never blocked', async function () {
      this.timeout(180_000);
      const api = await alf();
      const root = await rootOf(api);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alf-search-big-'));
      try {
        await writeBigCache(dir);
        const run = await searchViewRun(api, root, dir, { subject: 'SUBJ_17$' }, { subject: 'SUBJ_42$' }, { lab: 'lab3' });
        // SUBJ_k is session s with s % 900 === k: 20,000 / 900 sessions, 22 or 23.
        assert.equal(run.cold.entry.total, Math.ceil((SESSIONS - 17) / 900));
        assert.equal(run.warm.entry.total, Math.ceil((SESSIONS - 42) / 900));
        assert.equal(run.view.total, Math.ceil((SESSIONS - 3) / 7));
        // A fifth of each session's datasets are CRITICAL, which ONE's listing hides.
        assert.ok(run.view.sessions.every((x) => x.lab === 'lab3' && x.datasets === PER_SESSION - PER_SESSION / 5));
        // OneLocal.open of this cache is 190–320 ms in plain Node (load 4.8), all of it on the host before.
        assertSearchViewBounds(run);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    // The issue's cache: set E2E_BIG_CACHE to a folder made by ../shared/tools/make-big-cache.py (1.5 M datasets).
    const bigCache = process.env.E2E_BIG_CACHE;
    const hasBigCache = !!bigCache && fs.existsSync(path.join(bigCache, 'datasets.pqt'));
    (hasBigCache ? test : test.skip)('Search view on the Alyx-size cache (E2E_BIG_CACHE): the host is never blocked, searches answered (times printed)', async function () {
      this.timeout(300_000);
      const api = await alf();
      const root = await rootOf(api);
      // A copy, so nothing here can write to the folder given.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alf-search-alyx-'));
      try {
        for (const table of ['sessions.pqt', 'datasets.pqt']) fs.copyFileSync(path.join(bigCache!, table), path.join(dir, table));
        const run = await searchViewRun(api, root, dir, { dateFrom: '2020-01-01' }, { lab: '^c' }, { lab: '^[a-m]' });
        assert.ok(run.cold.entry.total > 0 && run.warm.entry.total > 0 && run.view.total > 0);
        assertSearchViewBounds(run);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

interface TimedSearch {
  /** From the command to the search among the recent ones (focusing the view and filling its form included). */
  ms: number;
  entry: RecentSearch;
}

interface SearchViewRun {
  cold: TimedSearch;
  warm: TimedSearch;
  view: SearchResultsView;
  tabMs: number;
  turns: Turns;
}

/**
 * Makes `dir` the cache of the workspace root (as if built there; restored after), then searches
 * it from the Search view twice (the first opens the cache in the worker) and opens a results tab,
 * measuring the extension host's turns throughout. Prints the figures.
 */
async function searchViewRun(api: AlfExtensionApi, root: AlfRoot, dir: string, coldForm: SearchForm, warmForm: SearchForm, tabForm: SearchForm): Promise<SearchViewRun> {
  await api.cacheStatus.recordBuild(root.fsPath, dir);
  try {
    const info = api.cacheStatus.info(root);
    assert.equal(info?.dir, dir);
    const searchOnce = async (form: SearchForm): Promise<TimedSearch> => {
      const started = Date.now();
      const t0 = performance.now();
      await vscode.commands.executeCommand('alf.search', form);
      const entry = await waitFor(async () => {
        const list = await vscode.commands.executeCommand<RecentSearch[]>('alf.recentSearches');
        return list.find((r) => r.root === root.fsPath && r.at >= started && JSON.stringify(r.form) === JSON.stringify(form));
      }, 120_000, `the search ${JSON.stringify(form)} among the recent ones`, 2);
      return { ms: performance.now() - t0, entry };
    };
    const measuring = measureTurns();
    const cold = await searchOnce(coldForm);
    const warm = await searchOnce(warmForm);
    const t1 = performance.now();
    const view = await vscode.commands.executeCommand<SearchResultsView>('alf.openSearchResults', tabForm, root.fsPath);
    const tabMs = performance.now() - t1;
    const turns = measuring.stop();
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    // entry.ms: from the view's request reaching the host to the results sent back (the click's answer, webview hops aside).
    console.log(
      `    search view on ${info!.datasetCount.toLocaleString('en-US')} datasets (load ${os.loadavg()[0]!.toFixed(1)}): first search (opens the cache) answered in ${cold.entry.ms?.toFixed(0)} ms ` +
        `(${cold.ms.toFixed(0)} ms from the command), next search answered in ${warm.entry.ms?.toFixed(0)} ms (target ≤ 100; ${warm.ms.toFixed(0)} ms from the command, which focuses the view and fills its form), ` +
        `results tab of ${view.sessions.length.toLocaleString('en-US')} sessions ${tabMs.toFixed(0)} ms; extension host ${describeTurns(turns)} (target ≤ 50)`,
    );
    return { cold, warm, view, tabMs, turns };
  } finally {
    await api.cacheStatus.recordBuild(root.fsPath, root.fsPath);
  }
}

/** The issue's targets (50 ms turns, 100 ms answers) are printed; these bounds leave room for a loaded shared machine. */
function assertSearchViewBounds(run: SearchViewRun): void {
  assert.ok(run.turns.maxMs < 500, `the extension host was blocked ${run.turns.maxMs.toFixed(0)} ms`);
  assert.ok(run.warm.entry.ms !== undefined && run.warm.entry.ms < 1000, `a search on an open cache took ${run.warm.entry.ms?.toFixed(0)} ms`);
  assert.ok(run.warm.ms < 3000, `the results came ${run.warm.ms.toFixed(0)} ms after the command`);
}
