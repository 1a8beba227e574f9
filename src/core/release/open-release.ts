/**
 * `alf open-release`: a release zip (a URL or a file) unpacked safely into a new folder, its
 * data root found (one top-level folder, as in ONE's example release), and its tables built
 * when it has none or read back when it has them.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildCache, DATASETS_TABLE, SESSIONS_TABLE } from '../cache/build';
import { loadCache } from '../cache/load';
import type { ProgressOptions } from '../progress';
import { download, type DownloadOptions } from './download';
import { sha256File } from './package-release';
import { unpackZip } from './unpack';
import { ReleaseArchiveError, type ArchiveLimits } from './zip-reader';

export interface OpenReleaseOptions extends ProgressOptions {
  /** Expected sha256 (hex) of the zip, checked before anything is unpacked. */
  sha256?: string;
  limits?: ArchiveLimits;
  download?: Pick<DownloadOptions, 'retries' | 'retryDelayMs'>;
}

export interface OpenReleaseResult {
  /** The folder the data was unpacked into. */
  into: string;
  /** The data root: `into`, or its one top-level folder. */
  dataRoot: string;
  /** Set when the release holds a single top-level folder. */
  topFolder?: string;
  entries: number;
  bytes: number;
  sha256: string;
  downloaded?: { bytes: number; resumed: number; sha256: string };
  tables: { action: 'built' | 'checked'; sessions: number; datasets: number; missingFiles: number };
}

/** The zip does not match the sha256 asked for. */
export class ReleaseChecksumError extends Error {
  override readonly name = 'ReleaseChecksumError';
}

export function isUrl(source: string): boolean {
  return /^https?:\/\//iu.test(source);
}

export async function openRelease(source: string, into: string, options: OpenReleaseOptions = {}): Promise<OpenReleaseResult> {
  const dest = path.resolve(into);
  if (fs.existsSync(dest) && (!fs.statSync(dest).isDirectory() || fs.readdirSync(dest).length > 0)) {
    throw new ReleaseArchiveError(`${into} is not a new or empty folder: choose another --into`);
  }
  if (!fs.existsSync(path.dirname(dest))) throw new ReleaseArchiveError(`the folder ${path.dirname(dest)} does not exist: create it first`);
  const expected = options.sha256?.toLowerCase();
  if (expected !== undefined && !/^[0-9a-f]{64}$/u.test(expected)) throw new ReleaseArchiveError(`--sha256 ${options.sha256}: give the 64 hex digits of the zip's sha256`);
  const progress = { ...(options.signal ? { signal: options.signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) };

  let zipFile = path.resolve(source);
  let part: string | undefined;
  let downloaded: OpenReleaseResult['downloaded'];
  if (isUrl(source)) {
    part = path.join(path.dirname(dest), `.${path.basename(dest)}.download.zip`);
    downloaded = await download(source, part, { ...progress, ...options.download });
    zipFile = part;
  } else if (!fs.existsSync(zipFile) || !fs.statSync(zipFile).isFile()) {
    throw new ReleaseArchiveError(`${source} is not a file or an http(s) URL`);
  }
  // A download hashes as it goes; a local zip is read once for it.
  const sha256 = downloaded?.sha256 ?? (await sha256File(zipFile));
  if (expected !== undefined && sha256 !== expected) {
    if (part) fs.rmSync(part, { force: true });
    throw new ReleaseChecksumError(`${source}: sha256 is ${sha256}, not ${expected}: the file is not the release you expect (nothing was unpacked)`);
  }
  const unpacked = await unpackZip(zipFile, dest, { ...progress, ...(options.limits ? { limits: options.limits } : {}) });
  if (part) fs.rmSync(part, { force: true });

  const top = fs.readdirSync(dest, { withFileTypes: true });
  const topFolder = top.length === 1 && top[0]!.isDirectory() ? top[0]!.name : undefined;
  const dataRoot = topFolder ? path.join(dest, topFolder) : dest;
  const hasTables = [SESSIONS_TABLE, DATASETS_TABLE].every((t) => fs.existsSync(path.join(dataRoot, t)));
  let tables: OpenReleaseResult['tables'];
  if (hasTables) {
    const cache = await loadCache(dataRoot);
    const sessionPaths = new Map(cache.sessions.map((s) => [s.id, `${s.lab ? `${s.lab}/Subjects/` : ''}${s.subject}/${s.date}/${String(s.number).padStart(3, '0')}`]));
    // What was just unpacked is known: no need to ask the disk for each of 74k files.
    const prefix = topFolder ? `${topFolder}/` : '';
    let missingFiles = 0;
    for (const d of cache.datasets) {
      const sp = sessionPaths.get(d.eid);
      if (!sp || !unpacked.files.has(`${prefix}${sp}/${d.rel_path}`)) missingFiles++;
    }
    tables = { action: 'checked', sessions: cache.sessions.length, datasets: cache.datasets.length, missingFiles };
  } else {
    const built = await buildCache(dataRoot, progress);
    tables = { action: 'built', sessions: built.sessions, datasets: built.datasets, missingFiles: 0 };
  }
  return { into: dest, dataRoot, ...(topFolder ? { topFolder } : {}), entries: unpacked.entries, bytes: unpacked.bytes, sha256, ...(downloaded ? { downloaded } : {}), tables };
}

