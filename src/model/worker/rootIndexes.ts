/**
 * The full index of every root lives here, on the worker thread: tens of thousands of file
 * records would otherwise sit in the extension host's heap, where collecting them stalls every
 * extension. The extension host gets deltas (sessions, problems, outside files) and asks for a
 * session's datasets when the user expands it.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { AlfIndex, IndexChanges } from '../alfIndex';
import { isTableWriteLeftover } from '../../core/cache/table-pair';
import { classifyFile } from '../fromCore';
import type { FileEvent, RootDelta, SessionContents } from '../types';
import type { ScanSummary, UpdateRootParams } from './protocol';
import { walkFiles } from './scan';

const indexes = new Map<string, AlfIndex>();

/** Deltas per message while a scan streams: small enough for the extension host to absorb in a few ms. */
const FILES_PER_DELTA = 1500;
const MS_PER_DELTA = 150;

export async function scanRoot(
  params: { root: string; exclude: string[] },
  emit: (delta: RootDelta) => Promise<void>,
  signal: AbortSignal,
): Promise<ScanSummary> {
  const started = performance.now();
  const index = new AlfIndex();
  indexes.set(params.root, index);
  let changes = new IndexChanges();
  let pending = 0;
  let lastEmit = performance.now();
  let sending: Promise<void> = Promise.resolve();
  const flush = () => {
    if (changes.isEmpty) return;
    const delta = index.delta(changes);
    changes = new IndexChanges();
    pending = 0;
    lastEmit = performance.now();
    // One delta in flight at a time: the next waits until the extension host has applied this one.
    sending = sending.then(() => emit(delta));
  };
  const result = await walkFiles(params.root, '', params.exclude, signal, (file) => {
    index.upsert(file, changes);
    pending += 1;
    if (pending >= FILES_PER_DELTA || performance.now() - lastEmit > MS_PER_DELTA) flush();
  });
  flush();
  await sending;
  return { ...result, durationMs: performance.now() - started, fileCount: index.fileCount };
}

/** Applies file events (deletions, creations, renames, content changes) and returns what changed. */
export async function updateRoot(params: UpdateRootParams, signal: AbortSignal): Promise<RootDelta> {
  const index = indexes.get(params.root);
  if (!index) throw new Error(`${params.root} has not been scanned`);
  const changes = new IndexChanges();
  // Deletions first, shallowest first, so a renamed folder is gone before its new name is read.
  const events = [...params.events].sort((a, b) => depth(a) - depth(b));
  for (const e of events) if (e.kind === 'deleted') index.removeTree(e.path, changes);
  const newFolders: string[] = [];
  for (const e of events) {
    if (e.kind === 'deleted') continue;
    const stat = await fs.stat(path.join(params.root, ...e.path.split('/'))).catch(() => undefined);
    if (!stat) {
      index.removeTree(e.path, changes);
    } else if (stat.isDirectory()) {
      // Watchers report a moved-in folder as created, and sometimes as changed: read it if it is new to us.
      const isNew = e.kind === 'created' || !index.hasFilesUnder(e.path);
      if (isNew && !newFolders.some((f) => e.path.startsWith(`${f}/`))) newFolders.push(e.path);
    } else if (stat.isFile()) {
      if (isTableWriteLeftover(e.path.slice(e.path.lastIndexOf('/') + 1))) continue; // a cache write's temp or backup file
      const existing = index.file(e.path);
      // VS Code and the disk watcher both report a rename made in VS Code: the second is old news.
      if (existing && existing.mtimeMs === stat.mtimeMs) continue;
      if (e.kind === 'changed' && existing) index.touch(e.path, stat.mtimeMs, changes);
      else index.upsert(classifyFile(params.root, e.path, stat.mtimeMs), changes);
    }
  }
  // A new (or renamed) folder arrives as one event: read what is in it.
  for (const folder of newFolders) {
    index.removeTree(folder, changes);
    await walkFiles(params.root, folder, params.exclude, signal, (file) => index.upsert(file, changes));
  }
  return index.delta(changes);
}

export function sessionContents(params: { root: string; sessionPath: string }): SessionContents {
  const session = indexes.get(params.root)?.sessions.get(params.sessionPath);
  return { datasets: session ? [...session.datasets.values()] : [] };
}

export function dropRoot(root: string): void {
  indexes.delete(root);
}

function depth(e: FileEvent): number {
  return e.path.split('/').length;
}
