import { HashPool } from '../cache/hash';
import type { ProgressOptions } from '../progress';

/**
 * md5 hex digests of `files`, in order, on the cache builder's worker-thread hasher (one
 * reused buffer per worker: no per-file allocation, which is what made ONE's iblutil slow).
 * Byte progress is reported as phase `hash`. A file that cannot be read is an error naming it:
 * registration must not post a record for it.
 */
export async function md5Files(files: readonly string[], totalBytes: number, options: ProgressOptions & { threads?: number } = {}): Promise<string[]> {
  if (files.length === 0) return [];
  const { signal, onProgress } = options;
  onProgress?.({ phase: 'hash', done: 0, total: totalBytes, unit: 'bytes' });
  const pool = new HashPool({
    ...(signal ? { signal } : {}),
    ...(options.threads ? { threads: Math.min(options.threads, files.length) } : { threads: Math.min(2, files.length) }),
    ...(onProgress ? { onBytes: (done: number) => onProgress({ phase: 'hash', done, total: totalBytes, unit: 'bytes' }) } : {}),
  });
  for (const f of files) pool.add(f);
  const outcomes = await pool.finish();
  return outcomes.map((o, i) => {
    if ('md5' in o) return o.md5;
    throw new Error(`Cannot read ${files[i]} to hash it: ${o.error}`);
  });
}
