import type { AlfWorkspace } from './alfWorkspace';
import { PathSetContext } from './pathSetContext';

/** Context key: the fsPaths of files and folders the core knows a valid name for. */
export const FIXABLE_CONTEXT = 'alf.fixablePaths';

/**
 * Keeps `alf.fixablePaths` in step with the problems, so that the Explorer can offer
 * "Rename to Valid ALF Name…" on exactly those resources (`resourcePath in alf.fixablePaths`).
 * Data files are mostly binary: they never open in a text editor, where a quick fix would show.
 * Sent at most once a second and not while a scan streams in.
 */
export function fixableContext(workspace: AlfWorkspace): PathSetContext {
  return new PathSetContext(workspace, {
    key: FIXABLE_CONTEXT,
    delayMs: 1000,
    afterScans: true,
    affects: (u) => u.changes.problemsAdded.size > 0 || u.changes.problemsRemoved.size > 0,
    *compute(ws) {
      for (const root of ws.roots) for (const p of root.model.problems()) if (p.fix) yield root.absolute(p.at);
    },
  });
}
