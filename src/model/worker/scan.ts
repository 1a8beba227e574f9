/**
 * Reading a root (or one folder of it) on the worker thread: the core's walk (sliced,
 * cancellable, symlink-safe) and the core's classification of every file.
 */
import { existsSync } from 'node:fs';
import { isTableWriteLeftover } from '../../core/cache/table-pair';
import { Classifier } from '../../core/alf/classify';
import { walk } from '../../core/cache/walk';
import { classifyFile, unreadableFile } from '../fromCore';
import type { IndexedFile } from '../types';

export interface WalkSummary {
  /** Entries the walk could not read (permissions, broken links). */
  unreadable: { path: string; reason: string }[];
}

/** Classifies every file at or below `under` ('' for the whole root), in walk order. */
export async function walkFiles(
  root: string,
  under: string,
  exclude: readonly string[],
  signal: AbortSignal,
  onFile: (file: IndexedFile) => void,
): Promise<WalkSummary> {
  const unreadable: WalkSummary['unreadable'] = [];
  // A folder deleted since the watcher reported it has nothing left to read.
  if (under && !existsSync(`${root}/${under}`)) return { unreadable };
  // This walk's own: another root's walk may run between its slices.
  const classifier = new Classifier();
  await walk(
    root,
    {
      file: (rel, stat) => {
        // A cache write's temporary or backup files come and go; they are not data.
        if (!isTableWriteLeftover(rel.slice(rel.lastIndexOf('/') + 1))) onFile(classifyFile(root, rel, stat.mtimeMs, classifier));
      },
      problem: (p) => {
        unreadable.push({ path: p.path, reason: p.reason });
        onFile(unreadableFile(p.path, p.code, p.reason, p.isFolder));
      },
    },
    { exclude, signal, sliceMs: 40, start: under },
  );
  return { unreadable };
}
