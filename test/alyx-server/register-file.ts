/**
 * `POST /register-file` and `GET /check-protected`, answering as Alyx 3.6 does
 * (alyx/data/views.py and transfers.py), including its error bodies and statuses.
 */
import { randomUUID } from 'node:crypto';
import * as posix from 'node:path/posix';
import { folderParts } from '../../src/core/alf';
import { DatasetTypeError, getDatasetType } from '../../src/core/registration/dataset-type';
import { nowNaive } from './datetime';
import { type Reply, type RequestContext, bool, drfError, json, record } from './http';
import type { ServerDataset, ServerRepository, ServerSession, ServerState } from './state';

const QC_VALUES: Record<string, number> = { NOT_SET: 0, PASS: 10, WARNING: 30, FAIL: 40, CRITICAL: 50 };
const PATH_RE = /^(?<subject>[\p{L}\p{N}_.-]+)\/(?<date>\d{4}-\d{2}-\d{2})\/(?<number>\d{1,3}).*/u;

interface ParsedFile {
  collection: string;
  revision: string;
  filename: string;
  relDirPath: string;
}

/** Thrown inside the handlers to answer with an error. */
class Answer extends Error {
  constructor(readonly reply: Reply) {
    super('answer');
  }
}

function list(value: unknown, n: number, fallback: unknown): unknown[] {
  if (value === undefined || value === null) return Array.from({ length: n }, () => fallback);
  if (typeof value === 'string') return value.split(',');
  return Array.isArray(value) ? value : [value];
}

function userFor(ctx: RequestContext, createdBy: unknown): string {
  if (createdBy === undefined || createdBy === null || createdBy === '') return ctx.user;
  if (!ctx.state.users.some((u) => u.username === createdBy)) throw new Answer(drfError(500, 'LabMember matching query does not exist.'));
  return String(createdBy);
}

function normalisePath(raw: unknown): string {
  if (typeof raw !== 'string' || !raw) throw new Answer(drfError(500, 'The path argument is required.'));
  return raw.replace(/\\/g, '/').replace(/\/\//g, '/').replace(/^\/+|\/+$/g, '');
}

/** `_parse_path` + `_get_session`: the session named by `subject/date/number`. */
function findSession(state: ServerState, relDirPath: string, user: string, subjectError: (nick: string) => Reply): ServerSession {
  const m = PATH_RE.exec(relDirPath)?.groups;
  if (!m) throw new Answer(drfError(400, `The path ${relDirPath} should be \`nickname/YYYY-MM-DD/n/...`, 'error'));
  const subject = state.subjects.find((s) => s.nickname === m.subject);
  if (!subject) throw new Answer(subjectError(relDirPath.split('/')[0] ?? ''));
  const number = Number(m.number);
  const onDate = state.sessions.filter((s) => s.subject === subject.nickname && (s.start_time ?? '').slice(0, 10) === m.date);
  if (!onDate.length) throw new Answer(drfError(400, `A base session for ${subject.nickname} on ${m.date} does not exist`, 'error'));
  const session = onDate.find((s) => s.number === number);
  if (!session) throw new Answer(drfError(400, `A session for ${subject.nickname}/${number} on ${m.date} does not exist`, 'error'));
  if (!session.users.includes(user)) session.users.push(user);
  return session;
}

/** `_get_name_collection_revision`. */
function parseFiles(filenames: string[], relDirPath: string): ParsedFile[] {
  return filenames.map((f) => {
    const full = posix.join(relDirPath, f);
    const parent = posix.dirname(full);
    // The server parses with ONE's folder_parts, as the project's ALF grammar does.
    const g = folderParts(parent, { assertValid: false });
    if (g.subject === null) {
      throw new Answer(drfError(400, 'Invalid ALF path. Only letters, numbers, hyphen and underscores allowed. A revision folder must be surrounded by pound signs (#).'));
    }
    if (g.revision) {
      const parts = parent.split('/');
      if (parts.indexOf(`#${g.revision}#`) !== parts.length - 1) {
        throw new Answer(drfError(400, 'Invalid ALF path. There must be only 1 revision and it cannot contain sub folders. A revision folder must be surrounded by pound signs (#).'));
      }
    }
    return { collection: g.collection ?? '', revision: g.revision ?? '', filename: posix.basename(full), relDirPath: `${g.subject}/${g.date}/${g.number}` };
  });
}

/** `_check_dataset_protected`: newest revision first, the original last. */
function protection(state: ServerState, session: ServerSession, file: ParsedFile): [boolean, Array<Record<string, boolean>>] {
  const created = (rev: string) => state.revisions.find((r) => r.name === rev)?.created ?? -1;
  const matches = state.datasets
    .filter((d) => d.session === session.id && d.collection === file.collection && d.name === file.filename)
    .sort((a, b) => created(b.revision) - created(a.revision));
  return [matches.some((d) => d.protected), matches.map((d) => ({ [d.revision]: d.protected }))];
}

function extensionOf(name: string): string {
  const i = name.lastIndexOf('.');
  return i > 0 ? name.slice(i) : '';
}

export function registerFile(ctx: RequestContext): Reply {
  try {
    return registerFileOrThrow(ctx);
  } catch (err) {
    if (err instanceof Answer) return err.reply;
    throw err;
  }
}

function registerFileOrThrow(ctx: RequestContext): Reply {
  const { state } = ctx;
  const data = record(ctx.body);
  const user = userFor(ctx, data.created_by);
  let repo: ServerRepository | undefined;
  if (data.name) {
    repo = state.repositories.find((r) => r.name === data.name);
    if (!repo) throw new Answer(drfError(400, 'The specified repository does not exist.'));
  } else if (data.hostname) {
    repo = state.repositories.find((r) => r.hostname === data.hostname);
    if (!repo) throw new Answer(drfError(400, 'The specified repository does not exist.'));
  }
  const relDirPath = normalisePath(data.path);
  const filenames = list(data.filenames, 0, null).map(String).filter(Boolean);
  const n = filenames.length;
  let versions = list(data.versions, n, null);
  if (typeof data.versions === 'string' && versions.length === 1) versions = Array.from({ length: n }, () => versions[0]);
  const hashes = list(data.hashes, n, null);
  const sizes = list(data.filesizes, n, null).map((s) => (s === null || s === undefined ? null : Number(s)));
  let qcs = data.qc === undefined || data.qc === null ? Array.from({ length: n }, () => null as unknown) : list(data.qc, n, null);
  if (typeof data.qc === 'string' && qcs.length === 1) qcs = Array.from({ length: n }, () => qcs[0]);
  const serverOnly = bool(data.server_only, false);
  const isDefault = bool(data.default, true);
  const checkProtectedFlag = bool(data.check_protected, false);

  const session = findSession(state, relDirPath, user, (nick) => drfError(400, `A subject with nickname "${nick}" does not exist.`, 'error'));
  const parsed = parseFiles(filenames, relDirPath);
  const labNames = [...list(data.labs, 0, null), ...list(data.projects, 0, null)].map(String).filter(Boolean);
  const labs = labNames.map((name) => state.labs.find((l) => l.name === name));
  if (labs.some((l) => !l)) throw new Answer(drfError(400, 'One or more of the specified labs do not exist.'));
  const subjectLab = state.labs.find((l) => l.name === state.subjects.find((s) => s.nickname === session.subject)?.lab);
  const repoNames = new Set<string>();
  for (const lab of labs.length ? labs : [subjectLab]) {
    for (const name of lab?.repositories ?? []) {
      const r = state.repositories.find((x) => x.name === name);
      if (r && (!serverOnly || !r.globus_is_personal)) repoNames.add(r.name);
    }
  }
  if (repo) repoNames.add(repo.name);
  const repositories = [...repoNames];
  let existsIn: Array<string | null> = [repo?.name ?? null];
  if (serverOnly) existsIn = repositories;
  if (!bool(data.exists, true)) existsIn = [null];

  if (checkProtectedFlag) {
    const details = parsed.map((file, i) => [filenames[i] as string, ...protection(state, session, file)] as const);
    if (details.some(([, prot]) => prot)) {
      return json(403, { status_code: 403, error: 'One or more datasets is protected', details: details.map(([name, , info]) => ({ [name]: info })) });
    }
  }

  // Everything that can fail is checked before anything is written.
  const resolved = parsed.map((file, i) => {
    let datasetType: string;
    try {
      datasetType = getDatasetType(file.filename, state.datasetTypes).name;
    } catch (err) {
      if (err instanceof DatasetTypeError) throw new Answer(drfError(500, err.message));
      throw err;
    }
    const formats = state.dataFormats.filter((f) => f.file_extension === extensionOf(file.filename));
    if (formats.length === 0) throw new Answer(drfError(500, 'DataFormat matching query does not exist.'));
    if (formats.length > 1) throw new Answer(drfError(500, `get() returned more than one DataFormat -- it returned ${formats.length}!`));
    const qcRaw = qcs[i] ?? 'NOT_SET';
    const qc = typeof qcRaw === 'number' ? qcRaw : /^\d+$/.test(String(qcRaw)) ? Number(qcRaw) : QC_VALUES[String(qcRaw).toUpperCase()];
    if (qc === undefined || !Object.values(QC_VALUES).includes(qc)) {
      throw new Answer(drfError(400, `Invalid QC value "${String(qcRaw)}" for dataset "${posix.join(file.relDirPath, file.collection, file.revision ? `#${file.revision}#` : '', file.filename)}"`));
    }
    return { file, datasetType, dataFormat: formats[0]?.name as string, qc };
  });

  const out: unknown[] = [];
  for (const [i, { file, datasetType, dataFormat, qc }] of resolved.entries()) {
    if (file.revision && !state.revisions.some((r) => r.name === file.revision)) {
      state.revisions.push({ name: file.revision, created: state.revisions.length });
    }
    if (isDefault) {
      for (const d of state.datasets) {
        if (d.session === session.id && d.collection === file.collection && d.name === file.filename && d.default_dataset) d.default_dataset = false;
      }
    }
    let dataset = state.datasets.find((d) => d.session === session.id && d.collection === file.collection && d.name === file.filename && d.revision === file.revision);
    const isNew = !dataset;
    if (!dataset) {
      dataset = {
        id: randomUUID(), session: session.id, name: file.filename, collection: file.collection, revision: file.revision, dataset_type: datasetType,
        data_format: dataFormat, hash: '', file_size: null, version: '', default_dataset: false, qc: 0, protected: false, created_by: user,
        created_datetime: nowNaive(), file_records: [],
      } satisfies ServerDataset;
      state.datasets.push(dataset);
    }
    dataset.default_dataset = isDefault;
    dataset.qc = qc;
    if (!isNew && dataset.protected) return drfError(403, `Dataset ${dataset.id} is protected, cannot patch`);
    dataset.created_by = user;
    if (versions[i]) dataset.version = String(versions[i]);
    let patched = true;
    const hash = hashes[i];
    if (hash) {
      if (dataset.hash) patched = dataset.hash !== hash;
      dataset.hash = String(hash);
    }
    if (sizes[i] !== null && sizes[i] !== undefined) dataset.file_size = sizes[i] as number;
    const relativePath = posix.join(file.relDirPath, file.collection, file.revision ? `#${file.revision}#` : '', file.filename);
    for (const repoName of repositories) {
      let fr = dataset.file_records.find((r) => r.data_repository === repoName && r.relative_path === relativePath);
      const newRecord = !fr;
      if (!fr) {
        fr = { id: randomUUID(), data_repository: repoName, relative_path: relativePath, exists: false };
        dataset.file_records.push(fr);
      }
      if (newRecord || patched) fr.exists = existsIn.includes(repoName);
    }
    out.push(datasetResponse(session, dataset));
  }
  return json(201, out);
}

/** `_make_dataset_response`. */
function datasetResponse(session: ServerSession, d: ServerDataset): unknown {
  return {
    id: d.id, name: d.name, file_size: d.file_size, subject: session.subject, created_by: d.created_by, created_datetime: d.created_datetime,
    dataset_type: d.dataset_type, data_format: d.data_format, session: session.id, session_number: session.number,
    session_users: session.users.join(','), session_start_time: session.start_time, collection: d.collection, revision: d.revision,
    default: d.default_dataset, qc: d.qc, file_records: d.file_records.map((r) => ({ ...r })),
  };
}

/** `GET /check-protected`: always HTTP 200 with the verdict in `status_code`, or a 500 for bad input. */
export function checkProtected(ctx: RequestContext): Reply {
  try {
    // request.GET.dict(): a repeated parameter keeps only its last value.
    const q = Object.fromEntries(ctx.query.entries());
    const user = userFor(ctx, q.created_by);
    const relDirPath = normalisePath(q.path);
    const filenames = (q.filenames ?? '').split(',').filter(Boolean);
    let session: ServerSession;
    try {
      session = findSession(ctx.state, relDirPath, user, () => drfError(500, 'Subject matching query does not exist.'));
    } catch (err) {
      // _get_session raises: unhandled on this endpoint, so a 500 with the message.
      if (err instanceof Answer && err.reply.status === 400) {
        const body = err.reply.body as { error?: string; detail?: string };
        throw new Answer(drfError(500, body.error ?? body.detail ?? 'Server error'));
      }
      throw err;
    }
    const parsed = parseFiles(filenames, relDirPath);
    const details = parsed.map((file) => protection(ctx.state, session, file));
    if (details.some(([prot]) => prot)) {
      return json(200, { status_code: 403, error: 'One or more datasets is protected', details: details.map(([, info], i) => ({ [filenames[i] as string]: info })) });
    }
    return json(200, { status_code: 200, details: 'None of the datasets are protected' });
  } catch (err) {
    if (err instanceof Answer) return err.reply;
    throw err;
  }
}
