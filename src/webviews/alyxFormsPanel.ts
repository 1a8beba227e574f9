import * as vscode from 'vscode';
import { AlyxConnectionError } from '../core/alyx/errors';
import type { WaterAdministrationRecord, WeighingRecord } from '../core/alyx/records';
import { RegistrationClient } from '../core/registration/client';
import { type AlyxRecordFormValues, parseAlyxRecordForm } from '../core/registration/forms';
import { alyxRecordFormDefaults } from '../core/registration/session-form';
import { subjectWaterStatus } from '../core/registration/water-status';
import type { AlyxConnection } from '../providers/alyx/connection';
import { loadLists } from '../providers/alyx/lists';
import { type AlyxLists, type CreatedRecordView, type RecordToExtension, type RecordToWebview, isRecordMessage } from '../protocol/alyx';
import { FormPanel } from './formPanel';
import { describe, formFailure } from './alyxFailure';

export const ALYX_RECORD_VIEW_TYPE = 'alf.alyxRecord';

export type RecordOutcome = { kind: 'created'; record: WeighingRecord | WaterAdministrationRecord } | { kind: 'invalid' | 'failed'; message: string };

/**
 * ALF: Register Weight… / Register Water…: one small form each (subject picker with search,
 * amount, date and time, user, water type, session, ad libitum). The record is created with the
 * registration client (ONE's register_weight / register_water_administration) and shown back.
 */
export class AlyxRecordPanel extends FormPanel<RecordToWebview, Extract<RecordToWebview, { type: 'init' }>, RecordToExtension> {
  private static readonly panels = new Map<'weight' | 'water', AlyxRecordPanel>();
  private busy = false;
  private lastError: unknown;
  /** Counts status requests: only the answer to the latest one is shown. */
  private statusRequests = 0;
  lastRun: Promise<RecordOutcome> | undefined;

  static async show(extensionUri: vscode.Uri, connection: AlyxConnection, kind: 'weight' | 'water', subject?: string): Promise<AlyxRecordPanel> {
    const existing = AlyxRecordPanel.panels.get(kind);
    if (existing) {
      existing.panel.reveal(vscode.ViewColumn.Active);
      return existing;
    }
    const title = kind === 'weight' ? 'Register Weight' : 'Register Water';
    const panel = FormPanel.createPanel(extensionUri, ALYX_RECORD_VIEW_TYPE, title);
    const created = new AlyxRecordPanel(panel, extensionUri, connection, kind);
    AlyxRecordPanel.panels.set(kind, created);
    await created.load(subject);
    return created;
  }

  static current(kind: 'weight' | 'water'): AlyxRecordPanel | undefined {
    return AlyxRecordPanel.panels.get(kind);
  }

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly connection: AlyxConnection,
    readonly kind: 'weight' | 'water',
  ) {
    super(panel, extensionUri, 'alyxRecord', isRecordMessage);
  }

  override dispose(): void {
    if (AlyxRecordPanel.panels.get(this.kind) === this) AlyxRecordPanel.panels.delete(this.kind);
    super.dispose();
  }

  private async load(subject?: string): Promise<void> {
    let lists: AlyxLists = { users: [], procedures: null, projects: null, repositories: null, waterTypes: null, subjects: null };
    let server = '';
    let user = '';
    let failure: { message: string; unreachable: boolean } | undefined;
    try {
      const login = await this.connection.login({ interactive: false });
      server = login.url;
      user = login.username;
      lists = await loadLists(login.client, this.kind === 'water' ? ['users', 'subjects', 'waterTypes'] : ['users', 'subjects']);
    } catch (err) {
      failure = { message: describe(err), unreachable: err instanceof AlyxConnectionError };
    }
    const values = alyxRecordFormDefaults(this.kind, { subject, user, waterTypes: lists.waterTypes });
    this.setInit({ type: 'init', values, lists, server, force: false });
    if (failure) this.post({ type: 'failed', ...failure });
  }

  protected override async onMessage(message: RecordToExtension): Promise<void> {
    switch (message.type) {
      case 'reload':
        await this.load();
        return;
      case 'showDetails':
        this.connection.showDetails(`Register ${this.kind}`, this.lastError);
        return;
      case 'submit':
        this.lastRun = this.submit(message.values);
        await this.lastRun;
        return;
      case 'subject':
        await this.sendSubjectStatus(message.subject);
        return;
    }
  }

  /** The subject's last weight, reference weight and today's water, as Alyx computes them. */
  async sendSubjectStatus(subject: string): Promise<void> {
    const request = ++this.statusRequests;
    const nickname = subject.trim();
    if (!nickname) return;
    let reply: RecordToWebview;
    try {
      const login = await this.connection.login({ interactive: false });
      reply = { type: 'subjectStatus', subject: nickname, status: await subjectWaterStatus(login.client, nickname) };
    } catch (err) {
      reply = { type: 'subjectStatus', subject: nickname, status: null, message: `Weight and water of ${nickname} not available: ${describe(err)}` };
    }
    if (request === this.statusRequests) this.post(reply);
  }

  async submit(values: AlyxRecordFormValues): Promise<RecordOutcome> {
    if (this.busy) return { kind: 'failed', message: 'already sending' };
    const parsed = parseAlyxRecordForm({ ...values, kind: this.kind });
    if (Object.keys(parsed.errors).length) {
      this.post({ type: 'invalid', errors: parsed.errors as Record<string, string> });
      return { kind: 'invalid', message: Object.values(parsed.errors).join(' ') };
    }
    this.busy = true;
    this.post({ type: 'busy', text: 'Sending…' });
    try {
      const login = await this.connection.login({ interactive: true });
      // Weights and water need no dataset types: an empty catalogue spares two requests.
      const reg = new RegistrationClient(login.client, { datasetTypes: [], dataFormats: [] }, { log: (l) => this.connection.output.info(l) });
      const record =
        this.kind === 'weight'
          ? await reg.registerWeight(values.subject.trim(), parsed.amount, { dateTime: parsed.dateTime, user: values.user.trim() })
          : await reg.registerWaterAdministration(values.subject.trim(), parsed.amount, {
              dateTime: parsed.dateTime,
              user: values.user.trim(),
              waterType: values.waterType.trim() || 'Water',
              adlib: values.adlib,
              ...(values.session.trim() ? { session: values.session.trim() } : {}),
            });
      this.post({ type: 'created', record: recordView(this.kind, record) });
      void this.sendSubjectStatus(values.subject);
      void vscode.window.showInformationMessage(
        this.kind === 'weight'
          ? `ALF: registered ${(record as WeighingRecord).weight} g for ${record.subject}.`
          : `ALF: registered ${(record as WaterAdministrationRecord).water_administered} ml of ${(record as WaterAdministrationRecord).water_type} for ${record.subject}.`,
      );
      return { kind: 'created', record };
    } catch (err) {
      this.lastError = err;
      this.connection.output.error(`Register ${this.kind}: ${describe(err)}`);
      const failure = formFailure(err, 'user');
      this.post(failure.message);
      if (failure.notify) {
        void vscode.window.showErrorMessage(`ALF: registering the ${this.kind} failed: ${describe(err)}`, 'Show details').then((pick) => {
          if (pick) this.connection.showDetails(`Register ${this.kind}`, err);
        });
      }
      return failure.outcome;
    } finally {
      this.busy = false;
    }
  }
}

function recordView(kind: 'weight' | 'water', record: WeighingRecord | WaterAdministrationRecord): CreatedRecordView {
  const fields: Array<[string, string]> = [['Subject', record.subject], ['Date and time', record.date_time], ['User', record.user]];
  if (kind === 'weight') fields.splice(1, 0, ['Weight', `${(record as WeighingRecord).weight} g`]);
  else {
    const w = record as WaterAdministrationRecord;
    fields.splice(1, 0, ['Water', `${w.water_administered} ml`], ['Water type', w.water_type], ['Ad libitum', w.adlib ? 'yes' : 'no']);
    if (w.session) fields.push(['Session', w.session]);
  }
  return { kind, url: record.url, fields };
}
