import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DATASETS_TABLE, SESSIONS_TABLE } from '../core/cache/build';
import { OneLocal } from '../core/one';

interface Entry {
  stamp: string;
  one: Promise<OneLocal>;
}

/**
 * Opened caches, one OneLocal per (data root, tables folder), re-opened when either table file
 * changes (size or mtime). Opening a 74k-dataset cache takes ~100–200 ms; a search on an opened
 * one is a millisecond, so the Search view keeps them open rather than re-reading per search.
 */
export class OneLocalPool {
  private readonly entries = new Map<string, Entry>();

  async get(root: string, tablesDir: string): Promise<OneLocal> {
    const key = `${root}\u0000${tablesDir}`;
    const stamp = await this.stamp(tablesDir);
    const known = this.entries.get(key);
    if (known && known.stamp === stamp) return known.one;
    const one = OneLocal.open(root, { tablesDir });
    this.entries.set(key, { stamp, one });
    // A failed open is not kept: the next search tries again (e.g. after a rebuild).
    one.catch(() => {
      if (this.entries.get(key)?.one === one) this.entries.delete(key);
    });
    return one;
  }

  clear(): void {
    this.entries.clear();
  }

  private async stamp(dir: string): Promise<string> {
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
}
