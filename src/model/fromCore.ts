/**
 * The one place where the core's verdicts become the extension's records. Runs on the worker
 * thread (scans) and on the extension host (single-file updates), so both agree by construction.
 */
import { Classifier, classifyPath, PROBLEM_CODES, type Finding, type SessionInfo } from '../core/alf';
import type { IndexedFile, Problem, SessionKey } from './types';

/** Problems from reading the disk (not from names); the walk reports them with these codes. */
const READ_PROBLEMS = new Set(['permission-denied', 'unreadable', 'symlink-loop', 'broken-symlink', 'not-a-regular-file']);

export function levelOf(code: string): Problem['level'] {
  const info = (PROBLEM_CODES as Record<string, { severity: 'error' | 'warning' } | undefined>)[code];
  return info?.severity ?? (READ_PROBLEMS.has(code) ? 'warning' : 'error');
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
    level: 'warning',
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
          level: levelOf(verdict.code),
        },
      };
    case 'outside':
      return { kind: 'outside', path: rel, mtimeMs, alfName: verdict.alfName };
  }
}

/** A file or folder the walk could not read, as an invalid entry. */
export function unreadableFile(rel: string, code: string, reason: string, isFolder: boolean): IndexedFile {
  return { kind: 'invalid', path: rel, mtimeMs: 0, problem: { at: rel, isFolder, code, message: reason, level: levelOf(code) } };
}
