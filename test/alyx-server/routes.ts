import { randomUUID } from 'node:crypto';
import { DATETIME_FORMAT_ERROR, parseDrfDatetime } from './datetime';
import { type Handler, type Reply, type RequestContext, bool, drfError, fieldErrors, htmlNotFound, json, notFound, paginate, record } from './http';
import { DATASET_FILTERS, FilterFailure, SESSION_FILTERS, applyFilters } from './list-filters';
import { checkProtected, registerFile } from './register-file';
import type { ServerDataset, ServerSession, ServerState } from './state';
import { WaterControl, daysBetween } from './water-control';

const UUID = '([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})';
const NAME = '([^/]+)';


export interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

function route(method: string, path: string, handler: Handler): Route {
  return { method, pattern: new RegExp(`^${path}$`), handler };
}

export const ROUTES: Route[] = [
  route('GET', '/api/schema', (ctx) => json(200, openApiSchema(ctx))),
  route('GET', '/subjects', (ctx) => paginate(ctx, filterBy(ctx.state.subjects, ctx.query, { nickname: 'nickname', lab: 'lab' }).map((s) => subjectJson(ctx, s)))),
  route('GET', `/subjects/${NAME}`, (ctx, [nick]) => found(ctx.state.subjects.find((s) => s.nickname === nick), (s) => subjectJson(ctx, s, true))),
  route('GET', `/water-requirement/${NAME}`, waterRequirement),
  route('GET', '/users', (ctx) => paginate(ctx, ctx.state.users.map(userJson))),
  route('GET', `/users/${NAME}`, (ctx, [name]) => found(ctx.state.users.find((u) => u.username === name), userJson)),
  route('GET', '/labs', (ctx) => paginate(ctx, ctx.state.labs.map((l) => ({ name: l.name, repositories: l.repositories })))),
  route('GET', `/labs/${NAME}`, (ctx, [name]) => found(ctx.state.labs.find((l) => l.name === name), (l) => ({ name: l.name, repositories: l.repositories }))),
  route('GET', '/projects', (ctx) => paginate(ctx, filterBy(ctx.state.projects, ctx.query, { name: 'name' }))),
  ...['data-repository', 'repositories'].flatMap((ep) => [
    route('GET', `/${ep}`, (ctx) => paginate(ctx, ctx.state.repositories)),
    route('GET', `/${ep}/${NAME}`, (ctx, [name]) => found(ctx.state.repositories.find((r) => r.name === name), (r) => r)),
  ]),
  route('GET', '/dataset-types', (ctx) => paginate(ctx, ctx.state.datasetTypes)),
  route('GET', `/dataset-types/${NAME}`, (ctx, [name]) => found(ctx.state.datasetTypes.find((d) => d.name === name), (d) => d)),
  route('GET', '/data-formats', (ctx) => paginate(ctx, ctx.state.dataFormats)),
  route('GET', '/water-type', (ctx) => paginate(ctx, ctx.state.waterTypes)),
  route('GET', '/procedures', (ctx) => paginate(ctx, ctx.state.procedures)),
  route('GET', '/sessions', listSessions),
  route('POST', '/sessions', (ctx) => saveSession(ctx, undefined, false)),
  route('GET', `/sessions/${UUID}`, (ctx, [id]) => found(sessionById(ctx.state, id), (s) => sessionJson(ctx, s, true))),
  route('PUT', `/sessions/${UUID}`, (ctx, [id]) => saveSession(ctx, sessionById(ctx.state, id) ?? null, false)),
  route('PATCH', `/sessions/${UUID}`, (ctx, [id]) => saveSession(ctx, sessionById(ctx.state, id) ?? null, true)),
  route('DELETE', `/sessions/${UUID}`, deleteSession),
  route('GET', '/datasets', listDatasets),
  route('GET', `/datasets/${UUID}`, (ctx, [id]) => found(ctx.state.datasets.find((d) => d.id === id?.toLowerCase()), (d) => datasetJson(ctx, d))),
  route('POST', '/register-file', registerFile),
  route('GET', '/check-protected', checkProtected),
  route('GET', '/weighings', (ctx) => paginate(ctx, ctx.state.weighings.map((w) => weighingJson(ctx, w)))),
  route('POST', '/weighings', createWeighing),
  route('GET', '/water-administrations', (ctx) => paginate(ctx, ctx.state.waterAdministrations.map((w) => waterJson(ctx, w)))),
  route('POST', '/water-administrations', createWaterAdministration),
];

export function dispatch(ctx: RequestContext): Reply {
  let pathMatched = false;
  for (const r of ROUTES) {
    const m = r.pattern.exec(ctx.path);
    if (!m) continue;
    pathMatched = true;
    if (r.method === ctx.method) return r.handler(ctx, m.slice(1).map((p) => decodeURIComponent(p)));
  }
  return pathMatched ? drfError(405, `Method "${ctx.method}" not allowed.`) : htmlNotFound();
}

// ------------------------------------------------------------------ helpers

function found<T>(item: T | undefined, toJson: (item: T) => unknown): Reply {
  return item === undefined ? notFound() : json(200, toJson(item));
}

function filterBy<T>(items: readonly T[], query: URLSearchParams, fields: Record<string, keyof T>): T[] {
  return items.filter((item) => Object.entries(fields).every(([param, key]) => {
    const want = query.get(param);
    return want === null || String(item[key]).toLowerCase() === want.toLowerCase();
  }));
}

/** The subject list / detail serializers: water-control fields for today; the detail adds the weighings and water administrations. */
function subjectJson(ctx: RequestContext, s: ServerState['subjects'][number], detail = false): unknown {
  const wc = new WaterControl(ctx.state, s);
  const today = WaterControl.today();
  const out: Record<string, unknown> = {
    nickname: s.nickname, id: s.id, lab: s.lab, responsible_user: s.responsible_user, projects: s.projects,
    reference_weight: wc.referenceWeight(null), last_water_restriction: wc.waterRestrictionAt(today), expected_water: wc.expectedWater(today), remaining_water: wc.remainingWater(today),
  };
  if (detail) {
    out.weighings = ctx.state.weighings.filter((w) => w.subject === s.nickname).map((w) => weighingJson(ctx, w));
    out.water_administrations = ctx.state.waterAdministrations.filter((w) => w.subject === s.nickname).map((w) => waterJson(ctx, w));
  }
  return out;
}

/** `GET /water-requirement/<nickname>?start_date=&end_date=`: one record per day (Alyx: from the first weighing or water, to today). */
function waterRequirement(ctx: RequestContext, [nick]: string[]): Reply {
  const subject = ctx.state.subjects.find((s) => s.nickname === nick);
  // Alyx looks the subject up with objects.get and does not catch DoesNotExist: a server error.
  if (!subject) return { status: 500, html: '<h1>Server Error (500)</h1>' };
  const wc = new WaterControl(ctx.state, subject);
  const start = ctx.query.get('start_date') || wc.firstDate();
  const end = ctx.query.get('end_date') || WaterControl.today();
  return json(200, {
    subject: subject.nickname, implant_weight: wc.referenceImplantWeightAt(start), reference_weight_pct: wc.referenceWeightPct,
    zscore_weight_pct: wc.zscoreWeightPct, records: daysBetween(start, end).map((d) => wc.record(d)),
  });
}

function userJson(u: ServerState['users'][number]): unknown {
  return { id: u.id, username: u.username, email: `${u.username}@example.org` };
}

function sessionById(state: ServerState, id: string | undefined): ServerSession | undefined {
  return state.sessions.find((s) => s.id === id?.toLowerCase());
}

export function sessionJson(ctx: RequestContext, s: ServerSession, detail = false): Record<string, unknown> {
  const out: Record<string, unknown> = {
    url: `${ctx.origin}/sessions/${s.id}`, id: s.id, subject: s.subject, users: s.users, location: s.location, procedures: s.procedures,
    lab: s.lab, projects: s.projects, type: s.type, task_protocol: s.task_protocol, number: s.number, start_time: s.start_time,
    end_time: s.end_time, n_correct_trials: s.n_correct_trials, n_trials: s.n_trials, json: s.json, narrative: s.narrative,
  };
  if (detail) out.data_dataset_session_related = ctx.state.datasets.filter((d) => d.session === s.id).map((d) => datasetJson(ctx, d));
  return out;
}

function datasetJson(ctx: RequestContext, d: ServerDataset): unknown {
  return {
    url: `${ctx.origin}/datasets/${d.id}`, id: d.id, name: d.name, collection: d.collection, revision: d.revision || null,
    dataset_type: d.dataset_type, data_format: d.data_format, hash: d.hash || null, file_size: d.file_size, version: d.version,
    // As on a real server: names in /datasets, integers in register-file; 0/1 booleans; a string default_revision.
    qc: ({ 0: 'NOT_SET', 10: 'PASS', 30: 'WARNING', 40: 'FAIL', 50: 'CRITICAL' } as Record<number, string>)[d.qc] ?? 'NOT_SET',
    protected: d.protected ? 1 : 0, public: 0, default_dataset: d.default_dataset, default_revision: d.default_dataset ? 'True' : 'False',
    session: `${ctx.origin}/sessions/${d.session}`, created_by: d.created_by, created_datetime: d.created_datetime,
    file_records: d.file_records,
  };
}

function listSessions(ctx: RequestContext): Reply {
  return listFiltered(ctx, ctx.state.sessions, SESSION_FILTERS, (s) => sessionJson(ctx, s));
}

function listDatasets(ctx: RequestContext): Reply {
  // A database answers `subject=` from an index; scanning every dataset per page made the
  // test server, not the client, the slow part of a 74,000-dataset benchmark.
  const subject = ctx.query.get('subject');
  const items = subject ? ctx.state.sessions.filter((s) => s.subject === subject).flatMap((s) => datasetsBySession(ctx.state).get(s.id) ?? []) : ctx.state.datasets;
  return listFiltered(ctx, items, DATASET_FILTERS, (d) => datasetJson(ctx, d));
}

const bySessionCache = new WeakMap<ServerDataset[], { length: number; index: Map<string, ServerDataset[]> }>();

/** Datasets by session id, in list order; rebuilt when datasets are added or the list is replaced. */
function datasetsBySession(state: ServerState): Map<string, ServerDataset[]> {
  const cached = bySessionCache.get(state.datasets);
  if (cached && cached.length === state.datasets.length) return cached.index;
  const index = new Map<string, ServerDataset[]>();
  for (const d of state.datasets) {
    const list = index.get(d.session);
    if (list) list.push(d);
    else index.set(d.session, [d]);
  }
  bySessionCache.set(state.datasets, { length: state.datasets.length, index });
  return index;
}

function listFiltered<T>(ctx: RequestContext, items: readonly T[], filters: Parameters<typeof applyFilters<T>>[2], toJson: (item: T) => unknown): Reply {
  try {
    return paginate(ctx, applyFilters(items, ctx.query, filters, ctx.state).map(toJson));
  } catch (err) {
    if (err instanceof FilterFailure) return drfError(500, err.message);
    throw err;
  }
}

function saveSession(ctx: RequestContext, existing: ServerSession | null | undefined, partial: boolean): Reply {
  if (existing === null) return notFound();
  const data = record(ctx.body);
  const errors: Record<string, string[]> = {};
  const has = (k: string) => k in data;
  const next: ServerSession = existing
    ? { ...existing }
    : { id: randomUUID(), subject: '', users: [], lab: null, number: null, start_time: null, end_time: null, type: null, task_protocol: '', procedures: [], projects: [], location: null, n_trials: null, n_correct_trials: null, json: null, narrative: '' };

  if (has('subject') || !partial) {
    const subject = ctx.state.subjects.find((s) => s.nickname === data.subject);
    if (data.subject === undefined || data.subject === null) errors.subject = ['This field is required.'];
    else if (!subject) errors.subject = [`Object with nickname=${String(data.subject)} does not exist.`];
    else next.subject = subject.nickname;
  }
  if (has('users')) {
    const users = Array.isArray(data.users) ? data.users.map(String) : [String(data.users)];
    const missing = users.filter((u) => !ctx.state.users.some((x) => x.username === u));
    if (missing.length) errors.users = missing.map((u) => `Object with username=${u} does not exist.`);
    else next.users = users;
  }
  if (has('lab')) {
    if (data.lab !== null && !ctx.state.labs.some((l) => l.name === data.lab)) errors.lab = [`Object with name=${String(data.lab)} does not exist.`];
    else next.lab = (data.lab as string | null) ?? null;
  } else if (!existing && next.subject) {
    next.lab = ctx.state.subjects.find((s) => s.nickname === next.subject)?.lab ?? null;
  }
  if (has('number')) {
    const n = typeof data.number === 'string' && /^\s*-?\d+\s*$/.test(data.number) ? Number(data.number) : data.number;
    if (n === null) next.number = null;
    else if (typeof n !== 'number' || !Number.isInteger(n)) errors.number = ['A valid integer is required.'];
    else next.number = n;
  }
  for (const key of ['start_time', 'end_time'] as const) {
    if (!has(key)) continue;
    if (data[key] === null) {
      next[key] = null;
      continue;
    }
    const parsed = parseDrfDatetime(data[key]);
    if (!parsed) errors[key] = [DATETIME_FORMAT_ERROR];
    else next[key] = parsed;
  }
  for (const key of ['n_trials', 'n_correct_trials'] as const) {
    if (!has(key)) continue;
    const v = data[key];
    if (v === null) next[key] = null;
    else if (!Number.isInteger(Number(v))) errors[key] = ['A valid integer is required.'];
    else next[key] = Number(v);
  }
  if (has('procedures')) {
    // A slug field: every name must be a procedure type the server has.
    const procedures = (Array.isArray(data.procedures) ? data.procedures : [data.procedures]).map(String);
    const missing = procedures.filter((p) => !ctx.state.procedures.some((x) => x.name === p));
    if (missing.length) errors.procedures = missing.map((p) => `Object with name=${p} does not exist.`);
    else next.procedures = procedures;
  }
  if (has('projects')) {
    const projects = (Array.isArray(data.projects) ? data.projects : [data.projects]).map(String);
    const missing = projects.filter((p) => !ctx.state.projects.some((x) => x.name === p));
    if (missing.length) errors.projects = missing.map((p) => `Object with name=${p} does not exist.`);
    else next.projects = projects;
  }
  for (const key of ['type', 'task_protocol', 'location', 'narrative'] as const) {
    if (has(key)) (next as unknown as Record<string, unknown>)[key] = data[key] === null ? null : String(data[key]);
  }
  if (has('json')) next.json = data.json;
  if (Object.keys(errors).length) return fieldErrors(errors);
  if (existing) Object.assign(existing, next);
  else ctx.state.sessions.push(next);
  return json(existing ? 200 : 201, sessionJson(ctx, existing ?? next, true));
}

function deleteSession(ctx: RequestContext, [id]: string[]): Reply {
  const i = ctx.state.sessions.findIndex((s) => s.id === id?.toLowerCase());
  if (i < 0) return notFound();
  const [removed] = ctx.state.sessions.splice(i, 1);
  ctx.state.datasets = ctx.state.datasets.filter((d) => d.session !== removed?.id);
  return { status: 204 };
}

function subjectAndUser(ctx: RequestContext, data: Record<string, unknown>, errors: Record<string, string[]>): void {
  if (!ctx.state.subjects.some((s) => s.nickname === data.subject)) {
    errors.subject = data.subject === undefined ? ['This field is required.'] : [`Object with nickname=${String(data.subject)} does not exist.`];
  }
  if (data.user !== undefined && data.user !== null && !ctx.state.users.some((u) => u.username === data.user)) {
    errors.user = [`Object with username=${String(data.user)} does not exist.`];
  }
}

function weighingJson(ctx: RequestContext, w: ServerState['weighings'][number]): unknown {
  return { subject: w.subject, date_time: w.date_time, weight: w.weight, user: w.user, url: `${ctx.origin}/weighings/${w.id}` };
}

function createWeighing(ctx: RequestContext): Reply {
  const data = record(ctx.body);
  const errors: Record<string, string[]> = {};
  subjectAndUser(ctx, data, errors);
  const dateTime = parseDrfDatetime(data.date_time);
  if (!dateTime) errors.date_time = [DATETIME_FORMAT_ERROR];
  const weight = Number(data.weight);
  if (data.weight === undefined || data.weight === null || data.weight === '' || Number.isNaN(weight)) errors.weight = ['A valid number is required.'];
  if (Object.keys(errors).length) return fieldErrors(errors);
  const w = { id: randomUUID(), subject: String(data.subject), date_time: dateTime as string, weight, user: String(data.user ?? ctx.user) };
  ctx.state.weighings.push(w);
  return json(201, weighingJson(ctx, w));
}

function waterJson(ctx: RequestContext, w: ServerState['waterAdministrations'][number]): unknown {
  return {
    url: `${ctx.origin}/water-administrations/${w.id}`, id: w.id, subject: w.subject, date_time: w.date_time,
    water_administered: w.water_administered, water_type: w.water_type, user: w.user, adlib: w.adlib, session: w.session,
  };
}

function createWaterAdministration(ctx: RequestContext): Reply {
  const data = record(ctx.body);
  const errors: Record<string, string[]> = {};
  subjectAndUser(ctx, data, errors);
  const dateTime = data.date_time === undefined ? undefined : parseDrfDatetime(data.date_time);
  if (data.date_time !== undefined && !dateTime) errors.date_time = [DATETIME_FORMAT_ERROR];
  const volume = Number(data.water_administered);
  if (Number.isNaN(volume) || data.water_administered === undefined) errors.water_administered = ['A valid number is required.'];
  else if (volume < 0) errors.water_administered = ['Ensure this value is greater than or equal to 0.'];
  const waterType = data.water_type === undefined ? 'Water' : String(data.water_type);
  if (!ctx.state.waterTypes.some((t) => t.name === waterType)) errors.water_type = [`Object with name=${waterType} does not exist.`];
  let session: string | null = null;
  if (data.session !== undefined && data.session !== null && data.session !== '') {
    const sid = String(data.session);
    if (!new RegExp(`^${UUID}$`).test(sid)) errors.session = [`“${sid}” is not a valid UUID.`];
    else if (!sessionById(ctx.state, sid)) errors.session = [`Invalid pk "${sid}" - object does not exist.`];
    else session = sid.toLowerCase();
  }
  if (Object.keys(errors).length) return fieldErrors(errors);
  const w = {
    id: randomUUID(), subject: String(data.subject), date_time: dateTime ?? new Date().toISOString().slice(0, 19), water_administered: volume,
    water_type: waterType, user: String(data.user ?? ctx.user), adlib: bool(data.adlib, false), session,
  };
  ctx.state.waterAdministrations.push(w);
  return json(201, waterJson(ctx, w));
}

/** A minimal OpenAPI document: list endpoints and their query parameters. */
function openApiSchema(ctx: RequestContext): unknown {
  const params = (names: string[]) => names.map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } }));
  const paths: Record<string, unknown> = {
    '/projects': { get: { parameters: params(['name', 'django', 'limit', 'offset']) } },
    '/sessions': { get: { parameters: params([...Object.keys(SESSION_FILTERS), 'limit', 'offset']) } },
    '/datasets': { get: { parameters: params([...Object.keys(DATASET_FILTERS), 'limit', 'offset']) } },
    '/subjects': { get: { parameters: params(['nickname', 'lab', 'limit', 'offset']) } },
  };
  return { openapi: '3.0.2', info: { title: 'Alyx test server', version: ctx.origin }, paths };
}
