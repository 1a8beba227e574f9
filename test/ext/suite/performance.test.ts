/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { AlfNode } from '../../../src/providers/tree/nodes';
import { alf, startProfile, waitFor } from '../helpers';


/** The project's generator, found through the e2e run (the tests run from the installed .vsix). */
const GENERATOR = process.env.E2E_PROJECT_DIR && path.join(process.env.E2E_PROJECT_DIR, 'scripts', 'make-example-data.mjs');
const SESSIONS = Number(process.env.E2E_PERF_SESSIONS ?? 4930);

/**
 * The figures on the generator's large tree (4,930 sessions, about 74k files): first
 * tree within 2 s, a rename shown within 300 ms, and the extension host never blocked for more
 * than 50 ms. These are measured and printed (and written to ext-perf.json next to the test
 * results) against their targets, not asserted: a timing depends on what else the machine is
 * doing, so a test on it would fail for reasons that are not ours. The tests assert what must
 * hold whatever the speed: the whole tree is shown, and the rename reaches it.
 */
const target = (met: boolean): string => (met ? 'met' : 'MISSED');

export function performanceSuite(): void {
  suite('performance on a large tree', function () {
    this.timeout(300_000);
    let dataRoot: string | undefined;
    const figures: Record<string, number> = {};

    suiteSetup(async function () {
      if (!GENERATOR || !fs.existsSync(GENERATOR)) {
        console.log('    skipped: the project folder is unknown (E2E_PROJECT_DIR unset)');
        this.skip();
      }
      dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'alf-large-'));
      const tree = path.join(dataRoot, 'data');
      const started = Date.now();
      // Asynchronously: this runs in the extension host, which must stay responsive.
      await promisify(execFile)(process.execPath, [GENERATOR!, '--out', tree, '--sessions', String(SESSIONS), '--no-bytes', '--quiet']);
      figures.generateMs = Date.now() - started;
    });

    suiteTeardown(async () => {
      await vscode.workspace.getConfiguration('alf').update('dataRoots', undefined, vscode.ConfigurationTarget.Workspace);
      const out = process.env.E2E_TEST_RESULTS;
      if (out) fs.writeFileSync(path.join(path.dirname(out), 'ext-perf.json'), JSON.stringify(figures, null, 2));
      if (dataRoot) await fs.promises.rm(dataRoot, { recursive: true, force: true });
    });

    test('a 74k-file tree is shown, with the first tree, scan and event-loop figures measured', async () => {
      const api = await alf();
      const tree = path.join(dataRoot!, 'data');
      let gcMax = 0;
      const gcLong: string[] = [];
      const gc = new PerformanceObserver((list) =>
        list.getEntries().forEach((e) => {
          gcMax = Math.max(gcMax, e.duration);
          // detail.kind: 1 minor (scavenge), 2 major (mark-compact), 4 incremental, 8 weak callbacks.
          if (e.duration > 20) gcLong.push(`${(e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind}:${e.duration.toFixed(0)}ms`);
        }),
      );
      Object.assign(api.workspace.stats, { maxApplyMs: 0, maxPublishMs: 0, batches: 0 });
      // The same measure with nothing of ours running: what this machine and VS Code cost anyway.
      const idle = monitorEventLoopDelay({ resolution: 5 });
      idle.enable();
      await new Promise((resolve) => setTimeout(resolve, 3000));
      idle.disable();
      figures.idleEventLoopMaxMs = idle.max / 1e6;
      const started = performance.now();
      await vscode.workspace.getConfiguration('alf').update('dataRoots', [tree], vscode.ConfigurationTarget.Workspace);
      const root = await waitFor(() => api.workspace.roots.find((r) => r.fsPath === tree), 10_000, 'the new root', 1);
      // Measured from here: the settings change itself wakes every extension, not only this one.
      const delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
      gc.observe({ entryTypes: ['gc'] });
      const profile = process.env.E2E_PROFILE ? await startProfile() : undefined;
      await waitFor(() => {
        const node = (api.tree.getChildren() as AlfNode[]).find((n) => n.type === 'root' && n.root === root);
        return node && (api.tree.getChildren(node) as AlfNode[]).some((n) => n.type === 'lab');
      }, 10_000, 'first labs in the view');
      figures.firstTreeMs = performance.now() - started;
      await waitFor(() => root.state === 'ready', 60_000, 'scan finished', 20);
      figures.fullScanMs = performance.now() - started;
      delay.disable();
      gc.disconnect();
      if (profile) await profile.stop(path.join(path.dirname(process.env.E2E_TEST_RESULTS ?? os.tmpdir()), 'ext-scan.cpuprofile'));
      figures.gcMaxMs = gcMax;
      figures.maxApplyMs = api.workspace.stats.maxApplyMs;
      figures.maxPublishMs = api.workspace.stats.maxPublishMs;
      figures.batches = api.workspace.stats.batches;
      console.log(`    long GC pauses: ${gcLong.join(' ') || 'none'}; idle event loop max ${figures.idleEventLoopMaxMs.toFixed(1)} ms`);
      console.log(`    longest: gc ${gcMax.toFixed(1)} ms, batch ${figures.maxApplyMs.toFixed(1)} ms, publish ${figures.maxPublishMs.toFixed(1)} ms over ${figures.batches} batches`);
      figures.files = root.model.fileCount;
      figures.sessions = root.model.sessions.size;
      figures.eventLoopMaxMs = delay.max / 1e6;
      figures.eventLoopP99Ms = delay.percentile(99) / 1e6;
      console.log(`    ${figures.files} files: first tree ${figures.firstTreeMs.toFixed(0)} ms, full scan ${figures.fullScanMs.toFixed(0)} ms, ` +
        `event loop max ${figures.eventLoopMaxMs.toFixed(1)} ms (p99 ${figures.eventLoopP99Ms.toFixed(1)} ms)`);
      console.log(`    target first tree < 2000 ms: ${target(figures.firstTreeMs < 2000)}; event loop max < 50 ms: ${target(figures.eventLoopMaxMs < 50)}`);
      assert.ok(figures.files >= SESSIONS * 10, `${figures.files} files`);
      assert.equal(figures.sessions, root.model.sessions.size);
      assert.ok(figures.sessions >= SESSIONS, `${figures.sessions} sessions shown`);
    });

    test('a rename in the large tree reaches the index, with its time measured', async () => {
      const api = await alf();
      const tree = path.join(dataRoot!, 'data');
      const root = api.workspace.roots.find((r) => r.fsPath === tree)!;
      const session = [...root.model.sessions.values()][Math.floor(root.model.sessions.size / 2)]!;
      const file = (await root.model.datasets(session.key.path))[0]!;
      const from = root.absolute(file.path);
      const badName = file.path.replace(/[^/]+$/, 'trials renamed.npy');
      // VS Code's file watcher takes a while to cover a new 74k-file root, and restarts itself
      // now and then ("restarting watcher after unexpected error" in code-server's log); events
      // in between are lost whatever the extension does. So the measured rename waits until a
      // probe file has been seen: it measures the extension, not the watcher's start-up. A probe
      // written while the watcher still crawls the new root can go unseen for good (its folder was
      // not watched yet), so a fresh probe is written every 10 s, for 2 minutes at most.
      const probeStarted = Date.now();
      let probe = '';
      for (let attempt = 1; ; attempt++) {
        probe = file.path.replace(/[^/]+$/, `watcher probe ${attempt}.npy`);
        fs.writeFileSync(root.absolute(probe), '');
        const seen = await waitFor(() => root.model.problemsAt(probe).length > 0, 10_000, 'a probe file', 20).then(() => true, () => false);
        if (seen) break;
        fs.rmSync(root.absolute(probe));
        if (Date.now() - probeStarted > 120_000) throw new Error(`the watcher reported none of ${attempt} probe files in 2 minutes`);
      }
      console.log(`    the watcher reported a probe file after ${((Date.now() - probeStarted) / 1000).toFixed(1)} s`);
      fs.rmSync(root.absolute(probe));
      await waitFor(() => root.model.problemsAt(probe).length === 0, 30_000, 'the probe file to go', 5);
      const delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
      const started = performance.now();
      fs.renameSync(from, root.absolute(badName));
      await waitFor(() => root.model.problemsAt(badName).length > 0, 30_000, 'rename in the index', 2);
      figures.renameMs = performance.now() - started;
      delay.disable();
      figures.renameEventLoopMaxMs = delay.max / 1e6;
      figures.renameEventToModelMs = api.workspace.stats.lastEventToModelMs;
      console.log(`    rename reflected after ${figures.renameMs.toFixed(0)} ms, ${figures.renameEventToModelMs.toFixed(0)} ms of it from the watcher's event to the model (event loop max ${figures.renameEventLoopMaxMs.toFixed(1)} ms)`);
      console.log(`    target rename shown < 300 ms: ${target(figures.renameMs < 300)}`);
    });
  });
}
