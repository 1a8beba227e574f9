/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { NodeOf } from '../../../src/providers/tree/nodes';
import { alf, allNodes, children, findFiles, rootOf, workspaceFolder } from '../helpers';

export function sessionsTreeSuite(): void {
  suite('Sessions view', () => {
    test('shows labs at the top, and "Outside sessions" for ALF files outside any session', async () => {
      const api = await alf();
      const top = await children(api);
      const labels = top.map((t) => t.label);
      assert.ok(labels.includes('angelakilab'), `labs: ${labels}`);
      assert.ok(labels.includes('Outside sessions'), `top: ${labels}`);
      const outside = top.find((t) => t.label === 'Outside sessions')!;
      const inside = (await children(api, outside.node)).map((c) => c.label);
      assert.ok(inside.includes('_ibl_wheel.position.npy'), `outside: ${inside}`);
    });

    test('lab → subject → date/number → collection → datasets, with dataset and invalid counts', async () => {
      const api = await alf();
      const [bad] = findFiles(workspaceFolder(), (n) => n === 'trials choice.npy');
      assert.ok(bad, 'the generated tree has trials choice.npy');
      const parts = bad.split('/'); // lab/Subjects/subject/date/number/alf/name
      const lab = (await children(api)).find((t) => t.label === parts[0])!;
      const subject = (await children(api, lab.node)).find((t) => t.label === parts[2])!;
      assert.ok(subject, `subject ${parts[2]}`);
      const session = (await children(api, subject.node)).find((t) => t.label === `${parts[3]}/${parts[4]}`)!;
      assert.ok(session, `session ${parts[3]}/${parts[4]}`);
      assert.match(session.description, /^\d+ datasets · 1 invalid$/);
      const sessionChildren = await children(api, session.node);
      const alfFolder = sessionChildren.find((c) => c.label === 'alf')!;
      assert.ok(alfFolder, 'collection alf');
      assert.ok((await children(api, alfFolder.node)).some((d) => d.label === '_ibl_trials.choice.npy'));
      const invalid = sessionChildren.find((c) => c.label === 'alf/trials choice.npy')!;
      assert.ok(invalid, `invalid item among ${sessionChildren.map((c) => c.label)}`);
      assert.equal((invalid.item.iconPath as vscode.ThemeIcon).id, 'error');
      const tooltip = invalid.item.tooltip as vscode.MarkdownString;
      assert.match(tooltip.value.replace(/&nbsp;/g, ' '), /contains a space/);
      assert.match(invalid.item.contextValue ?? '', /\bfixable\b/);
    });

    test('revisions show as #label# under their collection', async () => {
      const api = await alf();
      const revisions = (await allNodes(api)).filter((n) => n.node.type === 'folder' && (n.node as NodeOf<'folder'>).revision !== null);
      assert.ok(revisions.length > 0, 'the generated tree has a revision folder');
      assert.match(revisions[0]!.label, /^#.+#$/);
      assert.ok((await children(api, revisions[0]!.node)).length > 0);
    });

    test('the problems-only toggle hides everything without a problem', async () => {
      const api = await alf();
      await vscode.commands.executeCommand('alf.showProblemsOnly');
      try {
        const nodes = await allNodes(api);
        const root = api.workspace.roots[0]!;
        const sessions = nodes.filter((n) => n.node.type === 'session');
        assert.ok(sessions.length > 0);
        const clean = sessions.filter((s) => root.model.sessions.get((s.node as NodeOf<'session'>).sessionPath)!.problemIds.length === 0);
        assert.deepEqual(clean.map((s) => s.label), [], 'sessions without problems are hidden');
        assert.ok(!nodes.some((n) => n.node.type === 'dataset' && (n.item.iconPath as vscode.ThemeIcon).id === 'file'), 'no plain datasets');
      } finally {
        await vscode.commands.executeCommand('alf.showAllItems');
      }
      assert.equal(api.tree.problemsOnly, false);
    });

    test('copy session path, eid and a Python ONE snippet', async () => {
      const api = await alf();
      const root = await rootOf(api);
      const session = (await allNodes(api)).find((n) => n.node.type === 'session')!;
      await vscode.commands.executeCommand('alf.copySessionPath', session.node);
      const copied = await vscode.env.clipboard.readText();
      assert.ok(copied.startsWith(root.fsPath), copied);
      const eid = await vscode.commands.executeCommand<string>('alf.copyEid', session.node);
      assert.match(eid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      const snippet = await vscode.commands.executeCommand<string>('alf.copyOneSnippet', session.node);
      assert.match(snippet, /from one\.api import ONE/);
      assert.ok(snippet.includes(eid), 'snippet uses the eid');
      assert.match(snippet, /one\.load_object\(eid, 'trials'/);
    });
  });
}
