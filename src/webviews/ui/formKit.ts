/**
 * What every webview form does the same way with its page state, whatever its fields: plain
 * functions on plain data (no DOM), so that `node --test` can check them.
 */

/**
 * The page state a form starts from: what it saved (webview setState), else `fresh`, key by key
 * (a key saved as null or not saved at all is fresh). A run saved as still going (`runningKind`)
 * is back at `fresh.status`: a page (re)created from its state has no run of its own any more;
 * the extension says so if one goes on.
 */
export function restoreState<S extends { status: { kind: string } }>(saved: Partial<S>, fresh: S, runningKind: string): S {
  const state = { ...fresh };
  for (const key of Object.keys(fresh) as (keyof S)[]) {
    const kept = saved[key];
    if (kept !== undefined && kept !== null) state[key] = kept as S[keyof S];
  }
  if (state.status.kind === runningKind) state.status = fresh.status;
  return state;
}

/** The status a form shows for the extension's `{ text, percent? }` progress message (no percent: a bar without an end). */
export function runningStatus(message: { text: string; percent?: number }): { kind: 'running'; text: string; percent?: number } {
  return { kind: 'running', text: message.text, ...(message.percent !== undefined ? { percent: message.percent } : {}) };
}
