/**
 * One registered session's files against the datasets Alyx lists for it. A local file is
 * looked up where registration would put it: at its own path, or, when Alyx protects the
 * dataset there, in the `#revision#` folder ONE's `register_files` would move it into
 * (`revisionTarget`, the registration code's own rule).
 */
import * as posix from 'node:path/posix';
import { revisionOf } from '../registration/alf-path';
import { revisionTarget, type ProtectionInfo } from '../registration/revision';
import type { SessionFileRow } from '../registration/session-form';
import type { DatasetListRecord } from './server-index';
import type { FileStatus } from './types';

/** `collection/#revision#/name` of a dataset, as a session-relative path. */
export function datasetRelPath(d: Pick<DatasetListRecord, 'collection' | 'revision' | 'name'>): string {
  return [d.collection, d.revision ? `#${d.revision}#` : '', d.name].filter(Boolean).join('/');
}

/** The collection a session-relative file path is in, without its revision folder. */
function collectionOf(rel: string): string {
  const dir = posix.dirname(rel);
  if (dir === '.') return '';
  const revision = revisionOf(`subject/2000-01-01/001/${rel}`);
  return revision ? posix.dirname(dir).replace(/^\.$/, '') : dir;
}

/**
 * What `/check-protected` would answer for a file, from the listed datasets: one entry per
 * revision of the same collection and name, newest first, the original last. Alyx orders
 * revisions by their creation time; the list gives the datasets', which follow it.
 */
function protectionOf(rel: string, datasets: readonly DatasetListRecord[]): ProtectionInfo {
  const collection = collectionOf(rel);
  const name = posix.basename(rel);
  return datasets
    .filter((d) => (d.collection ?? '') === collection && d.name === name)
    .sort((a, b) => (a.revision ? 0 : 1) - (b.revision ? 0 : 1) || String(b.created_datetime ?? '').localeCompare(String(a.created_datetime ?? '')))
    .map((d) => ({ [d.revision ?? '']: isProtected(d) }));
}

function isProtected(d: DatasetListRecord): boolean {
  return d.protected === true || d.protected === 1;
}

export interface CompareInput {
  /** The session's files as the Register Session form lists them (dataset type or why skipped). */
  rows: readonly SessionFileRow[];
  datasets: readonly DatasetListRecord[];
  /** md5 of local files by session-relative path, when hashes are compared. */
  md5s?: ReadonlyMap<string, string>;
  /** `YYYY-MM-DD`: the revision a protected file would go to today. */
  today: string;
}

/** The local files a hash comparison needs: those Alyx has a dataset with an md5 for, here or where registration would put them. */
export function filesToHash(rows: readonly SessionFileRow[], datasets: readonly DatasetListRecord[], today: string): string[] {
  const byPath = new Map(datasets.map((d) => [datasetRelPath(d), d]));
  return rows
    .filter((r) => !r.rel.endsWith('/'))
    .filter((r) => byPath.get(r.rel)?.hash || byPath.get(revisionTarget(r.rel, protectionOf(r.rel, datasets), today))?.hash)
    .map((r) => r.rel);
}

export function compareSessionFiles({ rows, datasets, md5s, today }: CompareInput): FileStatus[] {
  const byPath = new Map<string, DatasetListRecord>();
  for (const d of datasets) byPath.set(datasetRelPath(d), d);
  const out: FileStatus[] = [];
  const local = new Set<string>();
  for (const row of rows) {
    local.add(row.rel);
    out.push(fileStatus(row, byPath, datasets, md5s, today));
  }
  for (const [rel, d] of byPath) {
    if (local.has(rel)) continue;
    out.push({ relPath: rel, state: 'server-only', reason: 'Alyx lists this dataset for the session; the folder has no such file', datasetId: d.id, serverSize: d.file_size, serverMd5: d.hash, ...(isProtected(d) ? { protected: true } : {}) });
  }
  return out.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
}

function fileStatus(
  row: SessionFileRow, byPath: ReadonlyMap<string, DatasetListRecord>, datasets: readonly DatasetListRecord[], md5s: ReadonlyMap<string, string> | undefined, today: string,
): FileStatus {
  const here = byPath.get(row.rel);
  const md5 = md5s?.get(row.rel);
  if (here && same(row, md5, here)) return matched(row, md5, here, 'registered');
  const protection = protectionOf(row.rel, datasets);
  const target = revisionTarget(row.rel, protection, today);
  if (target !== row.rel) {
    const there = byPath.get(target);
    if (there && same(row, md5, there)) return { ...matched(row, md5, there, 'registered'), registeredAs: target, reason: `registered as ${target}` };
    const isProtectedHere = protection.some((entry) => Object.values(entry).some(Boolean));
    const moved = `${isProtectedHere ? 'protected on Alyx: ' : ''}registering it would move it to ${target}`;
    if (here) return { ...matched(row, md5, here, 'changed'), reason: `${differences(row, md5, here)}; ${moved}` };
    return { relPath: row.rel, state: 'not-registered', reason: moved, localSize: row.size, ...(md5 ? { localMd5: md5 } : {}) };
  }
  if (here) {
    if (!here.file_records?.length) return { ...matched(row, md5, here, 'not-registered'), reason: 'Alyx has the dataset but no file record for it' };
    return { ...matched(row, md5, here, 'changed'), reason: differences(row, md5, here) };
  }
  if (row.skipped !== undefined || row.datasetType === null) {
    return { relPath: row.rel, state: 'not-registrable', reason: row.skipped ?? 'no dataset type matches', localSize: row.size };
  }
  return { relPath: row.rel, state: 'not-registered', reason: `dataset type ${row.datasetType}; Alyx has no record of it`, localSize: row.size, ...(md5 ? { localMd5: md5 } : {}) };
}

function same(row: SessionFileRow, md5: string | undefined, d: DatasetListRecord): boolean {
  if (!d.file_records?.length) return false;
  if (d.file_size !== null && d.file_size !== undefined && d.file_size !== row.size) return false;
  if (md5 && d.hash && md5 !== d.hash) return false;
  return true;
}

function matched(row: SessionFileRow, md5: string | undefined, d: DatasetListRecord, state: FileStatus['state']): FileStatus {
  return {
    relPath: row.rel, state, datasetId: d.id, localSize: row.size, serverSize: d.file_size ?? null,
    ...(md5 ? { localMd5: md5 } : {}), ...(d.hash !== undefined ? { serverMd5: d.hash } : {}), ...(isProtected(d) ? { protected: true } : {}),
  };
}

function differences(row: SessionFileRow, md5: string | undefined, d: DatasetListRecord): string {
  const parts: string[] = [];
  if (d.file_size !== null && d.file_size !== undefined && d.file_size !== row.size) parts.push(`size ${row.size} B here, ${d.file_size} B on Alyx`);
  if (md5 && d.hash && md5 !== d.hash) parts.push(`md5 ${md5} here, ${d.hash} on Alyx`);
  return parts.join('; ') || 'differs from the dataset on Alyx';
}
