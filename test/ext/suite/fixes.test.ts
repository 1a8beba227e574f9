/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeTally, emptyTally, skippedTotal, tallyProblems, type ProblemTally } from '../../../src/core/alf';
import { codeSpan } from '../../../src/providers/markdownNames';
import { alf, allNodes, children, rootOf, waitFor } from '../helpers';

interface PanelCounts {
  errors: number;
  warnings: number;
  infos: number;
}

/** What the Problems panel (and VS Code's own status-bar counts) show for ALF, under `folder` or everywhere. */
function problemsPanel(folder?: string): PanelCounts {
  const counts = { errors: 0, warnings: 0, infos: 0 };
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    if (folder && uri.fsPath !== folder && !uri.fsPath.startsWith(`${folder}${path.sep}`)) continue;
    for (const d of diagnostics) {
      if (d.source !== 'ALF') continue;
      if (d.severity === vscode.DiagnosticSeverity.Error) counts.errors += 1;
      else if (d.severity === vscode.DiagnosticSeverity.Warning) counts.warnings += 1;
      else if (d.severity === vscode.DiagnosticSeverity.Information) counts.infos += 1;
    }
  }
  return counts;
}

function panelOf(t: ProblemTally): PanelCounts {
  return { errors: t.invalidFiles + t.invalidFolders, warnings: t.warnings, infos: skippedTotal(t) };
}

function withoutOutside(t: ProblemTally): ProblemTally {
  return { ...t, outside: 0 };
}

/** Issue 12, items 3–5: one set of numbers, the fix from a Problems entry, names shown exactly. */
export function fixesSuite(): void {
  suite('one set of numbers, fixes within reach, exact names (issue 12)', () => {
    test('Problems, the Sessions view, the status bar, Validate Folder and the build summary give the same counts', async () => {
      const api = await alf();
      const root = await rootOf(api);
      await api.whenIdle();
      const index = tallyProblems(root.model.problems());
      assert.ok(index.invalidFiles > 0 && index.warnings > 0, `a messy workspace: ${JSON.stringify(index)}`);

      // Problems panel: errors / warnings / infos are the categories.
      await waitFor(() => JSON.stringify(problemsPanel(root.fsPath)) === JSON.stringify(panelOf(index)), 10_000, `Problems ${JSON.stringify(problemsPanel(root.fsPath))} = ${JSON.stringify(panelOf(index))}`);

      // The Sessions view: "N invalid" on the labs and "Outside sessions" add up to the invalid
      // names and folders; the root item (several roots) says the core's line.
      const top = await children(api);
      const roots = top.filter((s) => s.node.type === 'root');
      const rootItem = roots.find((s) => s.node.root === root);
      const groups = rootItem ? await children(api, rootItem.node) : top;
      const invalidShown = groups
        .filter((s) => s.node.type === 'lab' || s.node.type === 'outsideGroup')
        .reduce((sum, s) => sum + Number(/· ([\d,]+) invalid$/.exec(s.description)?.[1]?.replace(/,/g, '') ?? 0), 0);
      assert.equal(invalidShown, index.invalidFiles + index.invalidFolders, 'labs + Outside sessions');
      if (rootItem) assert.ok(rootItem.description.endsWith(describeTally(index, { brief: true })), `root item: "${rootItem.description}"`);

      // ALF: Validate Folder.
      const validated = await vscode.commands.executeCommand<{ counts: ProblemTally; line: string }>('alf.validateFolder', root.uri);
      assert.deepEqual(validated.counts, index);
      assert.equal(validated.line, describeTally(index));

      // The build summary (form rows and notification line) counts the whole tree the core's way.
      const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alf-fixes-cache-'));
      const outcome = await api.buildCache({ folder: root.fsPath, outDir, hashFiles: false, exclude: api.workspace.settings.exclude });
      assert.equal(outcome.kind, 'done');
      if (outcome.kind !== 'done') return;
      assert.deepEqual(withoutOutside(outcome.summary.counts), index, 'build summary counts');
      assert.ok(outcome.summary.problemsLine.startsWith(describeTally(index)), outcome.summary.problemsLine);
      const rows = Object.fromEntries(outcome.summary.problemRows.map((r) => [r.label, r.count]));
      assert.equal(rows['Invalid file names'], index.invalidFiles);
      assert.equal(rows['Warnings'], index.warnings);

      // The status bar: every root's problems, as the whole Problems panel counts them.
      api.problemsStatus.refresh();
      const all = api.workspace.roots.filter((r) => r.state === 'ready').reduce((sum, r) => add(sum, tallyProblems(r.model.problems())), emptyTally());
      const status = api.problemsStatus.shown;
      assert.deepEqual(status.counts, all);
      assert.equal(status.text, `$(checklist) ALF: ${describeTally(all, { brief: true })}`);
      assert.deepEqual(problemsPanel(), panelOf(all), 'the whole Problems panel = the status bar');
      assert.equal(api.treeView.description, describeTally(all, { brief: true }), 'the Sessions view\'s description');
    });

    test('a fixable diagnostic links its code to the rename, for any file type', async () => {
      const api = await alf();
      const root = await rootOf(api);
      const fixable = [...root.model.problems()].find((p) => p.fix && !p.isFolder);
      assert.ok(fixable, 'the workspace has a fixable file');
      const uri = root.uriOf(fixable.at);
      const d = await waitFor(() => vscode.languages.getDiagnostics(uri).find((x) => x.source === 'ALF' && typeof x.code === 'object'), 5000, 'a linked diagnostic');
      const code = d.code as { value: string; target: vscode.Uri };
      assert.equal(code.value, fixable.code);
      assert.equal(code.target.scheme, 'command');
      assert.equal(code.target.path, 'alf.fixProblem');
      assert.match(d.message, new RegExp(`rename it to '${fixable.fix!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'`));
      const [token] = JSON.parse(code.target.query) as [string];
      assert.match(token, /^[A-Za-z0-9_-]+$/, 'the path travels encoded, safe from percent-decoding');
      // A link to a problem that is gone renames nothing and asks nothing.
      const stale = Buffer.from(JSON.stringify({ path: uri.fsPath, code: 'no-such-code' })).toString('base64url');
      assert.equal(await vscode.commands.executeCommand<boolean>('alf.fixProblem', stale), false);
      assert.equal(await vscode.commands.executeCommand<boolean>('alf.fixProblem', 'not a token'), false);
      assert.ok(fs.existsSync(uri.fsPath), 'nothing was renamed');
      const commands = await vscode.commands.getCommands(true);
      for (const id of ['alf.fixProblem', 'alf.fixNamesInSession', 'alf.renameToValid']) assert.ok(commands.includes(id), id);
    });

    test('tooltips show names exactly: code spans, no Markdown escapes', async () => {
      const api = await alf();
      const root = await rootOf(api);
      const nodes = (await allNodes(api)).filter((s) => s.node.root === root && s.node.type === 'problem');
      const withFix = nodes.find((s) => {
        const p = s.node.type === 'problem' ? root.model.problem(s.node.problemId) : undefined;
        return p?.fix?.includes('_');
      });
      assert.ok(withFix, 'a problem item whose suggested name has an underscore');
      const problem = withFix.node.type === 'problem' ? root.model.problem(withFix.node.problemId)! : undefined;
      const tooltip = withFix.item.tooltip as vscode.MarkdownString;
      assert.ok(tooltip.value.includes(`Quick fix: rename to ${codeSpan(problem!.fix!)}`), tooltip.value);
      // The message part is escaped Markdown that renders to its exact text (test/unit/fixes-hover.test.ts renders it);
      // the names people copy are code spans, where an escape would show.
      const spans = tooltip.value.match(/`[^`]*`/g) ?? [];
      assert.ok(spans.length > 0 && spans.every((span) => !span.includes('\\_')), `no escaped underscores in code spans: ${tooltip.value}`);
      assert.match(withFix.description, /^(invalid file name|invalid folder|warning|skipped: .+)$/);
    });
  });
}

function add(a: ProblemTally, b: ProblemTally): ProblemTally {
  return {
    invalidFiles: a.invalidFiles + b.invalidFiles,
    invalidFolders: a.invalidFolders + b.invalidFolders,
    warnings: a.warnings + b.warnings,
    skipped: { 'not-data': a.skipped['not-data'] + b.skipped['not-data'], unreadable: a.skipped.unreadable + b.skipped.unreadable, 'root-in-session': a.skipped['root-in-session'] + b.skipped['root-in-session'] },
    outside: a.outside + b.outside,
  };
}
