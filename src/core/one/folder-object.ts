/**
 * ALF objects straight from a session folder, without a ONE cache: what `alfio.load_object` does
 * on a path. Files are found by listing the folder; the same filters, revision choice and
 * assembly as `OneLocal.loadObject` apply, so an object looks the same whichever way it opens.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DatasetRow } from '../cache/types';
import type { DecodeOptions } from '../npy';
import { type AlfObject, assembleObject } from './alf-object';
import { OneError } from './errors';
import { type ParsedDataset, datasetMatcher, lastRevisionBefore, parseDataset, uniqueSorted } from './filters';
import { compareCodePoints } from '../order';

/** An object of a session and the collection it is in ('' for the session folder itself). */
export interface ObjectRef {
  object: string;
  collection: string;
  /** Distinct attributes (file names without revision), for a picker's description. */
  datasets: number;
}

/** The ALF objects among session-relative paths, one entry per (collection, object), sorted. */
export function objectsOf(relPaths: readonly string[]): ObjectRef[] {
  const found = new Map<string, ObjectRef & { names: Set<string> }>();
  for (const rel of relPaths) {
    const d = parseDataset(fakeRow(rel));
    if (!d) continue;
    const collection = d.parts.collection ?? '';
    const object = d.parts.object as string;
    const key = `${collection}\u0000${object}`;
    let ref = found.get(key);
    if (!ref) found.set(key, (ref = { object, collection, datasets: 0, names: new Set() }));
    ref.names.add(d.name);
  }
  return [...found.values()]
    .map(({ names, ...r }) => ({ ...r, datasets: names.size }))
    .sort((a, b) => compareCodePoints(a.collection, b.collection) || compareCodePoints(a.object, b.object));
}

/** Every file under a session folder, session-relative with '/' separators, sorted. */
export async function listSessionFiles(sessionDir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await fs.readdir(sessionDir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new OneError(code === 'ENOENT' ? 'not-on-disk' : 'unreadable', `${sessionDir}: ${code === 'ENOENT' ? 'no such folder' : `cannot list the folder (${code ?? String(err)})`}`, 'session');
  }
  const files: string[] = [];
  await Promise.all(
    entries.map(async (rel) => {
      const st = await fs.stat(path.join(sessionDir, rel)).catch(() => null);
      if (st?.isFile()) files.push(rel.split(path.sep).join('/'));
    }),
  );
  return files.sort(compareCodePoints);
}

export interface FolderObjectOptions extends DecodeOptions {
  /** The collection ('' for the session folder itself); needed when the object is in several. */
  collection?: string;
  /** Read this revision, or the latest before it; default the latest. */
  revision?: string;
}

/** One ALF object from the files of a session folder. `eid` is only carried into the result. */
export async function loadObjectFromFolder(sessionDir: string, object: string, options: FolderObjectOptions = {}, eid = ''): Promise<AlfObject> {
  const all: ParsedDataset[] = [];
  for (const rel of await listSessionFiles(sessionDir)) {
    const d = parseDataset(fakeRow(rel));
    if (d) all.push(d);
  }
  let sel = all.filter(datasetMatcher({ filename: { object }, ...(options.collection !== undefined ? { collection: options.collection } : {}) }));
  sel = lastRevisionBefore(sel, options.revision);
  if (sel.length === 0) {
    const objects = uniqueSorted(all.map((d) => d.parts.object as string));
    throw new OneError('not-found', `ALF object "${object}" not found in ${sessionDir}${objects.length ? ` (objects here: ${objects.join(', ')})` : ' (no ALF files there)'}`, 'object');
  }
  const collections = uniqueSorted(sel.map((d) => d.parts.collection ?? ''));
  if (collections.length > 1) {
    throw new OneError('multiple-collections', `object ${object} is in several collections: ${collections.map((c) => `"${c}"`).join(', ')}; pick one`, 'collection');
  }
  sel.sort((a, b) => compareCodePoints(a.row.rel_path, b.row.rel_path));
  const obj = await assembleObject(eid, object, sel.map((d) => ({ dataset: d, file: path.join(sessionDir, ...d.row.rel_path.split('/')) })), options);
  const revisions = uniqueSorted(sel.map((d) => d.parts.revision ?? ''));
  if (revisions.length > 1) obj.warnings.push(`multiple revisions: ${revisions.map((r) => `"${r}"`).join(', ')}`);
  return obj;
}

/** A datasets-table row for a file found on disk (QC unknown: NOT_SET, as a fresh cache build gives). */
function fakeRow(relPath: string): DatasetRow {
  return { eid: '', id: '', rel_path: relPath, file_size: null, hash: null, exists: true, qc: 'NOT_SET' };
}
