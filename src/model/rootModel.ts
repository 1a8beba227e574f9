import { IndexChanges, labKey, subjectKey } from './alfIndex';
import { problemId, type DatasetFile, type Problem, type RootDelta, type SessionContents, type SessionSummary } from './types';

/**
 * The extension host's copy of what a root's index says, kept small on purpose: sessions
 * (with counts), problems and ALF files outside sessions. The datasets of a session are asked
 * for when the user opens it, and kept until the session changes.
 *
 * Pure data: no `vscode`. Fed with the worker's deltas; each apply() reports what it changed.
 */
export class RootModel {
  readonly sessions = new Map<string, SessionSummary>();
  /** lab key → subject → session paths */
  readonly labs = new Map<string, Map<string, Set<string>>>();
  private readonly problemMap = new Map<string, Problem>();
  /** Problem ids by offending path. */
  private readonly byAt = new Map<string, Set<string>>();
  /** ALF-named files outside any session. */
  readonly outside = new Set<string>();
  /** Ids of problems that belong to no session (shown under "Outside sessions"). */
  readonly looseProblems = new Set<string>();
  private readonly contents = new Map<string, SessionContents>();
  /** Files in the root, as of the last full scan. */
  fileCount = 0;

  constructor(private readonly fetchContents: (sessionPath: string) => Promise<SessionContents>) {}

  get problemCount(): number {
    return this.problemMap.size;
  }

  problem(id: string): Problem | undefined {
    return this.problemMap.get(id);
  }

  problems(): IterableIterator<Problem> {
    return this.problemMap.values();
  }

  /** The problems reported for one path (a file, or a folder: problems found through the files below it). */
  problemsAt(at: string): Problem[] {
    const ids = this.byAt.get(at);
    return ids ? [...ids].map((id) => this.problemMap.get(id)!).filter(Boolean) : [];
  }

  /** Problems at or below `folder` ('' for the whole root). */
  problemsUnder(folder: string): Problem[] {
    if (folder === '') return [...this.problemMap.values()];
    const prefix = `${folder}/`;
    return [...this.problemMap.values()].filter((p) => p.at === folder || p.at.startsWith(prefix));
  }

  /** The session's datasets, from the worker the first time; undefined until then. */
  cachedContents(sessionPath: string): SessionContents | undefined {
    return this.contents.get(sessionPath);
  }

  async datasets(sessionPath: string): Promise<DatasetFile[]> {
    const cached = this.contents.get(sessionPath);
    if (cached) return cached.datasets;
    const fetched = await this.fetchContents(sessionPath);
    // Only keep it if the session is still there (it may have changed while we waited).
    if (this.sessions.has(sessionPath)) this.contents.set(sessionPath, fetched);
    return fetched.datasets;
  }

  /** The dataset at a root-relative path, if its session's datasets have been fetched. */
  dataset(path: string): DatasetFile | undefined {
    for (const [sessionPath, c] of this.contents) {
      if (!path.startsWith(`${sessionPath}/`)) continue;
      const hit = c.datasets.find((d) => d.path === path);
      if (hit) return hit;
    }
    return undefined;
  }

  /** The session a root-relative path is in, if any. */
  sessionOf(path: string): SessionSummary | undefined {
    let p = path;
    for (;;) {
      const s = this.sessions.get(p);
      if (s) return s;
      const slash = p.lastIndexOf('/');
      if (slash < 0) return this.sessions.get('');
      p = p.slice(0, slash);
    }
  }

  clear(): IndexChanges {
    const changes = new IndexChanges();
    for (const p of this.problemMap.values()) changes.problemRemoved(p);
    for (const path of this.outside) changes.outsideFileRemoved(path);
    for (const path of this.sessions.keys()) changes.sessions.add(path);
    this.sessions.clear();
    this.labs.clear();
    this.problemMap.clear();
    this.byAt.clear();
    this.outside.clear();
    this.looseProblems.clear();
    this.contents.clear();
    changes.labListChanged = true;
    return changes;
  }

  apply(delta: RootDelta): IndexChanges {
    const changes = new IndexChanges();
    for (const path of delta.removedSessions) this.removeSession(path, changes);
    for (const summary of delta.sessions) this.putSession(summary, changes);
    for (const p of delta.problemsRemoved) this.removeProblem(p, changes);
    for (const p of delta.problemsAdded) this.addProblem(p, changes);
    for (const path of delta.outsideRemoved) {
      this.outside.delete(path);
      changes.outsideFileRemoved(path);
    }
    for (const path of delta.outsideAdded) {
      this.outside.add(path);
      changes.outsideFileAdded(path);
    }
    return changes;
  }

  private putSession(summary: SessionSummary, changes: IndexChanges): void {
    const { key } = summary;
    this.sessions.set(key.path, summary);
    this.contents.delete(key.path);
    changes.sessions.add(key.path);
    const lk = labKey(key.lab);
    let subjects = this.labs.get(lk);
    if (!subjects) {
      this.labs.set(lk, (subjects = new Map()));
      changes.labListChanged = true;
    }
    let paths = subjects.get(key.subject);
    if (!paths) subjects.set(key.subject, (paths = new Set()));
    paths.add(key.path);
    changes.subjects.add(subjectKey(key.lab, key.subject));
    changes.labs.add(lk);
  }

  private removeSession(path: string, changes: IndexChanges): void {
    const summary = this.sessions.get(path);
    if (!summary) return;
    this.sessions.delete(path);
    this.contents.delete(path);
    changes.sessions.add(path);
    const { key } = summary;
    const lk = labKey(key.lab);
    const subjects = this.labs.get(lk);
    const paths = subjects?.get(key.subject);
    paths?.delete(path);
    changes.subjects.add(subjectKey(key.lab, key.subject));
    changes.labs.add(lk);
    if (subjects && paths?.size === 0) {
      subjects.delete(key.subject);
      if (subjects.size === 0) {
        this.labs.delete(lk);
        changes.labListChanged = true;
      }
    }
  }

  private addProblem(p: Problem, changes: IndexChanges): void {
    const id = problemId(p);
    this.problemMap.set(id, p);
    let ids = this.byAt.get(p.at);
    if (!ids) this.byAt.set(p.at, (ids = new Set()));
    ids.add(id);
    if (!p.session) this.looseProblems.add(id);
    changes.problemAdded(p);
    this.touchOwner(p, changes);
  }

  private removeProblem(p: Problem, changes: IndexChanges): void {
    const id = problemId(p);
    if (!this.problemMap.delete(id)) return;
    const ids = this.byAt.get(p.at);
    ids?.delete(id);
    if (ids?.size === 0) this.byAt.delete(p.at);
    this.looseProblems.delete(id);
    changes.problemRemoved(p);
    this.touchOwner(p, changes);
  }

  private touchOwner(p: Problem, changes: IndexChanges): void {
    if (p.session) {
      changes.sessions.add(p.session.path);
      changes.subjects.add(subjectKey(p.session.lab, p.session.subject));
      changes.labs.add(labKey(p.session.lab));
    } else {
      changes.outsideChanged = true;
    }
  }
}
