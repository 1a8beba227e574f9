/**
 * Which URIs a decorations change should name. VS Code asks a decoration provider again for
 * every URI a change event names, shown or not, and its extension host keeps at most 250 URIs of
 * an event (one file per folder of a larger one, the rest dropped). So a change to the Alyx status
 * of 4,930 sessions names only the URIs VS Code has asked about below their folders, which are the
 * ones it shows or has cached, in events of at most 250: a URI it never asked for it asks for
 * when it shows it. Kept free of `vscode` so plain Node tests can drive it.
 */
import type { RootModel } from '../../model/rootModel';

/** What this needs of an AlfRoot. */
export interface AskedRoot {
  readonly fsPath: string;
  readonly model: Pick<RootModel, 'sessionOf'>;
}

/** The most URIs VS Code's extension host passes on from one decorations event. */
export const DECORATION_EVENT_MAX = 250;

export class AskedDecorations<R extends AskedRoot, U extends { toString(): string }> {
  /** root fsPath NUL session path → URI string → URI. */
  readonly #bySession = new Map<string, Map<string, U>>();
  /** Asked for where the root's model had no session (its scan still running, or outside sessions): placed at the next change. */
  #unplaced = new Map<string, { root: R; rel: string; uri: U }>();

  /** Notes that VS Code asked about `uri`, `rel` (posix) below `root`. */
  note(root: R, rel: string, uri: U): void {
    const sessionPath = root.model.sessionOf(rel)?.key.path;
    if (sessionPath === undefined) {
      this.#unplaced.set(uri.toString(), { root, rel, uri });
      return;
    }
    const key = sessionKey(root, sessionPath);
    let uris = this.#bySession.get(key);
    if (!uris) this.#bySession.set(key, (uris = new Map()));
    uris.set(uri.toString(), uri);
  }

  /**
   * The events to fire for a change to these sessions: the URIs asked about at or below their
   * folders, at most `max` an event. `open` are the roots still open (others' URIs are let go).
   */
  eventsFor(change: ReadonlyArray<{ root: R; sessionPaths: readonly string[] }>, open: readonly R[], max = DECORATION_EVENT_MAX): U[][] {
    this.#place(open);
    const events: U[][] = [];
    let uris: U[] = [];
    for (const { root, sessionPaths } of change) {
      for (const sessionPath of sessionPaths) {
        for (const uri of this.#bySession.get(sessionKey(root, sessionPath))?.values() ?? []) {
          uris.push(uri);
          if (uris.length >= max) {
            events.push(uris);
            uris = [];
          }
        }
      }
    }
    if (uris.length) events.push(uris);
    return events;
  }

  /** Lets go of the URIs of roots no longer open. */
  keepRoots(open: readonly R[]): void {
    const prefixes = open.map((r) => `${r.fsPath}\u0000`);
    for (const key of [...this.#bySession.keys()]) if (!prefixes.some((p) => key.startsWith(p))) this.#bySession.delete(key);
    for (const [key, { root }] of this.#unplaced) if (!open.includes(root)) this.#unplaced.delete(key);
  }

  /** URIs asked about, placed or not (for tests). */
  get size(): number {
    let n = this.#unplaced.size;
    for (const uris of this.#bySession.values()) n += uris.size;
    return n;
  }

  #place(open: readonly R[]): void {
    if (!this.#unplaced.size) return;
    const waiting = this.#unplaced;
    this.#unplaced = new Map();
    for (const { root, rel, uri } of waiting.values()) if (open.includes(root)) this.note(root, rel, uri);
  }
}

function sessionKey(root: AskedRoot, sessionPath: string): string {
  return `${root.fsPath}\u0000${sessionPath}`;
}
