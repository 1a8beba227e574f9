/**
 * Register N Unregistered: every session of a lab, subject or session folder that Alyx does not
 * have, and every file Alyx does not have of the sessions it does, in one preview and one run.
 * The preview is the registration core's own dry run (the bodies Register Session would send);
 * the run goes session by session, and a session Alyx already has only gets its files: it is
 * never updated (PUT) nor created twice. Protected files move only after the caller's yes.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { uuidFromUrl } from '../alyx/records';
import type { SessionRecord } from '../alyx/records';
import { CancelledError, type ProgressOptions, throwIfCancelled } from '../progress';
import type { RegistrationClient } from '../registration/client';
import { partialRegistrationOf, standingMovesOf, filesResultsOf } from '../registration/errors';
import { Md5Memo } from '../registration/md5';
import type { FileMove } from '../registration/moves';
import type { PlannedRequest, RegisterFilesOptions, RegisterFilesResult } from '../registration/types';
import { errorMessage } from '../util/errors';
import { unknownOf } from './server-index';
import type { SessionStatus } from './types';

/** Above this many sessions the caller must say yes to the count before anything is sent. */
export const MANY_SESSIONS = 50;

/** One session with something Alyx does not have. */
export interface UnregisteredSession {
  /** Root-relative, posix (as the status has it). */
  path: string;
  absPath: string;
  subject: string;
  date: string;
  number: number;
  /** Alyx has no such session: it is created (POST /sessions), then its files registered. */
  create: boolean;
  /** Session-relative posix paths of the files to register (state `not-registered`). */
  files: string[];
}

/** Whether Register Unregistered has something to do for this session. */
export function hasUnregistered(status: SessionStatus): boolean {
  return status.state === 'not-registered' || (status.state === 'registered' && status.files.some((f) => f.state === 'not-registered'));
}

/**
 * The sessions of a status that have unregistered content: not on Alyx (created, with every
 * registrable file), or on Alyx with files it does not have (those files only). Sessions whose
 * state is unknown are left out: nothing can be said about them.
 */
export function unregisteredOf(statuses: readonly SessionStatus[]): UnregisteredSession[] {
  const out: UnregisteredSession[] = [];
  for (const s of statuses) {
    if (!hasUnregistered(s)) continue;
    const files = s.files.filter((f) => f.state === 'not-registered').map((f) => f.relPath);
    out.push({ path: s.path, absPath: s.absPath, subject: s.subject, date: s.date, number: s.number, create: s.state === 'not-registered', files });
  }
  return out;
}

/** What one session would send and move, from the registration core's dry run. */
export interface SessionPreview extends UnregisteredSession {
  /** `POST /sessions` (new sessions only) then the `POST /register-file` bodies, with md5s. */
  requests: PlannedRequest[];
  /** Protected files that would move into a revision folder first (absolute paths). */
  moves: FileMove[];
  /** Said beside the session: protection not checked, files the core leaves out. */
  notes: string[];
  /** The dry run itself failed (the run tries again and reports its own error). */
  error?: string;
}

export interface UnregisteredPreview {
  sessions: SessionPreview[];
  /** Every predicted move, across the sessions. */
  moves: FileMove[];
  /** More than MANY_SESSIONS: the run asks for the count to be confirmed. */
  needsCountConfirmation: boolean;
}

export interface PreviewOptions extends ProgressOptions {
  /** md5s computed here are reused by the run for files unchanged since (pass the same memo to it). */
  md5Memo?: Md5Memo;
}

/**
 * The dry run of every session: nothing is posted and nothing moved; the server is asked only
 * which files are protected (`GET /check-protected`), to predict the moves.
 */
export async function previewUnregistered(reg: RegistrationClient, targets: readonly UnregisteredSession[], options: PreviewOptions = {}): Promise<UnregisteredPreview> {
  const { signal, onProgress } = options;
  // Every file hashed in one pool first: per session, a pool of worker threads would be started
  // for a few files each time. The dry runs (and the run, given the same memo) then reuse the md5s.
  const md5Memo = options.md5Memo ?? new Md5Memo();
  const allFiles = targets.flatMap((t) => t.files.map((f) => absoluteOf(t, f)));
  const sizes = await Promise.all(allFiles.map((f) => fs.stat(f).then((st) => st.size, () => 0)));
  await md5Memo.md5Files(allFiles, sizes.reduce((a, b) => a + b, 0), { ...(signal ? { signal } : {}), ...(onProgress ? { onProgress } : {}) }).catch((err: unknown) => {
    // A file that cannot be read is that session's dry-run error, said below; anything else stops here.
    if (err instanceof CancelledError) throw err;
  });
  const sessions: SessionPreview[] = [];
  onProgress?.({ phase: 'preview', done: 0, total: targets.length, unit: 'sessions' });
  for (const target of targets) {
    throwIfCancelled(signal);
    const absFiles = target.files.map((f) => absoluteOf(target, f));
    const fileOptions = { dry: true, signal, md5Memo } satisfies RegisterFilesOptions;
    let preview: SessionPreview;
    try {
      if (target.create) {
        const dry = await reg.registerSession(target.absPath, { fileList: absFiles, dry: true, signal, files: { md5Memo } });
        preview = previewOf(target, [dry.request], dry.files, true);
      } else {
        const dry = absFiles.length ? await reg.registerFiles(absFiles, fileOptions) : null;
        preview = previewOf(target, [], dry, false);
      }
    } catch (err) {
      if (err instanceof CancelledError) throw err;
      preview = { ...target, requests: [], moves: [], notes: [], error: errorMessage(err) };
    }
    sessions.push(preview);
    onProgress?.({ phase: 'preview', done: sessions.length, total: targets.length, unit: 'sessions', detail: target.path });
  }
  return { sessions, moves: sessions.flatMap((s) => s.moves), needsCountConfirmation: sessions.length > MANY_SESSIONS };
}

function previewOf(target: UnregisteredSession, sessionRequests: PlannedRequest[], files: RegisterFilesResult | null, created: boolean): SessionPreview {
  const notes: string[] = [];
  // A new session has no datasets, so none can be protected: the server's "no such session" is expected then.
  if (!created) for (const u of files?.unchecked ?? []) notes.push(`protection not checked: ${u.reason}`);
  for (const s of files?.skipped ?? []) notes.push(`left out: ${s.message}`);
  return { ...target, requests: [...sessionRequests, ...(files?.requests ?? [])], moves: files?.moves ?? [], notes };
}

/** What the user said to the predicted moves. */
export type MovesAnswer = 'move' | 'skip-sessions' | 'cancel';

export interface RegisterUnregisteredOptions extends ProgressOptions {
  /** Asked once when the preview has more than MANY_SESSIONS sessions; false: nothing is sent. */
  confirmCount: (sessions: number) => boolean | Promise<boolean>;
  /**
   * Asked once, before the first request, with every predicted move: 'move' registers all,
   * 'skip-sessions' leaves out the sessions that would move files, 'cancel' sends nothing.
   * Asked again, for that session only, if the server calls for a move the preview did not see.
   */
  confirmMoves: (moves: readonly FileMove[], session?: string) => MovesAnswer | Promise<MovesAnswer>;
  /** Called after each session, whatever its outcome (the extension refreshes its status). */
  onSession?: (result: SessionRegistration) => void | Promise<void>;
  md5Memo?: Md5Memo;
}

export interface RegisteredFile {
  /** Session-relative path as it was asked for. */
  rel: string;
  /** The dataset's id on Alyx. */
  id: string;
  /** Where it was registered, when a protected file moved into a revision folder. */
  registeredAs?: string;
}

export interface SessionRegistration {
  path: string;
  absPath: string;
  outcome: 'registered' | 'failed' | 'skipped' | 'cancelled';
  /** The session was created on Alyx by this run (POST /sessions). */
  created: boolean;
  eid: string | null;
  files: RegisteredFile[];
  /** Files moved into revision folders that stay there (also after a failure). */
  moves: FileMove[];
  /** Moved and then put back because the server refused the retry. */
  movedBack: FileMove[];
  error?: string;
}

export interface RegisterUnregisteredResult {
  sessions: SessionRegistration[];
  /** Nothing was sent: the count or the moves were not confirmed. */
  declined?: 'count' | 'moves';
  cancelled: boolean;
  /** The run stopped early because no later session could succeed (logged out, server unreachable). */
  stopped?: string;
}

/**
 * Registers the previewed sessions one by one. A failure is that session's result and the
 * run goes on; Cancel stops before the next request, and what was done stands and is reported.
 */
export async function registerUnregistered(reg: RegistrationClient, preview: UnregisteredPreview, options: RegisterUnregisteredOptions): Promise<RegisterUnregisteredResult> {
  const { signal, onProgress } = options;
  const results: SessionRegistration[] = [];
  if (preview.needsCountConfirmation && !(await options.confirmCount(preview.sessions.length))) return { sessions: [], declined: 'count', cancelled: false };
  let answer: MovesAnswer = 'move';
  if (preview.moves.length) answer = await options.confirmMoves(preview.moves);
  if (answer === 'cancel') return { sessions: [], declined: 'moves', cancelled: false };
  const confirmed = new Set(answer === 'move' ? preview.moves.map(moveKey) : []);

  const total = preview.sessions.length;
  onProgress?.({ phase: 'register', done: 0, total, unit: 'sessions' });
  let cancelled = false;
  let stopped: string | undefined;
  for (const session of preview.sessions) {
    let result: SessionRegistration;
    if (stopped) {
      result = { ...emptyResult(session, 'cancelled'), error: `not reached: ${stopped}` };
    } else if (cancelled || signal?.aborted) {
      cancelled = true;
      result = emptyResult(session, 'cancelled');
    } else if (answer === 'skip-sessions' && session.moves.length) {
      result = { ...emptyResult(session, 'skipped'), error: `not registered: ${session.moves.length} protected file(s) would have moved into a revision folder` };
    } else {
      const { stoppedBy, ...one } = await registerOne(reg, session, {
        ...options,
        // A move the preview did not predict (the server changed since) is asked about again.
        confirmMoves: async (moves) => moves.every((m) => confirmed.has(moveKey(m))) || (await options.confirmMoves(moves, session.path)) === 'move',
      });
      result = one;
      if (result.outcome === 'cancelled') cancelled = true;
      // Logged out or unreachable holds for every session after this one: stop instead of failing each.
      stopped = stoppedBy;
    }
    results.push(result);
    await options.onSession?.(result);
    onProgress?.({ phase: 'register', done: results.length, total, unit: 'sessions', detail: session.path });
  }
  return { sessions: results, cancelled, ...(stopped ? { stopped } : {}) };
}

async function registerOne(
  reg: RegistrationClient, session: SessionPreview, options: ProgressOptions & { md5Memo?: Md5Memo; confirmMoves: (moves: readonly FileMove[]) => Promise<boolean> },
): Promise<SessionRegistration & { stoppedBy?: string }> {
  const { signal, md5Memo, confirmMoves } = options;
  const absFiles = session.files.map((f) => absoluteOf(session, f));
  const fileOptions = { signal, confirmMoves, ...(md5Memo ? { md5Memo } : {}) } satisfies RegisterFilesOptions;
  let created = false;
  let eid: string | null = null;
  try {
    // Asked again at the moment of registering: a session made since the status was read gets files only, never a PUT.
    const existing = await existingSession(reg, session, signal);
    if (existing) eid = uuidFromUrl(String(existing.url ?? existing.id ?? '')).toLowerCase();
    let files: RegisterFilesResult | null = null;
    if (existing) {
      files = absFiles.length ? await reg.registerFiles(absFiles, fileOptions) : null;
    } else {
      const made = await reg.registerSession(session.absPath, { fileList: absFiles, signal, files: { confirmMoves, ...(md5Memo ? { md5Memo } : {}) } });
      created = made.created;
      eid = made.session ? uuidFromUrl(made.session.url).toLowerCase() : null;
      files = made.files;
    }
    return { path: session.path, absPath: session.absPath, outcome: 'registered', created, eid, files: registeredFiles(session, files), moves: files?.moves ?? [], movedBack: files?.movedBack ?? [] };
  } catch (err) {
    const partial = partialRegistrationOf(err);
    if (partial?.operation === 'registerSession' && partial.result.session) {
      created = partial.result.created;
      eid = uuidFromUrl(partial.result.session.url).toLowerCase();
    }
    const done = partial ? filesResultsOf(partial) : [];
    const unknown = unknownOf(err, reg.alyx.baseUrl);
    const global = unknown?.global ? unknown : undefined;
    return {
      path: session.path, absPath: session.absPath, outcome: err instanceof CancelledError ? 'cancelled' : 'failed', created, eid,
      files: done.flatMap((f) => registeredFiles(session, f)),
      moves: partial ? standingMovesOf(partial) : [],
      movedBack: done.flatMap((f) => f.movedBack),
      ...(err instanceof CancelledError ? {} : { error: errorMessage(err) }),
      ...(global ? { stoppedBy: global.message } : {}),
    };
  }
}

/** The session on Alyx with this subject, date and number, if any (the lookup Register Session makes). */
async function existingSession(reg: RegistrationClient, session: UnregisteredSession, signal?: AbortSignal): Promise<SessionRecord | undefined> {
  const found = await reg.alyx.listAll<SessionRecord>('sessions', { subject: session.subject, date_range: `${session.date},${session.date}`, number: session.number }, { signal });
  return found[0];
}

function registeredFiles(session: UnregisteredSession, files: RegisterFilesResult | null): RegisteredFile[] {
  if (!files) return [];
  const out: RegisteredFile[] = [];
  files.records.forEach((record, i) => {
    const rel = session.files[i];
    if (!record || rel === undefined) return;
    const registeredAs = [record.collection, record.revision ? `#${record.revision}#` : '', record.name].filter(Boolean).join('/');
    out.push({ rel, id: record.id, ...(registeredAs !== rel ? { registeredAs } : {}) });
  });
  return out;
}

function emptyResult(session: UnregisteredSession, outcome: SessionRegistration['outcome']): SessionRegistration {
  return { path: session.path, absPath: session.absPath, outcome, created: false, eid: null, files: [], moves: [], movedBack: [] };
}

function absoluteOf(session: UnregisteredSession, rel: string): string {
  return path.join(session.absPath, ...rel.split('/'));
}

function moveKey(m: FileMove): string {
  return `${path.resolve(m.from)}\u0000${path.resolve(m.to)}`;
}
