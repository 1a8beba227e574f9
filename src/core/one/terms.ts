/**
 * Search term names: ONE's snake_case names, camelCase aliases for TypeScript callers, and ONE's
 * completion of a case-insensitive unique prefix (`lab` → laboratory, `date` → date_range).
 */
import { casefold } from '../registration/fnmatch';
import { OneError } from './errors';

/** ONE 3.4.2's local search terms (`One._search_terms`), in its order. */
export const ONE_SEARCH_TERMS = ['datasets', 'date_range', 'laboratory', 'number', 'projects', 'subject', 'task_protocol', 'dataset_qc_lte'] as const;
export type OneSearchTerm = (typeof ONE_SEARCH_TERMS)[number];

/** camelCase spellings accepted as well ('lab' is also a prefix of 'laboratory'). */
const ALIASES: Record<string, OneSearchTerm> = {
  lab: 'laboratory',
  dateRange: 'date_range',
  taskProtocol: 'task_protocol',
  datasetQcLte: 'dataset_qc_lte',
};

const SPELLINGS: [string, OneSearchTerm][] = [
  ...ONE_SEARCH_TERMS.map((t): [string, OneSearchTerm] => [t, t]),
  ...Object.entries(ALIASES).map(([k, v]): [string, OneSearchTerm] => [casefold(k), v]),
];

/** The term a key names: exact (any case) or a unique prefix, like ONE's `util.autocomplete`. */
export function completeSearchTerm(key: string): OneSearchTerm {
  const k = casefold(key);
  const exact = SPELLINGS.find(([s]) => s === k);
  if (exact) return exact[1];
  const found = new Set(SPELLINGS.filter(([s]) => s.startsWith(k)).map(([, t]) => t));
  const terms = ONE_SEARCH_TERMS.join(', ');
  if (found.size === 0) throw new OneError('unknown-term', `Invalid search term "${key}": the terms are ${terms} (or dateRange, taskProtocol, datasetQcLte, lab)`, key);
  if (found.size > 1) throw new OneError('ambiguous-term', `Ambiguous search term "${key}": it could be ${[...found].join(' or ')}; write more of it`, key);
  return [...found][0] as OneSearchTerm;
}

export interface NormalisedTerm {
  term: OneSearchTerm;
  /** The key as the caller wrote it (for messages). */
  key: string;
  value: unknown;
}

/**
 * The query's terms under ONE's names, in the order given. Undefined and null values are left
 * out (a TypeScript caller's optional fields); two keys naming the same term are an error.
 */
export function normaliseSearchTerms(query: object): NormalisedTerm[] {
  const out: NormalisedTerm[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (key === 'details') {
      throw new OneError('unknown-term', '"details" is an option, not a search term: pass it as search(query, { details: true })', key);
    }
    const term = completeSearchTerm(key);
    if (value === undefined || value === null) continue;
    const twin = out.find((t) => t.term === term);
    if (twin) throw new OneError('duplicate-term', `"${twin.key}" and "${key}" both give ${term}; give it once`, term);
    out.push({ term, key, value });
  }
  return out;
}
