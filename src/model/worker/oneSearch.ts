/**
 * The Search view's ONE work, run in the worker on caches it keeps open (OneCaches): the search
 * and the rows the views show, a session's datasets, and the files an object is read from. The
 * extension host only gets these small results, so opening a 1.5 M-dataset cache never blocks it.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { relPathParts } from '../../core/alf';
import { type OneLocal, OneError, searchTermsOf } from '../../core/one';
import { datasetMatcher, filterRevisionLastBefore, parseDataset, type ParsedDataset, uniqueSorted } from '../../core/one/filters';
import { compareCodePoints } from '../../core/order';
import type { OneCaches } from './oneCaches';
import type { OneCacheRef, OneDatasetHit, OneObjectFiles, OneObjectFilesParams, OneSearchParams, OneSearchResult, OneSessionInfo } from './protocol';

/** ONE's search, with the first `limit` sessions as the views show them (with their dataset counts). */
export async function oneSearch(caches: OneCaches, params: OneSearchParams): Promise<OneSearchResult> {
  const one = await caches.get(params.root, params.tablesDir);
  const t0 = performance.now();
  return { ...searchSessions(one, params.form, params.limit), ms: performance.now() - t0 };
}

export function searchSessions(one: OneLocal, form: OneSearchParams['form'], limit: number): Omit<OneSearchResult, 'ms'> {
  const { eids, records } = one.search(searchTermsOf(form), { details: true });
  const sessions = eids.slice(0, limit).map((eid, i) => {
    const r = records[i]!;
    return { eid, lab: r.lab ?? '', subject: r.subject, date: r.date, number: r.number, taskProtocol: r.task_protocol ?? '', datasets: one.listDatasets(eid).length };
  });
  return { sessions, total: eids.length };
}

/** A session's datasets, each with its parts and whether its file is on disk. */
export async function oneDatasets(caches: OneCaches, params: OneCacheRef & { eid: string }): Promise<OneDatasetHit[]> {
  const one = await caches.get(params.root, params.tablesDir);
  const dir = await one.sessionPath(params.eid);
  return Promise.all(
    one.listDatasets(params.eid).map(async (relPath) => {
      const p = relPathParts(relPath, { assertValid: false });
      const onDisk = dir ? await isFile(path.join(dir, ...relPath.split('/'))) : false;
      return { relPath, collection: p.collection ?? '', revision: p.revision ?? '', name: relPath.slice(relPath.lastIndexOf('/') + 1), object: p.object ?? null, onDisk };
    }),
  );
}

export async function oneSession(caches: OneCaches, params: OneCacheRef & { eid: string }): Promise<OneSessionInfo | null> {
  const one = await caches.get(params.root, params.tablesDir);
  const s = one.getSession(params.eid);
  if (!s) return null;
  return { lab: s.lab ?? null, subject: s.subject, date: s.date, number: s.number, sessionPath: await one.sessionPath(params.eid), datasets: one.listDatasets(params.eid) };
}

/**
 * The files ONE's load_object would read for an object of a session: one revision per dataset
 * (the `default_revision` column's, else the latest), from one collection, that are on disk.
 * Throws OneError as OneLocal.loadObject does when there is nothing to read.
 */
export async function oneObjectFiles(caches: OneCaches, params: OneObjectFilesParams): Promise<OneObjectFiles> {
  const one = await caches.get(params.root, params.tablesDir);
  const { eid, object, collection } = params;
  if (!one.getSession(eid)) throw new OneError('session-not-found', `session ${eid} is not in the cache (search for it, or rebuild the cache)`, 'eid');
  const all = one
    .listDatasets(eid, { details: true })
    .map((row) => parseDataset(row))
    .filter((d): d is ParsedDataset => d !== null);
  const warnings: string[] = [];
  let sel = all.filter(datasetMatcher({ filename: { object }, ...(collection !== undefined ? { collection } : {}) }));
  sel = filterRevisionLastBefore(sel, { hasDefaultColumn: one.hasDefaultRevision, assertUnique: false, warn: (w) => warnings.push(w) });
  if (sel.length === 0) {
    const objects = uniqueSorted(all.map((d) => d.parts.object as string));
    throw new OneError('not-found', `ALF object "${object}" not found in session ${eid}${hiddenHint(one, eid, object, collection)}${objects.length ? ` (objects here: ${objects.join(', ')})` : ' (the session has no datasets)'}`, 'object');
  }
  const collections = uniqueSorted(sel.map((d) => d.parts.collection ?? ''));
  if (collections.length > 1) {
    throw new OneError('multiple-collections', `object ${object} is in several collections: ${collections.map((c) => `"${c}"`).join(', ')}; pass collection`, 'collection');
  }
  sel.sort((a, b) => compareCodePoints(a.row.rel_path, b.row.rel_path));
  const dir = await one.sessionPath(eid);
  if (!dir) throw new OneError('not-on-disk', `ALF object "${object}" not found on disk: no folder for session ${eid} under ${one.cacheDir}; open the cache from the folder it was built in`, 'object');
  const files = (
    await Promise.all(
      sel.map(async (d) => {
        const file = path.join(dir, ...d.row.rel_path.split('/'));
        return (await isFile(file)) ? { relPath: d.row.rel_path, file } : null;
      }),
    )
  ).filter((f): f is { relPath: string; file: string } => f !== null);
  if (files.length === 0) {
    throw new OneError('not-on-disk', `ALF object "${object}" not found on disk: ${sel.map((d) => path.join(dir, d.row.rel_path)).join(', ')} missing; download or restore them, or rebuild the cache`, 'object');
  }
  return { files, warnings };
}

/** " (…hidden by their QC…)" when datasets of the object are there but CRITICAL, as OneLocal.loadObject says. */
function hiddenHint(one: OneLocal, eid: string, object: string, collection: string | undefined): string {
  const filter = { filename: { object }, ...(collection !== undefined ? { collection } : {}) };
  const hidden = one.listDatasets(eid, { ...filter, qc: 'CRITICAL' }).length - one.listDatasets(eid, filter).length;
  return hidden > 0 ? `; ${hidden} matching dataset(s) have QC CRITICAL and are hidden, as in ONE` : '';
}

const isFile = (file: string): Promise<boolean> => fs.stat(file).then((s) => s.isFile(), () => false);
