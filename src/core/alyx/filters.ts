import { AlyxFilterError } from './errors';

/** A list filter value: lists are sent comma-separated, as Alyx's filters expect (and as ONE does). */
export type FilterValue = string | number | boolean | ReadonlyArray<string | number>;
export type Filters = Record<string, FilterValue | null | undefined>;

/** Accepted by every paginated list endpoint. */
const PAGINATION = ['limit', 'offset'] as const;

// Alyx filter sets declare `exclude = []`, so every model field is a filter too; these tables
// list the declared filters plus the model fields (Alyx 3.6, alyx/*/views.py and models.py).
const ACTION_FILTERS = ['subject', 'nickname', 'users', 'date_range', 'lab', 'location', 'json', 'django', 'id', 'name', 'narrative', 'start_time', 'end_time', 'procedures'];

/** Known list filters of the endpoints this project queries. Other endpoints use `/api/schema`. */
export const KNOWN_LIST_FILTERS: Readonly<Record<string, readonly string[]>> = {
  sessions: [
    ...ACTION_FILTERS, 'dataset_types', 'datasets', 'dataset_qc_lte', 'performance_gte', 'performance_lte',
    'type', 'task_protocol', 'qc', 'extended_qc', 'projects', 'project', 'atlas_name', 'atlas_acronym',
    'atlas_id', 'histology', 'tag', 'number', 'parent_session', 'n_trials', 'n_correct_trials', 'auto_datetime',
  ],
  weighings: [...ACTION_FILTERS.filter((f) => f !== 'users' && f !== 'procedures' && f !== 'start_time' && f !== 'end_time' && f !== 'narrative' && f !== 'location'), 'user', 'date_time', 'weight'],
  'water-administrations': [
    ...ACTION_FILTERS.filter((f) => f !== 'users' && f !== 'procedures' && f !== 'start_time' && f !== 'end_time' && f !== 'narrative' && f !== 'location'),
    'user', 'date_time', 'session', 'water_administered', 'water_type', 'adlib',
  ],
  subjects: [
    'django', 'id', 'name', 'json', 'nickname', 'alive', 'responsible_user', 'stock', 'water_restricted', 'lab',
    'project', 'projects', 'sex', 'species', 'strain', 'genotype', 'line', 'litter', 'source', 'birth_date',
    'death_date', 'ear_mark', 'cage', 'description', 'protocol_number', 'lamis_cage', 'implant_weight',
  ],
  datasets: [
    'django', 'id', 'name', 'subject', 'lab', 'created_date', 'date', 'created_by', 'dataset_type',
    'experiment_number', 'created_date_gte', 'created_date_lte', 'exists', 'probe_insertion', 'public',
    'protected', 'tag', 'tags', 'revision', 'qc', 'session', 'collection', 'hash', 'file_size', 'version',
    'data_format', 'default_dataset', 'created_datetime', 'content_type', 'object_id',
  ],
  'dataset-types': ['django'],
  'data-formats': ['django'],
  'data-repository': ['django', 'name', 'globus_is_personal', 'globus_endpoint_id'],
  repositories: ['django', 'name', 'globus_is_personal', 'globus_endpoint_id'],
  users: ['django', 'username', 'email', 'first_name', 'last_name', 'is_active', 'is_staff', 'is_superuser', 'id'],
  labs: ['django', 'name', 'institution', 'address', 'timezone', 'id'],
  'water-type': ['django', 'name'],
};

/**
 * Checks `filters` against the endpoint's known filters; `known` overrides the built-in table
 * (e.g. names read from the server's OpenAPI schema). Returns `false` when nothing is known
 * about the endpoint, so the caller can look it up.
 */
export function validateFilters(endpoint: string, filters: Filters, known?: readonly string[]): boolean {
  const names = known ?? KNOWN_LIST_FILTERS[endpoint];
  if (!names) return false;
  const allowed = new Set<string>([...names, ...PAGINATION]);
  const unknown = Object.keys(filters).filter((k) => filters[k] !== undefined && !allowed.has(k));
  if (unknown.length) throw new AlyxFilterError(endpoint, unknown, [...names].sort());
  return true;
}

/** `{a: 1, b: ['x','y']}` → `a=1&b=x%2Cy`; undefined and null values are left out. */
export function filtersToQuery(filters: Filters): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined || value === null) continue;
    query.set(key, Array.isArray(value) ? value.map(String).join(',') : String(value));
  }
  return query;
}
