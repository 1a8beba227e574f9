/**
 * The list filters of `/sessions` and `/datasets`, with the names and semantics of Alyx's
 * `SessionFilter` (alyx/actions/views.py, over `BaseActionFilter`) and `DatasetFilter`
 * (alyx/data/views.py). Django's CharFilter is `exact` (case-sensitive) unless the filter says
 * `iexact`/`icontains`; an unknown parameter is ignored, so the whole list comes back.
 */
import type { ServerDataset, ServerSession, ServerState } from './state';

/** Thrown for a value Alyx itself fails on (a 500 from the view). */
export class FilterFailure extends Error {}

const QC_NAMES: Record<string, number> = { not_set: 0, pass: 10, warning: 30, fail: 40, critical: 50 };

const ieq = (a: unknown, b: string) => String(a ?? '').toLowerCase() === b.toLowerCase();
const icontains = (a: unknown, b: string) => String(a ?? '').toLowerCase().includes(b.toLowerCase());
const day = (s: ServerSession | undefined) => (s?.start_time ?? '').slice(0, 10);

/** Django's BooleanFilter: `True`/`true`/`1` and `False`/`false`/`0`; anything else leaves the list alone. */
function boolParam(v: string): boolean | undefined {
  if (['true', '1'].includes(v.toLowerCase())) return true;
  if (['false', '0'].includes(v.toLowerCase())) return false;
  return undefined;
}

/** What a filter sees besides the item: the state, and its sessions by id (built once per request). */
interface FilterContext {
  state: ServerState;
  session(id: string): ServerSession | undefined;
}

type Test<T> = (item: T, value: string, ctx: FilterContext) => boolean;

export const SESSION_FILTERS: Readonly<Record<string, Test<ServerSession>>> = {
  // BaseActionFilter
  subject: (s, v) => ieq(s.subject, v),
  nickname: (s, v) => ieq(s.subject, v),
  users: (s, v) => v.split(',').every((u) => s.users.includes(u)),
  date_range: (s, v) => {
    const [from, to] = v.split(',');
    // Alyx indexes drange[1]: a single date is an IndexError there, a 500 here.
    if (from === undefined || to === undefined) throw new FilterFailure('list index out of range');
    return day(s) >= from && day(s) <= to;
  },
  lab: (s, v) => ieq(s.lab, v),
  location: (s, v) => icontains(s.location, v),
  // SessionFilter
  type: (s, v) => ieq(s.type, v),
  task_protocol: (s, v) => icontains(s.task_protocol, v),
  procedures: (s, v) => s.procedures.some((p) => icontains(p, v)),
  projects: (s, v) => s.projects.some((p) => icontains(p, v)),
  project: (s, v) => s.projects.some((p) => icontains(p, v)),
  // Model fields (`exclude = []`): exact lookups.
  number: (s, v) => s.number === Number(v),
  id: (s, v) => s.id === v.toLowerCase(),
};

function sessionOf(ctx: FilterContext, d: ServerDataset): ServerSession | undefined {
  return ctx.session(d.session);
}

export const DATASET_FILTERS: Readonly<Record<string, Test<ServerDataset>>> = {
  subject: (d, v, st) => sessionOf(st, d)?.subject === v,
  lab: (d, v, st) => sessionOf(st, d)?.lab === v,
  date: (d, v, st) => day(sessionOf(st, d)) === v,
  experiment_number: (d, v, st) => String(sessionOf(st, d)?.number ?? '') === v.replace(/^0+(?=\d)/, ''),
  created_by: (d, v) => d.created_by === v,
  dataset_type: (d, v) => d.dataset_type === v,
  created_date: (d, v) => d.created_datetime.slice(0, 10) === v,
  created_date_gte: (d, v) => d.created_datetime.slice(0, 10) >= v.slice(0, 10),
  created_date_lte: (d, v) => d.created_datetime.slice(0, 10) <= v.slice(0, 10),
  exists: (d, v, ctx) => {
    const want = boolParam(v);
    // Alyx applies it only when the database has a server (non-personal) repository.
    const servers = new Set(ctx.state.repositories.filter((r) => !r.globus_is_personal).map((r) => r.name));
    if (want === undefined || servers.size === 0) return true;
    return d.file_records.some((fr) => servers.has(fr.data_repository) && fr.exists === want);
  },
  protected: (d, v) => {
    const want = boolParam(v);
    return want === undefined || d.protected === want;
  },
  revision: (d, v) => d.revision === v,
  qc: (d, v) => {
    const code = QC_NAMES[v.trim().toLowerCase()];
    if (code === undefined) throw new FilterFailure(`Invalidqc, choices are: NOT_SET, PASS, WARNING, FAIL, CRITICAL`);
    return d.qc === code;
  },
  // Model fields.
  id: (d, v) => d.id === v.toLowerCase(),
  name: (d, v) => d.name === v,
  collection: (d, v) => d.collection === v,
  session: (d, v) => d.session === v.toLowerCase(),
  hash: (d, v) => d.hash === v,
  file_size: (d, v) => String(d.file_size) === v,
  version: (d, v) => d.version === v,
  default_dataset: (d, v) => {
    const want = boolParam(v);
    return want === undefined || d.default_dataset === want;
  },
};

/** The items every given (known) filter accepts; unknown parameters are ignored. */
export function applyFilters<T>(items: readonly T[], query: URLSearchParams, filters: Readonly<Record<string, Test<T>>>, state: ServerState): T[] {
  let index: Map<string, ServerSession> | undefined;
  const ctx: FilterContext = { state, session: (id) => (index ??= new Map(state.sessions.map((s) => [s.id, s]))).get(id) };
  let out = [...items];
  for (const [name, test] of Object.entries(filters)) {
    const value = query.get(name);
    // django-filter skips an empty value.
    if (value === null || value === '') continue;
    out = out.filter((item) => test(item, value, ctx));
  }
  return out;
}
