/**
 * The one place where the core's verdicts become the extension's records. Runs on the worker
 * thread (scans) and on the extension host (single-file updates), so both agree by construction.
 */
import { categoryOf, Classifier, classifyPath, type Finding, type SessionInfo } from '../core/alf';
import type { IndexedFile, Problem, SessionKey } from './types';

/** The core's category of a problem, and the level that follows from it (errors are the invalid ones). */
export function levelOf(code: string, isFolder = false): Pick<Problem, 'level' | 'category'> {
  const category = categoryOf(code, isFolder);
  return { category, level: category === 'invalid-file' || category === 'invalid-folder' ? 'error' : 'warning' };
}

function sessionKey(s: SessionInfo): SessionKey {
  return { path: s.path, lab: s.lab, subject: s.subject, date: s.date, number: Number.parseInt(s.number, 10), strId: s.strId };
}

function findingToProblem(f: Finding, filePath: string, session: SessionKey): Problem {
  return {
    at: f.at ?? filePath,
    isFolder: f.isFolder ?? false,
    code: f.code,
    message: f.message,
    ...(f.fix ? { fix: f.fix } : {}),
    session,
    ...levelOf(f.code, f.isFolder ?? false),
  };
}

/** Classifies one file, given its path relative to `root` (posix); a walk passes its own classifier. */
export function classifyFile(root: string, rel: string, mtimeMs: number, classifier?: Classifier): IndexedFile {
  const verdict = classifier ? classifier.classifyPath(rel, { root }) : classifyPath(rel, { root });
  switch (verdict.kind) {
    case 'dataset': {
      const session = sessionKey(verdict.session);
      return {
        kind: 'dataset',
        path: rel,
        mtimeMs,
        session,
        relPath: verdict.relPath,
        collection: verdict.collection,
        revision: verdict.revision,
        notes: verdict.warnings.map((f) => findingToProblem(f, rel, session)),
      };
    }
    case 'invalid':
      return {
        kind: 'invalid',
        path: rel,
        mtimeMs,
        problem: {
          at: verdict.at,
          isFolder: verdict.isFolder,
          code: verdict.code,
          message: verdict.message,
          ...(verdict.fix ? { fix: verdict.fix } : {}),
          ...(verdict.session ? { session: sessionKey(verdict.session) } : {}),
          ...levelOf(verdict.code, verdict.isFolder),
        },
      };
    case 'outside':
      return { kind: 'outside', path: rel, mtimeMs, alfName: verdict.alfName };
  }
}

/** A file or folder the walk could not read, as an invalid entry. */
export function unreadableFile(rel: string, code: string, reason: string, isFolder: boolean): IndexedFile {
  return { kind: 'invalid', path: rel, mtimeMs: 0, problem: { at: rel, isFolder, code, message: reason, ...levelOf(code, isFolder) } };
}
