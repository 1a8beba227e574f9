import { createHash } from 'node:crypto';

/**
 * The namespace of every id this project writes into a cache:
 * uuid5(NAMESPACE_URL, 'alf-workbench:one-cache-ids').
 *
 * Python ONE hashes the same keys with uuid3 under a fresh uuid1 namespace on every build, so a
 * rebuild renames every session. A fixed namespace keeps eids stable across rebuilds and
 * machines, and Python reproduces them with
 * `uuid.uuid3(uuid.UUID('503409cc-338a-5473-9301-82593cb7eb36'), key)`.
 */
export const CACHE_ID_NAMESPACE = '503409cc-338a-5473-9301-82593cb7eb36';

const namespaceBytes = Buffer.from(CACHE_ID_NAMESPACE.replace(/-/g, ''), 'hex');

/** RFC 4122 version-3 (MD5) UUID of `name` under `namespace`, as Python's `uuid.uuid3`. */
export function uuid3(name: string, namespace: Buffer = namespaceBytes): string {
  const digest = createHash('md5').update(namespace).update(name, 'utf8').digest();
  digest[6] = (digest[6]! & 0x0f) | 0x30;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Session id from ONE's pre-hash key ('lab/subject/date/number' or 'subject/date/number'). */
export function sessionId(strId: string): string {
  return uuid3(strId);
}

// The same few dozen relative paths recur in every session: hashing each once saves most of
// the md5 work of a build (74k datasets, ~20 distinct paths in the IBL layout).
const datasetIds = new Map<string, string>();

/** Dataset id from its session-relative path, as ONE keys it (repeats across sessions). */
export function datasetId(relPath: string): string {
  let id = datasetIds.get(relPath);
  if (id === undefined) {
    id = uuid3(relPath);
    if (datasetIds.size >= 100_000) datasetIds.clear();
    datasetIds.set(relPath, id);
  }
  return id;
}
