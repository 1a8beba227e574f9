import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { checkAlyxUrl } from '../../src/core/alyx/url-policy';
import { type AlyxRecordFormValues, type RegisterSessionFormValues, formDateTimeText, parseAlyxRecordForm, parseRegisterSessionForm } from '../../src/core/registration/forms';

interface SettingSchema {
  scope?: string;
}
const settings = (JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, SettingSchema> } } })
  .contributes.configuration.properties;

describe('settings that work in local and remote windows', () => {
  test('alf.alyx.url: window scope, so a User setting reaches remote windows (machine scopes are read from Remote settings there)', () => {
    assert.equal(settings['alf.alyx.url']?.scope, 'window');
    assert.equal(settings['alf.alyx.flagPattern']?.scope, 'window');
  });

  test('alf.alyx.allowInsecureHttp: application scope, User settings only (every window reads them; no workspace can set it)', () => {
    assert.equal(settings['alf.alyx.allowInsecureHttp']?.scope, 'application');
  });

  test('alf.dataRoots stays machine-overridable: its paths name folders on the machine the extension runs on', () => {
    assert.equal(settings['alf.dataRoots']?.scope, 'machine-overridable');
  });

  test('a refused server URL names the setting that fixes it (the Open Settings button opens that one)', () => {
    const refusal = (url: string, insecure = false) => {
      const v = checkAlyxUrl(url, insecure);
      assert.equal(v.ok, false, url);
      return v.ok ? undefined : v.setting;
    };
    assert.equal(refusal(''), 'alf.alyx.url');
    assert.equal(refusal('alyx.org'), 'alf.alyx.url');
    assert.equal(refusal('https://me:pw@alyx.org'), 'alf.alyx.url');
    assert.equal(refusal('http://alyx.example.org'), 'alf.alyx.allowInsecureHttp');
  });
});

describe('dates in the Alyx forms: ISO yyyy-mm-dd, whatever the locale', () => {
  const record: AlyxRecordFormValues = { kind: 'weight', subject: 'algernon', amount: '23.4', dateTime: '', user: 'test_user', waterType: 'Water', session: '', adlib: false };

  test('shown as yyyy-mm-dd hh:mm', () => {
    assert.equal(formDateTimeText(new Date(2024, 0, 5, 7, 3, 59)), '2024-01-05 07:03');
  });

  test('typed with a space or a T; sent with a T and seconds', () => {
    assert.equal(parseAlyxRecordForm({ ...record, dateTime: '2024-05-02 09:30' }).dateTime, '2024-05-02T09:30:00');
    assert.equal(parseAlyxRecordForm({ ...record, dateTime: ' 2024-05-02T09:30:15 ' }).dateTime, '2024-05-02T09:30:15');
  });

  test('a locale order (05/02/2024) is refused with the ISO form to type', () => {
    assert.match(parseAlyxRecordForm({ ...record, dateTime: '05/02/2024 09:30' }).errors.dateTime ?? '', /yyyy-mm-dd hh:mm, e\.g\. 2024-05-02 09:30/);
    assert.match(parseAlyxRecordForm({ ...record, dateTime: '2024-02-30 09:30' }).errors.dateTime ?? '', /yyyy-mm-dd/);
  });

  test('Register Session: start and end typed with a space', () => {
    const values: RegisterSessionFormValues = {
      users: ['test_user'], startTime: '2024-05-02 09:30', endTime: '2024-05-02 10:45', procedures: [], projects: [], taskProtocol: '', location: '',
      nTrials: '', nCorrectTrials: '', json: '', files: [], repository: '', serverOnly: false, maxHashMb: '',
    };
    const parsed = parseRegisterSessionForm(values, '/data/algernon/2024-05-02/001', '2024-05-02');
    assert.deepEqual(parsed.errors, {});
    assert.equal(parsed.options.startTime, '2024-05-02T09:30:00');
    assert.equal(parsed.options.endTime, '2024-05-02T10:45:00');
    assert.match(parseRegisterSessionForm({ ...values, startTime: '2024-05-03 09:30' }, '/d/a/2024-05-02/001', '2024-05-02').errors.startTime ?? '', /session's date, 2024-05-02/);
  });
});
