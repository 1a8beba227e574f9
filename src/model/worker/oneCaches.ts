import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DATASETS_TABLE, SESSIONS_TABLE } from '../../core/cache/build';
import { OneLocal } from '../../core/one';

interface Entry {
  stamp: string;
  one: Promise<OneLocal>;
}

/**
 * Opened caches, one OneLocal per (data root, tables folder), re-opened when either table file
 * changes (size or mtime). Opening a 1.5 M-dataset cache is seconds of CPU; a search on an
 * opened one is milliseconds, so the worker keeps them open rather than re-reading per search.
 * It lives in the worker so that those seconds never block the extension host.
 */
export class OneCaches {
  private readonly entries = new Map<string, Entry>();

  async get(root: string, tablesDir: string): Promise<OneLocal> {
    const key = `${root}\u0000${tablesDir}`;
    const stamp = await tablesStamp(tablesDir);
    const known = this.entries.get(key);
    if (known && known.stamp === stamp) return known.one;
    const one = OneLocal.open(root, { tablesDir });
    this.entries.set(key, { stamp, one });
    // A failed open is not kept: the next call tries again (e.g. after a rebuild).
    one.catch(() => {
      if (this.entries.get(key)?.one === one) this.entries.delete(key);
    });
    return one;
  }

  /** Caches held open (for tests). */
  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Size and mtime of both tables: a rebuilt or updated cache gets a new stamp. */
async function tablesStamp(dir: string): Promise<string> {
  const parts = await Promise.all(
    [SESSIONS_TABLE, DATASETS_TABLE].map((f) =>
      fs.stat(path.join(dir, f)).then(
        (s) => `${s.mtimeMs}:${s.size}`,
        () => 'missing',
      ),
    ),
  );
  return parts.join('|');
}
