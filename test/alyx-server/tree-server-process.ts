/** Starts `tree-server-main.ts` in a child process (through tsx, from the project folder) and talks to it. */
import { fork } from 'node:child_process';
import * as path from 'node:path';
import type { TreeServerMessage } from './tree-server-main';

export interface TreeServerProcess {
  ready: Extract<TreeServerMessage, { type: 'ready' }>;
  /** Requests the server saw since the last reset, and the most at once. */
  stats(): Promise<{ requests: number; maxInFlight: number }>;
  reset(): void;
  close(): void;
}

/** `projectDir` holds test/alyx-server and node_modules/tsx (the extension host runs from the installed .vsix). */
export function startTreeServerProcess(projectDir: string, root: string): Promise<TreeServerProcess> {
  const child = fork(path.join(projectDir, 'test', 'alyx-server', 'tree-server-main.ts'), [root], { cwd: projectDir, execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const next = <T extends TreeServerMessage['type']>(type: T) =>
    new Promise<Extract<TreeServerMessage, { type: T }>>((resolve, reject) => {
      const onMessage = (m: TreeServerMessage) => {
        if (m.type !== type) return;
        child.off('message', onMessage);
        resolve(m as Extract<TreeServerMessage, { type: T }>);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`the tree server exited (${code})`)));
    });
  return next('ready').then((ready) => ({
    ready,
    stats: () => {
      const answer = next('stats');
      child.send({ type: 'stats' });
      return answer;
    },
    reset: () => child.send({ type: 'reset' }),
    close: () => child.disconnect(),
  }));
}
