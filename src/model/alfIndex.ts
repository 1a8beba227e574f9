import { problemId, type DatasetFile, type IndexedFile, type Problem, type RootDelta, type SessionKey, type SessionSummary } from './types';

/**
 * The in-memory picture of one root: every ALF-relevant file as the core classified it,
 * grouped the way the Sessions view shows it. Updated one file at a time, so a watcher event
 * costs work proportional to what changed, and every update reports exactly which parts of
 * the view, the Problems panel and the Explorer decorations it touched.
 *
 * Pure data: no `vscode`, no file system. The classification itself is the core's.
 */

export interface SessionEntry {
  key: SessionKey;
  datasets: Map<string, DatasetFile>;
  /** Ids of the problems inside this session (errors and warnings). */
  problems: Set<string>;
  /** Latest mtime of the session's files (for cache staleness). */
  maxMtimeMs: number;
}

interface ProblemEntry {
  problem: Problem;
  /** Files whose classification reported this problem (a bad folder is reported by every file below it). */
  sources: Set<string>;
}

/** What one batch of updates changed, for targeted refreshes. */
export class IndexChanges {
  readonly sessions = new Set<string>();
  readonly subjects = new Set<string>();
  readonly labs = new Set<string>();
  labListChanged = false;
  outsideChanged = false;
  readonly outsideAdded = new Set<string>();
  readonly outsideRemoved = new Set<string>();
  readonly problemsAdded = new Map<string, Problem>();
  readonly problemsRemoved = new Map<string, Problem>();

  get isEmpty(): boolean {
    return (
      this.sessions.size === 0 && this.subjects.size === 0 && this.labs.size === 0 && !this.labListChanged &&
      !this.outsideChanged && this.problemsAdded.size === 0 && this.problemsRemoved.size === 0
    );
  }

  outsideFileAdded(path: string): void {
    this.outsideChanged = true;
    if (!this.outsideRemoved.delete(path)) this.outsideAdded.add(path);
  }

  outsideFileRemoved(path: string): void {
    this.outsideChanged = true;
    if (!this.outsideAdded.delete(path)) this.outsideRemoved.add(path);
  }

  problemAdded(p: Problem): void {
    const id = problemId(p);
    const removed = this.problemsRemoved.get(id);
    // Removed and re-added unchanged within one batch: nothing to publish.
    if (removed && sameProblem(removed, p)) this.problemsRemoved.delete(id);
    else this.problemsAdded.set(id, p);
  }

  problemRemoved(p: Problem): void {
    const id = problemId(p);
    if (this.problemsAdded.delete(id)) return;
    this.problemsRemoved.set(id, p);
  }

  /** Folds a later batch of changes into this one. */
  merge(later: IndexChanges): void {
    for (const s of later.sessions) this.sessions.add(s);
    for (const s of later.subjects) this.subjects.add(s);
    for (const l of later.labs) this.labs.add(l);
    this.labListChanged ||= later.labListChanged;
    for (const p of later.outsideRemoved) this.outsideFileRemoved(p);
    for (const p of later.outsideAdded) this.outsideFileAdded(p);
    this.outsideChanged ||= later.outsideChanged;
    for (const p of later.problemsRemoved.values()) this.problemRemoved(p);
    for (const p of later.problemsAdded.values()) this.problemAdded(p);
  }
}

function sameProblem(a: Problem, b: Problem): boolean {
  return a.code === b.code && a.message === b.message && a.fix === b.fix && a.level === b.level && a.isFolder === b.isFolder;
}

/** Key of a lab group: sessions without a lab folder share the empty key. */
export const labKey = (lab: string | null): string => lab ?? '';
export const subjectKey = (lab: string | null, subject: string): string => `${labKey(lab)}\u0000${subject}`;

export class AlfIndex {
  private readonly files = new Map<string, IndexedFile>();
  readonly sessions = new Map<string, SessionEntry>();
  private readonly problemEntries = new Map<string, ProblemEntry>();
  /** lab key → subject → session paths */
  readonly labs = new Map<string, Map<string, Set<string>>>();
  /** ALF-named files outside any session. */
  readonly outside = new Map<string, IndexedFile>();
  /** Ids of problems that belong to no session (shown under "Outside sessions"). */
  readonly looseProblems = new Set<string>();

  get fileCount(): number {
    return this.files.size;
  }

  get problemCount(): number {
    return this.problemEntries.size;
  }

  problem(id: string): Problem | undefined {
    return this.problemEntries.get(id)?.problem;
  }

  /** The problems reported for one path. */
  problemsAt(at: string): Problem[] {
    const file = this.files.get(at);
    if (file?.kind === 'dataset') return file.notes;
    const out: Problem[] = [];
    if (file?.kind === 'invalid' && file.problem.at === at) out.push(file.problem);
    if (out.length > 0) return out;
    // A folder: its problems were reported by the files below it.
    for (const { problem } of this.problemEntries.values()) if (problem.at === at) out.push(problem);
    return out;
  }

  problems(): IterableIterator<Problem> {
    return mapIterator(this.problemEntries.values(), (e) => e.problem);
  }

  /** What the extension host mirrors of a session (undefined once it is gone). */
  summary(sessionPath: string): SessionSummary | undefined {
    const s = this.sessions.get(sessionPath);
    if (!s) return undefined;
    return { key: s.key, datasetCount: s.datasets.size, errorCount: this.errorCount(s), problemIds: [...s.problems], maxMtimeMs: s.maxMtimeMs };
  }

  /** The changes as the delta the worker sends to the extension host. */
  delta(changes: IndexChanges): RootDelta {
    const sessions: SessionSummary[] = [];
    const removedSessions: string[] = [];
    for (const path of changes.sessions) {
      const summary = this.summary(path);
      if (summary) sessions.push(summary);
      else removedSessions.push(path);
    }
    return {
      sessions,
      removedSessions,
      problemsAdded: [...changes.problemsAdded.values()],
      problemsRemoved: [...changes.problemsRemoved.values()],
      outsideAdded: [...changes.outsideAdded],
      outsideRemoved: [...changes.outsideRemoved],
    };
  }

  /** Error-level problems of a session (what its "invalid" count shows). */
  errorCount(session: SessionEntry): number {
    let n = 0;
    for (const id of session.problems) if (this.problemEntries.get(id)?.problem.level === 'error') n += 1;
    return n;
  }

  file(path: string): IndexedFile | undefined {
    return this.files.get(path);
  }

  /** Problems at or below `folder` ('' for the whole root). */
  problemsUnder(folder: string): Problem[] {
    const prefix = folder ? `${folder}/` : '';
    const out: Problem[] = [];
    for (const { problem } of this.problemEntries.values()) {
      if (problem.at === folder || problem.at.startsWith(prefix)) out.push(problem);
    }
    return out;
  }

  /** Adds or replaces one file's record. */
  upsert(file: IndexedFile, changes: IndexChanges): void {
    if (this.files.has(file.path)) this.remove(file.path, changes);
    if (file.kind === 'outside' && !file.alfName) return;
    this.files.set(file.path, file);
    switch (file.kind) {
      case 'dataset': {
        const session = this.ensureSession(file.session, changes);
        session.datasets.set(file.path, file);
        session.maxMtimeMs = Math.max(session.maxMtimeMs, file.mtimeMs);
        changes.sessions.add(file.session.path);
        for (const note of file.notes) this.addProblem(note, file.path, changes);
        break;
      }
      case 'invalid': {
        const { problem } = file;
        if (problem.session) {
          const session = this.ensureSession(problem.session, changes);
          session.maxMtimeMs = Math.max(session.maxMtimeMs, file.mtimeMs);
        }
        this.addProblem(problem, file.path, changes);
        break;
      }
      case 'outside':
        this.outside.set(file.path, file);
        changes.outsideFileAdded(file.path);
        break;
    }
  }

  /** A file's content changed (its name did not): only its session's latest mtime moves. */
  touch(path: string, mtimeMs: number, changes: IndexChanges): void {
    const file = this.files.get(path);
    if (!file) return;
    file.mtimeMs = mtimeMs;
    const sessionPath = file.kind === 'dataset' ? file.session.path : file.kind === 'invalid' ? file.problem.session?.path : undefined;
    const session = sessionPath !== undefined ? this.sessions.get(sessionPath) : undefined;
    if (session && mtimeMs > session.maxMtimeMs) {
      session.maxMtimeMs = mtimeMs;
      changes.sessions.add(session.key.path);
    }
  }

  /** Forgets one file; returns false when it was not indexed. */
  remove(path: string, changes: IndexChanges): boolean {
    const file = this.files.get(path);
    if (!file) return false;
    this.files.delete(path);
    switch (file.kind) {
      case 'dataset': {
        const session = this.sessions.get(file.session.path);
        session?.datasets.delete(path);
        changes.sessions.add(file.session.path);
        for (const note of file.notes) this.dropProblemSource(problemId(note), path, changes);
        if (session) this.dropSessionIfEmpty(session, changes);
        break;
      }
      case 'invalid': {
        this.dropProblemSource(problemId(file.problem), path, changes);
        const session = file.problem.session && this.sessions.get(file.problem.session.path);
        if (session) this.dropSessionIfEmpty(session, changes);
        break;
      }
      case 'outside':
        this.outside.delete(path);
        changes.outsideFileRemoved(path);
        break;
    }
    return true;
  }

  /** Whether any file at or below `folder` is indexed. */
  hasFilesUnder(folder: string): boolean {
    const prefix = `${folder}/`;
    for (const key of this.files.keys()) if (key === folder || key.startsWith(prefix)) return true;
    return false;
  }

  /** Forgets `path` and everything below it (a deleted or renamed folder). */
  removeTree(path: string, changes: IndexChanges): number {
    let n = this.remove(path, changes) ? 1 : 0;
    const prefix = path ? `${path}/` : '';
    const doomed: string[] = [];
    for (const key of this.files.keys()) if (key.startsWith(prefix)) doomed.push(key);
    for (const key of doomed) if (this.remove(key, changes)) n += 1;
    return n;
  }

  clear(changes: IndexChanges): void {
    for (const entry of this.problemEntries.values()) changes.problemRemoved(entry.problem);
    for (const path of this.outside.keys()) changes.outsideFileRemoved(path);
    for (const path of this.sessions.keys()) changes.sessions.add(path);
    this.files.clear();
    this.sessions.clear();
    this.problemEntries.clear();
    this.labs.clear();
    this.outside.clear();
    this.looseProblems.clear();
    changes.labListChanged = true;
    changes.outsideChanged = true;
  }

  private ensureSession(key: SessionKey, changes: IndexChanges): SessionEntry {
    let session = this.sessions.get(key.path);
    if (session) return session;
    session = { key, datasets: new Map(), problems: new Set(), maxMtimeMs: 0 };
    this.sessions.set(key.path, session);
    const lk = labKey(key.lab);
    let subjects = this.labs.get(lk);
    if (!subjects) {
      subjects = new Map();
      this.labs.set(lk, subjects);
      changes.labListChanged = true;
    }
    let paths = subjects.get(key.subject);
    if (!paths) {
      paths = new Set();
      subjects.set(key.subject, paths);
      changes.labs.add(lk);
    }
    paths.add(key.path);
    changes.sessions.add(key.path);
    changes.subjects.add(subjectKey(key.lab, key.subject));
    changes.labs.add(lk);
    return session;
  }

  private dropSessionIfEmpty(session: SessionEntry, changes: IndexChanges): void {
    if (session.datasets.size > 0 || session.problems.size > 0) return;
    const { key } = session;
    this.sessions.delete(key.path);
    const lk = labKey(key.lab);
    const subjects = this.labs.get(lk);
    const paths = subjects?.get(key.subject);
    paths?.delete(key.path);
    changes.subjects.add(subjectKey(key.lab, key.subject));
    changes.labs.add(lk);
    if (subjects && paths && paths.size === 0) {
      subjects.delete(key.subject);
      if (subjects.size === 0) {
        this.labs.delete(lk);
        changes.labListChanged = true;
      }
    }
  }

  private addProblem(problem: Problem, source: string, changes: IndexChanges): void {
    const id = problemId(problem);
    const existing = this.problemEntries.get(id);
    if (existing) {
      existing.sources.add(source);
      return;
    }
    this.problemEntries.set(id, { problem, sources: new Set([source]) });
    changes.problemAdded(problem);
    this.linkProblem(problem, changes, true);
  }

  private dropProblemSource(id: string, source: string, changes: IndexChanges): void {
    const entry = this.problemEntries.get(id);
    if (!entry) return;
    entry.sources.delete(source);
    if (entry.sources.size > 0) return;
    this.problemEntries.delete(id);
    changes.problemRemoved(entry.problem);
    this.linkProblem(entry.problem, changes, false);
  }

  private linkProblem(problem: Problem, changes: IndexChanges, add: boolean): void {
    const id = problemId(problem);
    const sessionPath = problem.session?.path;
    if (sessionPath) {
      const session = this.sessions.get(sessionPath);
      if (session) {
        if (add) session.problems.add(id);
        else session.problems.delete(id);
      }
      changes.sessions.add(sessionPath);
      const key = problem.session!;
      changes.subjects.add(subjectKey(key.lab, key.subject));
      changes.labs.add(labKey(key.lab));
    } else {
      if (add) this.looseProblems.add(id);
      else this.looseProblems.delete(id);
      changes.outsideChanged = true;
    }
  }
}

function* mapIterator<T, U>(it: Iterable<T>, fn: (t: T) => U): IterableIterator<U> {
  for (const t of it) yield fn(t);
}
