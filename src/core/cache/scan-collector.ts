/**
 * What a scan learns from each folder and file the walk passes: sessions and their datasets,
 * the entries it leaves out (with why), and warnings, each reported once. The ALF reading is
 * the grammar's (a Classifier of its own, given the root so that a lab above the root is read
 * as ONE reads it); this only records the verdicts.
 */
import type { Stats } from 'node:fs';
import * as path from 'node:path';
import { Classifier, describeInvalidName, type Finding, type ProblemCode, type SessionInfo } from '../alf';
import { sessionId } from './ids';
import { isTableWriteLeftover } from './table-pair';
import type { ScanWarning, ScannedDataset, ScannedSession, SkippedEntry } from './types';
import type { WalkProblem } from './walk';

/** A ONE cache kept in the data root (ONE's default place for it) is not data. */
const CACHE_FILES = ['sessions.pqt', 'datasets.pqt', 'cache_info.json'];

const OUTSIDE_SESSION = 'outside any session folder (lab/Subjects/subject/yyyy-mm-dd/NNN)';

export class ScanCollector {
  readonly sessions = new Map<string, ScannedSession>();
  readonly skipped: SkippedEntry[] = [];
  readonly warnings: ScanWarning[] = [];
  fileCount = 0;
  readonly #classifier = new Classifier();
  readonly #classify: { root: string };
  readonly #ignore: ReadonlySet<string>;
  readonly #reportedFolders = new Set<string>();
  readonly #warnedAt = new Set<string>();

  /**
   * @param onDataset called with each dataset found (the scan hashes it when asked to).
   */
  constructor(
    readonly absRoot: string,
    ignoreFiles: readonly string[],
    private readonly onDataset: (dataset: ScannedDataset, absPath: string) => void,
  ) {
    this.#classify = { root: absRoot };
    this.#ignore = new Set([...CACHE_FILES, ...ignoreFiles]);
  }

  folder(rel: string): void {
    const v = this.#classifier.classifyFolder(rel, this.#classify);
    if (v.kind === 'session-folder') {
      this.#sessionFor(v.session);
      this.#warn(v.warnings, rel);
    } else if (v.kind === 'inside-session') {
      this.#warn(v.warnings, rel);
    } else if (v.kind === 'invalid') {
      this.#reportFolder(v.at, v.code, v.message, v.fix);
    }
  }

  file(rel: string, stat: Stats): void {
    // A cache write's temporary or backup files (cleaned by the next write) are not data.
    if (this.#ignore.has(rel) || isTableWriteLeftover(path.posix.basename(rel))) return;
    this.fileCount += 1;
    const v = this.#classifier.classifyPath(rel, this.#classify);
    if (v.kind === 'dataset') {
      if (v.session.path.startsWith('..')) {
        const sessionAbove = this.absRoot.slice(0, this.absRoot.length - v.session.path.length);
        this.#reportFolder('..', 'root-inside-session', `the folder is inside the session ${sessionAbove}…: ONE indexes nothing here; build the cache from the folder that contains the sessions`, undefined);
        return;
      }
      const dataset: ScannedDataset = { relPath: v.relPath, path: rel, size: stat.size, mtimeMs: stat.mtimeMs, collection: v.collection, revision: v.revision };
      this.#sessionFor(v.session).datasets.push(dataset);
      this.onDataset(dataset, `${this.absRoot}/${rel}`);
      if (v.warnings.length > 0) this.#warn(v.warnings, rel);
    } else if (v.kind === 'outside') {
      const problem = v.alfName ? null : describeInvalidName(path.posix.basename(rel));
      const reason = problem ? `${OUTSIDE_SESSION}, and not an ALF name: ${problem.message}` : `${OUTSIDE_SESSION}, so not indexed`;
      this.skipped.push({ path: rel, reason, code: 'outside-session', isFolder: false });
    } else if (v.isFolder) {
      this.#reportFolder(v.at, v.code, v.message, v.fix);
      // A wrong name inside a skipped folder is still reported, so that fixing the folder
      // does not reveal a second problem later.
      const own = describeInvalidName(path.posix.basename(rel));
      if (own) this.skipped.push({ path: rel, reason: own.message, code: own.code, isFolder: false, ...(own.fix ? { fix: own.fix } : {}) });
    } else {
      this.skipped.push({ path: v.at, reason: v.message, code: v.code, isFolder: false, ...(v.fix ? { fix: v.fix } : {}) });
    }
  }

  /** An entry the walk could not read. */
  problem(p: WalkProblem): void {
    if (!p.isFolder) this.fileCount += 1;
    this.skipped.push({ path: p.path, reason: p.reason, code: p.code, isFolder: p.isFolder });
  }

  #sessionFor(info: SessionInfo): ScannedSession {
    let s = this.sessions.get(info.path);
    if (!s) {
      s = {
        eid: sessionId(info.strId),
        strId: info.strId,
        path: info.path,
        lab: info.lab,
        subject: info.subject,
        date: info.date,
        number: Number.parseInt(info.number, 10),
        datasets: [],
      };
      this.sessions.set(info.path, s);
    }
    return s;
  }

  #warn(findings: readonly Finding[], fallbackAt: string): void {
    for (const f of findings) {
      const at = f.at ?? fallbackAt;
      const key = `${at}\0${f.code}`;
      if (this.#warnedAt.has(key)) continue;
      this.#warnedAt.add(key);
      this.warnings.push({ path: at, code: f.code, message: f.message, isFolder: f.isFolder ?? false, ...(f.fix ? { fix: f.fix } : {}) });
    }
  }

  #reportFolder(at: string, code: ProblemCode, reason: string, fix: string | undefined): void {
    const where = at.startsWith('..') ? '.' : at;
    if (this.#reportedFolders.has(where)) return;
    this.#reportedFolders.add(where);
    this.skipped.push({ path: where, reason, code, isFolder: true, ...(fix ? { fix } : {}) });
  }
}
