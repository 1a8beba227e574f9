import type { AlyxClient } from '../../core/alyx/client';
import { AlyxConnectionError, AlyxAuthError } from '../../core/alyx/errors';
import { CancelledError } from '../../core/progress';
import type { AlyxLists } from '../../protocol/alyx';

type ListName = keyof AlyxLists;

const SOURCES: Record<ListName, { endpoint: string; key: string }> = {
  users: { endpoint: 'users', key: 'username' },
  procedures: { endpoint: 'procedures', key: 'name' },
  projects: { endpoint: 'projects', key: 'name' },
  repositories: { endpoint: 'data-repository', key: 'name' },
  waterTypes: { endpoint: 'water-type', key: 'name' },
  subjects: { endpoint: 'subjects', key: 'nickname' },
};

/**
 * The pick-lists of the forms, read from the server in parallel. A list the server does not
 * have (older or trimmed Alyx: an HTML 404) is null and the form falls back to free text; an
 * unreachable server or a refused token is an error for the caller to show.
 */
export async function loadLists(client: AlyxClient, names: readonly ListName[], signal?: AbortSignal): Promise<AlyxLists> {
  const out: AlyxLists = { users: [], procedures: null, projects: null, repositories: null, waterTypes: null, subjects: null };
  await Promise.all(
    names.map(async (name) => {
      const { endpoint, key } = SOURCES[name];
      try {
        const records = await client.listAll<Record<string, unknown>>(endpoint, {}, { signal, pageSize: 1000 });
        const values = records.map((r) => r[key]).filter((v): v is string => typeof v === 'string' && v !== '');
        (out as unknown as Record<string, string[] | null>)[name] = [...new Set(values)].sort((a, b) => a.localeCompare(b));
      } catch (err) {
        if (err instanceof AlyxConnectionError || err instanceof AlyxAuthError || err instanceof CancelledError) throw err;
        if (name === 'users') throw err;
      }
    }),
  );
  return out;
}
