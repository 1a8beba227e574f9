/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openSettingCommand } from '../../../src/providers/alyx/settingsButton';
import { EXTENSION_ID, alf, waitFor } from '../helpers';

interface SettingSchema {
  scope?: string;
}

/** Settings that must reach remote windows, and the Open Settings button of "No Alyx server". */
export function alyxFormsSuite(): void {
  suite('Alyx settings in local and remote windows; Open Settings', () => {
    const config = () => vscode.workspace.getConfiguration('alf.alyx');

    suiteTeardown(async () => {
      await config().update('url', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    test('the installed manifest: alf.alyx.url window-scoped, allowInsecureHttp application-scoped', () => {
      const properties = (vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { configuration: { properties: Record<string, SettingSchema> } } })
        .contributes.configuration.properties;
      assert.equal(properties['alf.alyx.url']?.scope, 'window');
      assert.equal(properties['alf.alyx.allowInsecureHttp']?.scope, 'application');
    });

    test('alf.alyx.url in the User settings is the server, in this window whether local or remote', async () => {
      const api = await alf();
      await config().update('url', 'https://alyx.example.org', vscode.ConfigurationTarget.Global);
      assert.equal(config().inspect<string>('url')?.globalValue, 'https://alyx.example.org');
      assert.equal(await api.alyx.serverUrl(), 'https://alyx.example.org', `remote: ${vscode.env.remoteName ?? 'no'}`);
    });

    test('no server: the error names alf.alyx.url, and the button command opens the Settings editor', async () => {
      const api = await alf();
      await config().update('url', undefined, vscode.ConfigurationTarget.Global);
      const err = await api.alyx.serverUrl().then(
        () => undefined,
        (e: unknown) => e as { name?: string; setting?: string; message?: string },
      );
      // Python ONE may be set up on this machine: then its server is used and there is nothing to test.
      if (err === undefined) return;
      assert.equal(err.name, 'AlyxSettingError');
      assert.equal(err.setting, 'alf.alyx.url');
      const { command, args } = openSettingCommand('alf.alyx.url');
      await vscode.commands.executeCommand(command, ...args);
      await waitFor(() => vscode.window.tabGroups.activeTabGroup.activeTab?.label === 'Settings', 10_000, 'the Settings editor');
    });
  });
}
