/**
 * The Search view's recent searches (kept in the workspace state): newest first, the same search
 * again moves to the top instead of being listed twice, at most a few kept.
 */
import type { SearchForm } from '../core/one/snippet';

/** A search run before. */
export interface RecentSearch {
  root: string;
  form: SearchForm;
  total: number;
  /** ms since 1970. */
  at: number;
  /** How long the extension host took to answer, from the view's request to the results sent (ms). */
  ms?: number;
}

export const RECENT_KEPT = 12;

/** Same cache and same non-empty terms, whatever their order or blank fields. */
export function sameSearch(a: RecentSearch, b: RecentSearch): boolean {
  const key = (r: RecentSearch) => JSON.stringify([r.root, Object.entries(r.form).filter(([, v]) => typeof v === 'string' && v.trim() !== '').sort(([x], [y]) => (x < y ? -1 : 1))]);
  return key(a) === key(b);
}

export function rememberSearch(list: readonly RecentSearch[], entry: RecentSearch, kept = RECENT_KEPT): RecentSearch[] {
  return [entry, ...list.filter((r) => !sameSearch(r, entry))].slice(0, kept);
}

/** What the workspace state holds, checked: a hand-edited or older entry is dropped, not trusted. */
export function readRecentSearches(saved: unknown): RecentSearch[] {
  if (!Array.isArray(saved)) return [];
  return saved.filter((v): v is RecentSearch => {
    if (typeof v !== 'object' || v === null) return false;
    const r = v as Record<string, unknown>;
    return typeof r.root === 'string' && typeof r.form === 'object' && r.form !== null && !Array.isArray(r.form) && typeof r.total === 'number' && typeof r.at === 'number' && Object.values(r.form).every((x) => x === undefined || typeof x === 'string');
  });
}
