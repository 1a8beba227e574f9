/** Looking up Alyx members (subjects, users) before writing records that name them. */
import type { AlyxClient } from '../alyx/client';
import { AlyxHttpError } from '../alyx/errors';
import { AlyxMemberNotFoundError, InvalidInputError } from './errors';

/** ONE's `assert_exists`: reads each member, raising `AlyxMemberNotFoundError` (naming the server) on 404. */
export async function assertExists<T = Record<string, unknown>>(alyx: AlyxClient, member: string, endpoint: string, options?: { signal?: AbortSignal }): Promise<T>;
export async function assertExists<T = Record<string, unknown>>(alyx: AlyxClient, member: readonly string[], endpoint: string, options?: { signal?: AbortSignal }): Promise<T[]>;
export async function assertExists<T>(alyx: AlyxClient, member: string | readonly string[], endpoint: string, options: { signal?: AbortSignal } = {}): Promise<T | T[]> {
  if (typeof member !== 'string') {
    const out: T[] = [];
    for (const m of member) out.push(await assertExists<T>(alyx, m, endpoint, options));
    return out;
  }
  if (!member) throw new InvalidInputError(endpoint, `An empty name cannot be looked up in ${endpoint}`);
  try {
    return await alyx.rest<T>(endpoint, 'read', { id: member, signal: options.signal });
  } catch (err) {
    if (err instanceof AlyxHttpError && err.status === 404) throw new AlyxMemberNotFoundError(endpoint, member, alyx.baseUrl);
    throw err;
  }
}

/** The user a record is made by: the one given, else the logged-in one. */
export function createdBy(alyx: AlyxClient, user: string | undefined, field = 'createdBy'): string {
  const name = user ?? alyx.username;
  if (!name) throw new InvalidInputError(field, `No Alyx user: log in first or pass ${field}`);
  return name;
}
