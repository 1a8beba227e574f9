import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { glob } from 'glob';
import type { AlyxClient } from '../alyx/client';
import { AlyxHttpError } from '../alyx/errors';
import type {
  CheckProtectedResponse, DataFormatRecord, DatasetTypeRecord, ProtectionDetail, RegisteredDataset, SessionRecord,
  WaterAdministrationRecord, WeighingRecord,
} from '../alyx/records';
import { uuidFromUrl } from '../alyx/records';
import { throwIfCancelled } from '../progress';
import {
  type SessionParts, comparePathsByParts, getSessionPath, isValidAlfName, sessionPathParts, suffixOf,
} from './alf-path';
import { DatasetTypeError, getDatasetType } from './dataset-type';
import { InvalidInputError, MovesDeclinedError, attachPartialRegistration, partialRegistrationOf } from './errors';
import { closestDatasetTypes } from './dataset-type-closest';
import { ensureIso8601, localDateString } from './iso8601';
import { assertExists, createdBy as createdByOf } from './members';
import { findSessionFlags, requireFiles, requireSessionFolder, sessionFolderNameParts } from './local-checks';
import { md5Files } from './md5';
import { type FileMove, applyMoves, checkMoves, revertMoves } from './moves';
import { nextRevision, revisionTarget } from './revision';
import { registerWaterAdministration, registerWeight } from './weights-water';
import { makeNextSessionFolder, nextNumFolder } from './session-folders';
import type {
  CreateNewSessionOptions, CreateSessionsOptions, CreateSessionsResult, PlannedRequest, RegisterFileBody, RegisterFilesOptions, RegisterFilesResult,
  RegisterSessionOptions, RegisterSessionResult, SkippedFile, WaterAdministrationOptions, WeightOptions,
} from './types';

export interface RegistrationClientOptions {
  /** Receives one line per notable action: sessions created, files moved, requests posted. */
  log?: (line: string) => void;
  /** The clock for revision names (`#YYYY-MM-DD#`); tests pin it. */
  now?: () => Date;
}

/** Dataset types and data formats, loaded once per client. */
export interface RegistrationCatalogue {
  datasetTypes: readonly DatasetTypeRecord[];
  dataFormats: readonly DataFormatRecord[];
}

/** Files of one session, relative to it, with their input positions and versions. */
export interface SessionFiles {
  /** Absolute session folder. */
  sessionPath: string;
  parts: SessionParts;
  /** Posix paths relative to the session folder. */
  files: string[];
  versions: Array<string | null>;
  /** Index of each file in the input list. */
  inputIndex: number[];
}

export interface PreparedFiles {
  sessions: SessionFiles[];
  skipped: SkippedFile[];
  /** The input files, resolved to absolute paths. */
  fileList: string[];
}

export interface CheckProtectedResult {
  sessionPath: string;
  /** `subject/yyyy-mm-dd/NNN`. */
  path: string;
  files: string[];
  response: CheckProtectedResponse;
}

const PROTECTED_ERROR = 'One or more datasets is protected';

/**
 * Python ONE's `RegistrationClient`, over an `AlyxClient`: same requests, same revision logic,
 * plus every skipped file and every move reported, progress and cancellation.
 */
export class RegistrationClient {
  readonly alyx: AlyxClient;
  readonly dtypes: readonly DatasetTypeRecord[];
  readonly fileExtensions: readonly string[];
  /** The non-empty `filename_pattern`s, as ONE exposes them. */
  readonly registrationPatterns: readonly string[];
  readonly #log: (line: string) => void;
  readonly #now: () => Date;

  /** Loads dataset types and data formats from the server, once. */
  static async create(alyx: AlyxClient, options: RegistrationClientOptions & { signal?: AbortSignal } = {}): Promise<RegistrationClient> {
    const [datasetTypes, dataFormats] = await Promise.all([
      alyx.listAll<DatasetTypeRecord>('dataset-types', {}, { signal: options.signal }),
      alyx.listAll<DataFormatRecord>('data-formats', {}, { signal: options.signal }),
    ]);
    return new RegistrationClient(alyx, { datasetTypes, dataFormats }, options);
  }

  constructor(alyx: AlyxClient, catalogue: RegistrationCatalogue, options: RegistrationClientOptions = {}) {
    this.alyx = alyx;
    this.dtypes = catalogue.datasetTypes;
    this.fileExtensions = catalogue.dataFormats.map((df) => df.file_extension);
    this.registrationPatterns = this.dtypes.map((dt) => dt.filename_pattern ?? '').filter(Boolean);
    this.#log = options.log ?? (() => undefined);
    this.#now = options.now ?? (() => new Date());
  }

  static ensureIso8601 = ensureIso8601;
  static nextRevision = nextRevision;

  /** ONE's `get_dataset_type` against this server's dataset types. */
  getDatasetType(filename: string, dtypes: Iterable<DatasetTypeRecord> = this.dtypes): DatasetTypeRecord {
    return getDatasetType(filename, dtypes);
  }

  // ---------------------------------------------------------------- sessions

  /**
   * Registers the session of every folder holding a flag file (default `create_me.flag`),
   * then deletes the flag. Every flag's folder is checked first; a dry run changes nothing.
   */
  async createSessions(root: string, options: CreateSessionsOptions = {}): Promise<CreateSessionsResult> {
    const flags = await findSessionFlags(root, options.globPattern);
    const sessionPaths = flags.map((f) => path.dirname(f));
    if (options.dry) return { sessionPaths, records: sessionPaths.map(() => null) };
    const records: Array<RegisterSessionResult | null> = [];
    for (const [i, sessionPath] of sessionPaths.entries()) {
      try {
        throwIfCancelled(options.signal);
        this.#log(`Creating session for ${sessionPath}`);
        records.push(await this.registerSession(sessionPath, { fileList: options.registerFiles ?? false, signal: options.signal, onProgress: options.onProgress }));
      } catch (err) {
        // The sessions before this one stand (their flags are gone), and so does whatever this one got done.
        const inner = partialRegistrationOf(err);
        const reached = inner?.operation === 'registerSession' ? inner.result : null;
        const all = [...records, reached, ...sessionPaths.slice(i + 1).map(() => null)];
        throw attachPartialRegistration(err, { operation: 'createSessions', result: { sessionPaths, records: all }, failedAt: sessionPath });
      }
      await fs.unlink(flags[i] as string);
      options.onProgress?.({ phase: 'create', done: i + 1, total: sessionPaths.length, unit: 'sessions', detail: sessionPath });
    }
    return { sessionPaths, records };
  }

  /**
   * Makes the next free `subject/date/NNN` folder under `sessionRoot` and, unless
   * `register` is false, creates the session on Alyx. Returns the folder and the session UUID.
   */
  async createNewSession(subject: string, options: CreateNewSessionOptions = {}): Promise<{ sessionPath: string; eid: string | null; result: RegisterSessionResult | null }> {
    const date = ensureIso8601(options.date, 'date');
    if (!options.sessionRoot) {
      throw new InvalidInputError('sessionRoot', 'No session root folder: pass one (the CLI defaults to ONE\'s download folder for the server)');
    }
    await this.assertExists(subject, 'subjects', { signal: options.signal });
    const dateFolder = path.join(path.resolve(options.sessionRoot), subject, date.slice(0, 10));
    const sessionPath = options.dry ? path.join(dateFolder, await nextNumFolder(dateFolder)) : await makeNextSessionFolder(dateFolder);
    this.#log(`${options.dry ? 'Would create' : 'Created'} folder ${sessionPath}`);
    if (options.register === false) return { sessionPath, eid: null, result: null };
    // As ONE: the start time is left to default to the folder's date.
    const { sessionRoot: _root, date: _date, register: _register, ...rest } = options;
    let result: RegisterSessionResult;
    try {
      // A dry run makes no folder, so there is none to check.
      result = await this.#registerSession(sessionPath, { fileList: false, ...rest }, !options.dry);
    } catch (err) {
      // The folder was made for this session: leave no empty folder behind a failure.
      if (!options.dry) await fs.rmdir(sessionPath).catch(() => undefined);
      throw err;
    }
    return { sessionPath, eid: result.session ? uuidFromUrl(result.session.url) : null, result };
  }

  /**
   * Creates the session found by subject/date/number (or updates it, with PUT, when it
   * exists), then registers its files. Every input is checked before the first request.
   */
  async registerSession(sessionPath: string, options: RegisterSessionOptions = {}): Promise<RegisterSessionResult> {
    return this.#registerSession(sessionPath, options, true);
  }

  async #registerSession(sessionPath: string, options: RegisterSessionOptions, folderMustExist: boolean): Promise<RegisterSessionResult> {
    const parts = folderMustExist ? await requireSessionFolder(sessionPath) : sessionFolderNameParts(sessionPath);
    const endTime = options.endTime ? ensureIso8601(options.endTime, 'endTime') : undefined;
    const startTime = ensureIso8601(options.startTime ?? parts.date, 'startTime');
    if (startTime.slice(0, 10) !== parts.date) {
      throw new InvalidInputError('startTime', `startTime ${startTime} is not on the session's date ${parts.date} (from the folder ${sessionPath})`);
    }
    if (parts.lab && options.lab !== undefined && options.lab !== parts.lab) {
      throw new InvalidInputError('lab', `lab "${options.lab}" does not match the lab folder "${parts.lab}" of ${sessionPath}`);
    }
    for (const [field, value] of [['nTrials', options.nTrials], ['nCorrectTrials', options.nCorrectTrials]] as const) {
      if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
        throw new InvalidInputError(field, `${field} must be a whole number ≥ 0, not ${value}`);
      }
    }
    const users = toList(options.users ?? this.alyx.username);
    if (!users.length) throw new InvalidInputError('users', 'No session users: pass users or log in');
    const fileList = options.fileList ?? true;
    const signal = options.signal;

    await this.assertExists(parts.subject, 'subjects', { signal });
    const existing = await this.alyx.listAll<SessionRecord>(
      'sessions',
      { subject: parts.subject, date_range: `${parts.date},${parts.date}`, number: Number(parts.number) },
      { signal },
    );
    await this.assertExists(users, 'users', { signal });

    // Field names and order as ONE sends them (number as in the folder name, e.g. "001").
    const body: Record<string, unknown> = { subject: parts.subject, users, type: 'Experiment', number: parts.number };
    if (endTime) body.end_time = endTime;
    if (options.procedures?.length) body.procedures = toList(options.procedures);
    if (options.projects?.length) body.projects = toList(options.projects);
    if (options.location !== undefined) body.location = options.location;
    if (options.nCorrectTrials !== undefined) body.n_correct_trials = options.nCorrectTrials;
    if (options.nTrials !== undefined) body.n_trials = options.nTrials;
    if (options.json !== undefined) body.json = options.json;
    if (options.type !== undefined) body.type = options.type;
    if (options.taskProtocol !== undefined) body.task_protocol = options.taskProtocol;
    const lab = options.lab ?? parts.lab;
    if (lab) body.lab = lab;
    body.start_time = startTime;

    const found = existing[0];
    const request: PlannedRequest = found
      ? { method: 'PUT', path: `/sessions/${uuidFromUrl(found.url ?? found.id ?? '')}`, body }
      : { method: 'POST', path: '/sessions', body };

    const scan = fileList === true ? await this.scanSession(sessionPath) : undefined;
    const files = scan ? scan.files : Array.isArray(fileList) ? [...fileList] : undefined;
    const fileOptions: RegisterFilesOptions = { ...options.files, signal, onProgress: options.onProgress, dry: options.dry };

    if (options.dry) {
      const filesResult = files ? await this.registerFiles(files, fileOptions) : null;
      if (filesResult && scan) filesResult.skipped.unshift(...scan.skipped);
      return { session: null, created: !found, request, files: filesResult };
    }

    const session = found
      ? await this.alyx.put<SessionRecord>(request.path, body, { signal })
      : await this.alyx.post<SessionRecord>('/sessions', body, { signal });
    this.#log(`${found ? 'Updated' : 'Created'} session ${session.url}`);
    if (!files) return { session, created: !found, request, files: null };
    let filesResult: RegisterFilesResult;
    try {
      filesResult = await this.registerFiles(files, fileOptions);
    } catch (err) {
      const inner = partialRegistrationOf(err);
      const partialFiles = inner?.operation === 'registerFiles' ? inner.result : null;
      throw attachPartialRegistration(err, { operation: 'registerSession', result: { session, created: !found, request, files: partialFiles } });
    }
    if (scan) filesResult.skipped.unshift(...scan.skipped);
    const recs = filesResult.records.filter((r): r is RegisteredDataset => r !== null);
    if (recs.length) session.data_dataset_session_related = recs;
    return { session, created: !found, request, files: filesResult };
  }

  // ------------------------------------------------------------------ files

  /** ONE's `find_files`: the session's ALF datasets with a known extension and exactly one dataset type. */
  async findFiles(sessionPath: string): Promise<string[]> {
    return (await this.scanSession(sessionPath)).files;
  }

  /** `findFiles` plus the ALF-named files it leaves out, each with its reason. */
  async scanSession(sessionPath: string): Promise<{ files: string[]; skipped: SkippedFile[] }> {
    const root = path.resolve(sessionPath);
    const candidates = (await glob('**/*.*.*', { cwd: root, absolute: true, dot: true, nodir: true }))
      .filter((p) => isValidAlfName(path.basename(p)))
      .sort(comparePathsByParts);
    const files: string[] = [];
    const skipped: SkippedFile[] = [];
    for (const p of candidates) {
      const name = path.basename(p);
      if (!this.fileExtensions.some((ext) => name.endsWith(ext))) {
        skipped.push({ file: p, reason: 'unknown-extension', message: `${p}: no data format on ${this.alyx.baseUrl} has the extension "${suffixOf(name)}"` });
        continue;
      }
      const problem = this.#datasetTypeProblem(p);
      if (problem) skipped.push(problem);
      else files.push(p);
    }
    return { files, skipped };
  }

  /**
   * ONE's `prepare_files`: groups registrable files by session and sets aside the rest with
   * the reason (no session path, unknown extension, no or several dataset types).
   */
  prepareFiles(files: string | readonly string[], versions?: RegisterFilesOptions['versions']): PreparedFiles {
    const fileList = (typeof files === 'string' ? [files] : [...files]).map((f) => path.resolve(f));
    const versionAt = versionPicker(versions);
    const bySession = new Map<string, SessionFiles>();
    const skipped: SkippedFile[] = [];
    fileList.forEach((file, i) => {
      const sessionPath = getSessionPath(file);
      const parts = sessionPath ? sessionPathParts(sessionPath) : undefined;
      if (!sessionPath || !parts) {
        skipped.push({ file, reason: 'no-session-path', message: `${file}: not inside a session folder (subject/yyyy-mm-dd/NNN)` });
        return;
      }
      const suffix = suffixOf(path.basename(file));
      if (!this.fileExtensions.includes(suffix)) {
        skipped.push({ file, reason: 'unknown-extension', message: `${file}: no data format on ${this.alyx.baseUrl} has the extension "${suffix}"` });
        return;
      }
      const problem = this.#datasetTypeProblem(file);
      if (problem) {
        skipped.push(problem);
        return;
      }
      let group = bySession.get(sessionPath);
      if (!group) {
        group = { sessionPath, parts, files: [], versions: [], inputIndex: [] };
        bySession.set(sessionPath, group);
      }
      // Native separators to '/': on Linux and macOS a backslash is part of a name, so it stays.
      group.files.push(path.relative(sessionPath, file).split(path.sep).join('/'));
      group.versions.push(versionAt(i));
      group.inputIndex.push(i);
    });
    return { sessions: [...bySession.values()], skipped, fileList };
  }

  /** ONE's `check_protected_files`: one `GET /check-protected` per session. */
  async checkProtectedFiles(files: string | readonly string[], createdBy?: string, options: { signal?: AbortSignal } = {}): Promise<{ results: CheckProtectedResult[]; skipped: SkippedFile[] }> {
    const prepared = this.prepareFiles(files);
    const user = createdByOf(this.alyx, createdBy);
    const results: CheckProtectedResult[] = [];
    for (const group of prepared.sessions) {
      const relPath = sessionRelPath(group.parts);
      const response = await this.#checkProtected(relPath, group.files, user, options.signal);
      results.push({ sessionPath: group.sessionPath, path: relPath, files: group.files, response });
    }
    return { results, skipped: prepared.skipped };
  }

  /**
   * ONE's `register_files`: one `POST /register-file` per session, with md5s and sizes. Files
   * protected on the server are moved into a new revision folder (every move returned and
   * logged) and posted again, as ONE does. A dry run posts nothing and moves nothing, but
   * asks the server which files are protected to predict the moves.
   */
  async registerFiles(files: string | readonly string[], options: RegisterFilesOptions = {}): Promise<RegisterFilesResult> {
    // A missing file is the user's mistake to fix, not a file to skip for its dataset type.
    await requireFiles(typeof files === 'string' ? [files] : files);
    const prepared = this.prepareFiles(files, options.versions);
    const createdBy = createdByOf(this.alyx, options.createdBy);
    const maxMd5Size = options.maxMd5Size ?? null;
    if (maxMd5Size !== null && !(maxMd5Size >= 0)) throw new InvalidInputError('maxMd5Size', `maxMd5Size must be a number of bytes ≥ 0, not ${maxMd5Size}`);
    const result: RegisterFilesResult = {
      records: prepared.fileList.map(() => null), skipped: prepared.skipped, moves: [], movedBack: [], requests: [], unchecked: [], dry: !!options.dry,
    };
    for (const s of prepared.skipped) this.#log(`Skipped ${s.message}`);
    if (!prepared.sessions.length) return result;

    // Sizes first, so a missing file is reported before anything is sent.
    const sizes = await Promise.all(prepared.sessions.map((g) => statSizes(g.sessionPath, g.files)));
    const toHash: string[] = [];
    let bytes = 0;
    prepared.sessions.forEach((g, s) => g.files.forEach((f, i) => {
      const size = (sizes[s] as number[])[i] as number;
      if (maxMd5Size === null || size < maxMd5Size) {
        toHash.push(path.join(g.sessionPath, f));
        bytes += size;
      }
    }));
    const digests = await md5Files(toHash, bytes, { signal: options.signal, onProgress: options.onProgress, memo: options.md5Memo });
    let next = 0;
    const hashes = prepared.sessions.map((g, s) => g.files.map((_, i) => {
      const size = (sizes[s] as number[])[i] as number;
      return maxMd5Size === null || size < maxMd5Size ? (digests[next++] as string) : null;
    }));

    try {
      await this.#registerSessions(prepared.sessions, hashes, sizes, createdBy, options, result);
    } catch (err) {
      // Sessions before the failing one are registered, and files moved into revision folders stay moved.
      throw attachPartialRegistration(err, { operation: 'registerFiles', result });
    }
    return result;
  }

  async #registerSessions(
    sessions: readonly SessionFiles[], hashes: Array<Array<string | null>>, sizes: number[][], createdBy: string, options: RegisterFilesOptions, result: RegisterFilesResult,
  ): Promise<void> {
    for (const [s, group] of sessions.entries()) {
      throwIfCancelled(options.signal);
      const relPath = sessionRelPath(group.parts);
      const body: RegisterFileBody = {
        created_by: createdBy,
        path: relPath,
        filenames: [...group.files],
        hashes: hashes[s] as Array<string | null>,
        filesizes: sizes[s] as number[],
        name: options.repository ?? null,
        exists: options.exists ?? true,
        server_only: options.serverOnly ?? false,
        default: options.default ?? true,
        versions: group.versions,
        check_protected: true,
        ...options.extra,
      };
      if (group.parts.lab && !(options.extra && 'labs' in options.extra)) body.labs = group.parts.lab;
      if (options.dry) await this.#dryRegister(group, body, result, options.signal);
      else await this.#register(group, body, result, options.signal, options.onRequest, options.confirmMoves);
      options.onProgress?.({ phase: 'post', done: s + 1, total: sessions.length, unit: 'sessions', detail: relPath });
    }
  }

  // ------------------------------------------------------- weights & water (./weights-water.ts)

  /** ONE's `register_water_administration`; the volume (ml) is rounded to 4 significant figures. */
  registerWaterAdministration(subject: string, volume: number, options: WaterAdministrationOptions = {}): Promise<WaterAdministrationRecord> {
    return registerWaterAdministration(this.alyx, subject, volume, options);
  }

  /** ONE's `register_weight`; the weight (g) is rounded to 4 significant figures. */
  registerWeight(subject: string, weight: number, options: WeightOptions = {}): Promise<WeighingRecord> {
    return registerWeight(this.alyx, subject, weight, options);
  }

  /** ONE's `assert_exists`: reads each member, raising `AlyxMemberNotFoundError` (naming the server) on 404. */
  assertExists<T = Record<string, unknown>>(member: string, endpoint: string, options?: { signal?: AbortSignal }): Promise<T>;
  assertExists<T = Record<string, unknown>>(member: readonly string[], endpoint: string, options?: { signal?: AbortSignal }): Promise<T[]>;
  assertExists<T>(member: string | readonly string[], endpoint: string, options: { signal?: AbortSignal } = {}): Promise<T | T[]> {
    return typeof member === 'string' ? assertExists<T>(this.alyx, member, endpoint, options) : assertExists<T>(this.alyx, member, endpoint, options);
  }

  // ---------------------------------------------------------------- private

  async #register(
    group: SessionFiles, body: RegisterFileBody, result: RegisterFilesResult, signal?: AbortSignal, onRequest?: (r: PlannedRequest) => void, confirmMoves?: RegisterFilesOptions['confirmMoves'],
  ): Promise<void> {
    result.requests.push({ method: 'POST', path: '/register-file', body });
    onRequest?.({ method: 'POST', path: '/register-file', body });
    this.#log(`Registering ${body.filenames.length} file(s) in ${body.path}`);
    let response: RegisteredDataset[];
    try {
      response = await this.alyx.post<RegisteredDataset[]>('/register-file', body, { signal });
    } catch (err) {
      const details = protectionDetails(err);
      if (!details) throw err;
      response = await this.#registerProtected(group, body, details, result, signal, onRequest, confirmMoves);
    }
    group.inputIndex.forEach((inputIndex, i) => {
      result.records[inputIndex] = response[i] ?? null;
    });
  }

  /** ONE's answer to a 403 "protected": move protected files into revision folders, post again. */
  async #registerProtected(
    group: SessionFiles, body: RegisterFileBody, details: ProtectionDetail[], result: RegisterFilesResult, signal?: AbortSignal, onRequest?: (r: PlannedRequest) => void,
    confirmMoves?: RegisterFilesOptions['confirmMoves'],
  ): Promise<RegisteredDataset[]> {
    const targets = this.#revisionTargets(group, details);
    const moves = movesFor(group, targets);
    await checkMoves(group.sessionPath, moves);
    if (moves.length && confirmMoves && !(await confirmMoves(moves))) {
      throw new MovesDeclinedError(`${moves.length} protected file(s) of ${body.path} would move into a revision folder; not confirmed, so nothing was moved or registered`);
    }
    await applyMoves(moves, result, this.#log);
    const retry: RegisterFileBody = {
      ...body,
      filenames: targets,
      filesizes: await statSizes(group.sessionPath, targets),
      check_protected: false,
    };
    result.requests.push({ method: 'POST', path: '/register-file', body: retry });
    onRequest?.({ method: 'POST', path: '/register-file', body: retry });
    try {
      return await this.alyx.post<RegisteredDataset[]>('/register-file', retry, { signal });
    } catch (err) {
      // The server refused: put the files back so the folder is as it was. After a lost
      // connection the outcome is unknown, so the moves stand (and are reported).
      if (err instanceof AlyxHttpError) await revertMoves(moves, result, this.#log);
      throw err;
    }
  }

  async #dryRegister(group: SessionFiles, body: RegisterFileBody, result: RegisterFilesResult, signal?: AbortSignal): Promise<void> {
    result.requests.push({ method: 'POST', path: '/register-file', body });
    let verdict: CheckProtectedResponse;
    try {
      verdict = await this.#checkProtected(body.path, group.files, body.created_by, signal);
    } catch (err) {
      if (!(err instanceof AlyxHttpError)) throw err;
      result.unchecked.push({ session: body.path, reason: err.message });
      return;
    }
    if (verdict.status_code !== 403 || !Array.isArray(verdict.details)) return;
    const targets = this.#revisionTargets(group, verdict.details);
    const moves = movesFor(group, targets);
    await checkMoves(group.sessionPath, moves);
    result.moves.push(...moves);
    result.requests.push({ method: 'POST', path: '/register-file', body: { ...body, filenames: targets, check_protected: false } });
  }

  #revisionTargets(group: SessionFiles, details: ProtectionDetail[]): string[] {
    if (details.length !== group.files.length) {
      throw new Error(`The server's protection details list ${details.length} file(s) for ${group.files.length} sent; not moving anything`);
    }
    const today = localDateString(this.#now());
    // Details are keyed by the filename sent; fall back to position like ONE does.
    const byName = new Map(details.flatMap((d) => Object.entries(d)));
    return group.files.map((file, i) => {
      const info = byName.get(file) ?? Object.values(details[i] as ProtectionDetail)[0] ?? [];
      return revisionTarget(file, info, today);
    });
  }

  async #checkProtected(relPath: string, files: readonly string[], createdBy: string, signal?: AbortSignal): Promise<CheckProtectedResponse> {
    // Filenames go comma-separated in one parameter: repeating it keeps only the last on the server.
    return this.alyx.get<CheckProtectedResponse>('/check-protected', {
      query: { created_by: createdBy, path: relPath, filenames: files.join(',') },
      signal,
    });
  }

  #datasetTypeProblem(file: string): SkippedFile | undefined {
    try {
      getDatasetType(file, this.dtypes);
      return undefined;
    } catch (err) {
      if (!(err instanceof DatasetTypeError)) throw err;
      if (err.candidates.length) return { file, reason: 'several-dataset-types', message: `${file}: ${err.message}` };
      const closest = closestDatasetTypes(file, this.dtypes).map(({ name, filename_pattern }) => ({ name, filename_pattern }));
      return { file, reason: 'no-dataset-type', message: `${file}: ${err.message}`, closest };
    }
  }

}

// -------------------------------------------------------------------- helpers

function sessionRelPath(parts: SessionParts): string {
  return `${parts.subject}/${parts.date}/${parts.number}`;
}

function toList(value: string | readonly string[] | undefined | null): string[] {
  if (value === undefined || value === null || value === '') return [];
  return typeof value === 'string' ? [value] : [...value];
}

/** ONE repeats a single version and cycles a list of them over the input files. */
function versionPicker(versions: RegisterFilesOptions['versions']): (i: number) => string | null {
  if (versions === undefined || versions === null || typeof versions === 'string') return () => versions ?? null;
  const list = [...versions];
  return list.length ? (i) => list[i % list.length] ?? null : () => null;
}

async function statSizes(sessionPath: string, files: readonly string[]): Promise<number[]> {
  return Promise.all(files.map(async (f) => {
    const full = path.join(sessionPath, f);
    try {
      const st = await fs.stat(full);
      if (!st.isFile()) throw new InvalidInputError('files', `${full} is not a file`);
      return st.size;
    } catch (err) {
      if (err instanceof InvalidInputError) throw err;
      throw new InvalidInputError('files', `File not found: ${full}`);
    }
  }));
}

function movesFor(group: SessionFiles, targets: readonly string[]): FileMove[] {
  const moves: FileMove[] = [];
  group.files.forEach((file, i) => {
    if (targets[i] !== file) moves.push({ from: path.join(group.sessionPath, file), to: path.join(group.sessionPath, targets[i] as string) });
  });
  return moves;
}

function protectionDetails(err: unknown): ProtectionDetail[] | undefined {
  if (!(err instanceof AlyxHttpError) || err.status !== 403) return undefined;
  const body = err.body as { status_code?: unknown; error?: unknown; details?: unknown } | null;
  if (!body || body.status_code !== 403 || body.error !== PROTECTED_ERROR || !Array.isArray(body.details)) return undefined;
  return body.details as ProtectionDetail[];
}
