/**
 * `alyxStatus`: for every local session, whether Alyx has it, and for each of its files whether
 * Alyx has it with the same size (and md5), a different one, none, or only on the server.
 */
import * as path from 'node:path';
import { AlyxClient } from '../alyx/client';
import type { SessionRecord } from '../alyx/records';
import { uuidFromUrl } from '../alyx/records';
import { type SessionInfo, classifyFolder } from '../alf/classify';
import { scanTree } from '../cache/scan';
import { walk } from '../cache/walk';
import { RegistrationClient } from '../registration/client';
import { isValidAlfName } from '../registration/alf-path';
import { localDateString } from '../registration/iso8601';
import { md5Files } from '../registration/md5';
import { describeSessionFiles, listSessionFileRows, sessionScanOf, type SessionFileRow } from '../registration/session-form';
import { compareSessionFiles, filesToHash } from './compare';
import { type SubjectAnswer, StatusUnknownError, SubjectFetcher, unknownOf } from './server-index';
import { DEFAULT_SLICE_MS, Slicer } from './slices';
import type { AlyxStatusOptions, AlyxStatusResult, FileStatus, LocalSession, SessionStatus } from './types';

/** Data roots to find sessions in, or the sessions themselves (the extension knows them already). */
export type StatusInput = { roots: readonly string[] } | { sessions: readonly LocalSession[] };

const MAX_IN_FLIGHT = 4;
/**
 * Session folders in hand at once when hashing, beside the requests: the md5s run on worker
 * threads, which several sessions keep busy. Without hashes every step is synchronous
 * file-system calls and comparing on this thread, so one session at a time: more would only
 * make each turn of the event loop longer (each adds its step before the next yield).
 */
const HASHING_SESSIONS = 8;

/** What a subject's requests came to: the answer, why the server could not tell, or a failure to rethrow (a bug, a cancel). */
type SubjectOutcome = SubjectAnswer | StatusUnknownError | { failed: unknown };

export async function alyxStatus(input: StatusInput, server: AlyxClient | RegistrationClient, options: AlyxStatusOptions = {}): Promise<AlyxStatusResult> {
  const { signal, onProgress, onSession } = options;
  // Every loop of the run pauses on one slicer: together they hold the thread for one slice.
  const slicer = new Slicer({ budgetMs: options.sliceMs ?? DEFAULT_SLICE_MS, signal });
  const client = server instanceof AlyxClient ? server : server.alyx;
  const firstRequest = client.requestCount;
  const requests = () => client.requestCount - firstRequest;
  const sessions = 'roots' in input ? await sessionsUnder(input.roots, signal, slicer.budgetMs) : [...input.sessions];
  sessions.sort((a, b) => (a.absPath < b.absPath ? -1 : a.absPath > b.absPath ? 1 : 0));

  const allUnknown = (unknown: StatusUnknownError): AlyxStatusResult => {
    const statuses = sessions.map((s) => unknownSession(s, unknown));
    if (onSession) statuses.forEach(onSession);
    return { sessions: statuses, requests: requests(), unknown: { kind: unknown.kind, reason: unknown.message } };
  };
  if (!client.isLoggedIn) {
    return allUnknown(new StatusUnknownError('logged-out', `not logged in to ${client.baseUrl}: log in first (alf login, or ALF: Log In to Alyx)`));
  }
  let registration: RegistrationClient;
  try {
    registration = server instanceof RegistrationClient ? server : await RegistrationClient.create(client, { signal });
  } catch (err) {
    const unknown = unknownOf(err, client.baseUrl);
    if (!unknown) throw err;
    return allUnknown(unknown);
  }

  const fetcher = new SubjectFetcher(client, Math.max(1, Math.min(MAX_IN_FLIGHT, options.concurrency ?? MAX_IN_FLIGHT)), signal, slicer);
  const bySubject = new Map<string, LocalSession[]>();
  for (const s of sessions) {
    const list = bySubject.get(s.subject);
    if (list) list.push(s);
    else bySubject.set(s.subject, [s]);
  }
  // Every subject is asked for now, in the order its sessions come (the fetcher keeps at most
  // `concurrency` requests in flight): the server answers while the folders are read, instead
  // of one subject at a time as the reading reaches it.
  const answers = new Map<string, Promise<SubjectOutcome>>();
  for (const [subject, mates] of bySubject) {
    const dates = mates.map((m) => m.date).sort();
    answers.set(subject, fetcher
      .subject(subject, dates[0] as string, dates[dates.length - 1] as string, (records) => mates.some((m) => matchSession(m, records)))
      .then((a): SubjectOutcome => a, (err: unknown): SubjectOutcome => unknownOf(err, client.baseUrl) ?? { failed: err }));
  }
  /** Sessions of each subject not compared yet: after its last one, the subject's answer is let go. */
  const left = new Map([...bySubject].map(([subject, mates]) => [subject, mates.length]));
  const today = localDateString((options.now ?? (() => new Date()))());
  let done = 0;
  onProgress?.({ phase: 'status', done: 0, total: sessions.length, unit: 'sessions' });

  const one = async (s: LocalSession): Promise<SessionStatus> => {
    await slicer.pause();
    const rows = await localRows(s, registration, signal, slicer.budgetMs);
    const server = await (answers.get(s.subject) as Promise<SubjectOutcome>);
    if ('failed' in server) throw server.failed;
    await slicer.pause();
    const status = server instanceof StatusUnknownError ? unknownSession(s, server) : await compareSession(s, rows, server, today, options);
    const remaining = (left.get(s.subject) ?? 1) - 1;
    left.set(s.subject, remaining);
    if (remaining === 0) {
      answers.delete(s.subject);
      fetcher.forget(s.subject);
    }
    done += 1;
    onProgress?.({ phase: 'status', done, total: sessions.length, unit: 'sessions', detail: s.path });
    onSession?.(status);
    return status;
  };
  const statuses = await mapLimit(sessions, options.hash ? HASHING_SESSIONS : 1, one);
  const result: AlyxStatusResult = { sessions: statuses, requests: requests() };
  const first = statuses[0];
  if (first?.unknownKind && first.unknownKind !== 'http-error' && statuses.every((s) => s.unknownKind === first.unknownKind)) {
    result.unknown = { kind: first.unknownKind, reason: first.reason ?? '' };
  }
  return result;
}

/**
 * Every session folder under the roots, read as the cache builder reads them (the grammar's
 * `classifyFolder`, empty sessions too). Only folders are walked down to the sessions: their
 * files are listed once, later, as the Register Session form lists them. A root that is itself
 * inside a session falls back to the cache builder's full scan, which knows that case.
 */
export async function sessionsUnder(roots: readonly string[], signal?: AbortSignal, sliceMs = DEFAULT_SLICE_MS): Promise<LocalSession[]> {
  const out: LocalSession[] = [];
  for (const root of roots) {
    const absRoot = path.resolve(root);
    const found: LocalSession[] = [];
    const add = (info: SessionInfo) => {
      found.push({ path: info.path, absPath: path.join(absRoot, ...info.path.split('/')), lab: info.lab, subject: info.subject, date: info.date, number: Number.parseInt(info.number, 10) });
    };
    await walk(absRoot, {
      folder: (rel) => {
        const v = classifyFolder(rel, { root: absRoot });
        if (v.kind === 'session-folder') add(v.session);
        // Nothing below a session, or below a folder that keeps everything out of sessions, is another session.
        return v.kind === 'outside';
      },
      file: () => undefined,
      problem: () => undefined,
    }, { signal, sliceMs });
    if (found.length === 0) {
      const scan = await scanTree(root, { signal });
      for (const s of scan.sessions) {
        found.push({ path: s.path, absPath: path.join(absRoot, ...s.path.split('/')), lab: s.lab, subject: s.subject, date: s.date, number: s.number });
      }
    }
    out.push(...found);
  }
  return out;
}

function unknownSession(s: LocalSession, unknown: StatusUnknownError): SessionStatus {
  return { ...s, state: 'unknown', eid: null, reason: unknown.message, unknownKind: unknown.kind, files: [] };
}

/**
 * The session's files with the dataset type each would be registered as, or why not: the
 * Register Session form's reading. The ALF-named files go through the registration client's
 * `prepareFiles` (ONE's `prepare_files`), which is `scanSession` without a second walk of the folder.
 */
async function localRows(s: LocalSession, registration: RegistrationClient, signal: AbortSignal | undefined, sliceMs: number): Promise<SessionFileRow[]> {
  const listed = await listSessionFileRows(s.absPath, { signal, sliceMs });
  const candidates = listed
    .filter((r) => r.skipped === undefined && isValidAlfName(path.posix.basename(r.rel)))
    .map((r) => path.join(s.absPath, ...r.rel.split('/')));
  const prepared = registration.prepareFiles(candidates);
  const files = prepared.sessions.flatMap((g) => g.files.map((f) => path.join(g.sessionPath, ...f.split('/'))));
  return describeSessionFiles(listed, sessionScanOf(s.absPath, { files, skipped: prepared.skipped }, (f) => registration.getDatasetType(f).name));
}

/** The server's session with the folder's subject, date and number; one in the folder's lab first. */
function matchSession(s: LocalSession, records: readonly SessionRecord[]): SessionRecord | undefined {
  const same = records.filter((r) => String(r.start_time ?? '').slice(0, 10) === s.date && Number(r.number) === s.number);
  return same.find((r) => (r.lab ?? null) === s.lab) ?? same[0];
}

async function compareSession(s: LocalSession, rows: SessionFileRow[], server: SubjectAnswer, today: string, options: AlyxStatusOptions): Promise<SessionStatus> {
  const record = matchSession(s, server.sessions);
  if (!record) {
    const files: FileStatus[] = rows.map((r) => (r.datasetType !== null && r.skipped === undefined
      ? { relPath: r.rel, state: 'not-registered', reason: `dataset type ${r.datasetType}; the session is not on Alyx`, localSize: r.size }
      : { relPath: r.rel, state: 'not-registrable', reason: r.skipped ?? 'no dataset type matches', localSize: r.size }));
    return { ...s, state: 'not-registered', eid: null, reason: `Alyx has no session ${s.subject}/${s.date}/${String(s.number).padStart(3, '0')}`, files };
  }
  const eid = uuidFromUrl(String(record.url ?? record.id ?? '')).toLowerCase();
  const datasets = server.datasets.get(eid) ?? [];
  let md5s: Map<string, string> | undefined;
  if (options.hash) {
    const rels = filesToHash(rows, datasets, today);
    const sizes = new Map(rows.map((r) => [r.rel, r.size]));
    const digests = await md5Files(rels.map((r) => path.join(s.absPath, ...r.split('/'))), rels.reduce((n, r) => n + (sizes.get(r) ?? 0), 0), { signal: options.signal });
    md5s = new Map(rels.map((r, i) => [r, digests[i] as string]));
  }
  const files = compareSessionFiles({ rows, datasets, today, ...(md5s ? { md5s } : {}) });
  const status: SessionStatus = { ...s, state: 'registered', eid, files };
  const lab = record.lab ?? null;
  if (s.lab !== null && lab !== null && lab !== s.lab) status.reason = `registered under lab ${lab} (the folder is in ${s.lab})`;
  return status;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
