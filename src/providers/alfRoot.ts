import * as path from 'node:path';
import * as vscode from 'vscode';
import { RootModel } from '../model/rootModel';
import type { SessionContents } from '../model/types';

export type RootState = 'pending' | 'scanning' | 'ready' | 'failed';

/** One folder the Sessions view shows: a workspace folder, an `alf.dataRoots` entry, or a folder validated on request. */
export class AlfRoot {
  /** What the worker's index says about this root (sessions, problems, outside files). */
  readonly model: RootModel;
  state: RootState = 'pending';
  /** Why the last scan failed, in words for the user. */
  error: string | undefined;
  /** Files the scan could not read (permissions, broken links). */
  unreadable: { path: string; reason: string }[] = [];
  scanMs: number | undefined;
  /** Incremented each time a full scan completes, so listeners can tell a new result from a state change. */
  completedScans = 0;

  constructor(
    readonly fsPath: string,
    readonly origin: 'workspace' | 'setting' | 'validated',
    fetchContents: (root: string, sessionPath: string) => Promise<SessionContents>,
  ) {
    this.model = new RootModel((sessionPath) => fetchContents(fsPath, sessionPath));
  }

  get uri(): vscode.Uri {
    return vscode.Uri.file(this.fsPath);
  }

  get name(): string {
    return path.basename(this.fsPath) || this.fsPath;
  }

  /** Root-relative posix path of an absolute path inside this root, or undefined outside it. */
  relative(fsPath: string): string | undefined {
    const rel = path.relative(this.fsPath, fsPath);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    return rel.split(path.sep).join('/');
  }

  uriOf(rel: string): vscode.Uri {
    return rel ? vscode.Uri.joinPath(this.uri, ...rel.split('/')) : this.uri;
  }

  absolute(rel: string): string {
    return rel ? path.join(this.fsPath, ...rel.split('/')) : this.fsPath;
  }
}
