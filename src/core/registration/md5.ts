import { hashFiles } from '../cache/hash';
import type { ProgressOptions } from '../progress';

/**
 * md5 hex digests of `files`, in order, with the cache builder's hasher, reporting phase `hash`
 * in bytes. A file that cannot be read is an error naming it: registration must not post a
 * record for it.
 */
export async function md5Files(files: readonly string[], totalBytes: number, options: ProgressOptions & { threads?: number } = {}): Promise<string[]> {
  const { signal, onProgress, threads } = options;
  onProgress?.({ phase: 'hash', done: 0, total: totalBytes, unit: 'bytes' });
  const outcomes = await hashFiles(files, {
    ...(signal ? { signal } : {}),
    ...(threads ? { threads } : {}),
    ...(onProgress ? { onBytes: (done: number) => onProgress({ phase: 'hash', done, total: totalBytes, unit: 'bytes' }) } : {}),
  });
  return outcomes.map((o, i) => {
    if ('md5' in o) return o.md5;
    throw new Error(`Cannot read ${files[i]} to hash it: ${o.error}`);
  });
}
