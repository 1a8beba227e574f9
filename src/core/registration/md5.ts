import { promises as fs } from 'node:fs';
import { hashFiles } from '../cache/hash';
import type { ProgressOptions } from '../progress';

/**
 * md5 hex digests of `files`, in order, with the cache builder's hasher, reporting phase `hash`
 * in bytes. A file that cannot be read is an error naming it: registration must not post a
 * record for it.
 */
export async function md5Files(files: readonly string[], totalBytes: number, options: ProgressOptions & { threads?: number; memo?: Md5Memo } = {}): Promise<string[]> {
  const { signal, onProgress, threads, memo } = options;
  if (memo) return memo.md5Files(files, totalBytes, { ...(signal ? { signal } : {}), ...(onProgress ? { onProgress } : {}), ...(threads ? { threads } : {}) });
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

/**
 * md5s already computed, keyed by path, size and modification time: a Preview followed by
 * Register (or a retry) hashes each unchanged file once. A file whose size or mtime changed is
 * hashed again; a memo never outlives the form or command that owns it.
 */
export class Md5Memo {
  readonly #known = new Map<string, { size: number; mtimeMs: number; md5: string }>();
  /** Files hashed / served from the memo, for the progress line and the figures. */
  hashed = 0;
  reused = 0;

  async md5Files(files: readonly string[], totalBytes: number, options: ProgressOptions & { threads?: number } = {}): Promise<string[]> {
    const stats = await Promise.all(files.map((f) => fs.stat(f).then((s) => ({ size: s.size, mtimeMs: s.mtimeMs }), () => undefined)));
    const out: Array<string | undefined> = files.map((f, i) => {
      const known = this.#known.get(f);
      const st = stats[i];
      return known && st && known.size === st.size && known.mtimeMs === st.mtimeMs ? known.md5 : undefined;
    });
    const missing = files.filter((_, i) => out[i] === undefined);
    const reusedBytes = stats.reduce((sum, st, i) => sum + (out[i] !== undefined && st ? st.size : 0), 0);
    this.reused += files.length - missing.length;
    this.hashed += missing.length;
    const { onProgress } = options;
    const digests = missing.length
      ? await md5Files(missing, Math.max(0, totalBytes - reusedBytes), {
          ...options,
          // Progress over all the bytes, the remembered ones counted as done at once.
          ...(onProgress ? { onProgress: (e) => onProgress({ ...e, done: e.done + reusedBytes, total: totalBytes }) } : {}),
        })
      : (onProgress?.({ phase: 'hash', done: totalBytes, total: totalBytes, unit: 'bytes' }), []);
    let next = 0;
    return files.map((f, i) => {
      const have = out[i];
      if (have !== undefined) return have;
      const md5 = digests[next++] as string;
      const st = stats[i];
      if (st) this.#known.set(f, { ...st, md5 });
      return md5;
    });
  }
}
