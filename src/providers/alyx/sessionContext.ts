import type { AlfWorkspace } from '../alfWorkspace';
import { PathSetContext } from '../pathSetContext';

/** Context key: the fsPaths of session folders, so the Explorer offers Register Session only on them. */
export const SESSION_PATHS_CONTEXT = 'alf.sessionPaths';

/** Keeps `alf.sessionPaths` in step with the scanned sessions. */
export function sessionPathsContext(workspace: AlfWorkspace): PathSetContext {
  return new PathSetContext(workspace, {
    key: SESSION_PATHS_CONTEXT,
    delayMs: 500,
    *compute(ws) {
      for (const root of ws.roots) for (const rel of root.model.sessions.keys()) yield root.absolute(rel);
    },
  });
}
