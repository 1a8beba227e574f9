/**
 * The test Alyx server for a whole tree, in a process of its own (`startTreeServerProcess`, for
 * `scripts/bench-status.ts` and the extension-host status figures): a real Alyx is another
 * machine, so the time it spends filtering and serialising lists must not count as the client
 * blocking its own event loop. Every session under the tree is registered with all its files
 * (seeded, not posted). Started with fork(); talks over the IPC channel:
 *   → { type: 'ready', url, username, token, sessions, subjects, files, datasets }
 *   ← { type: 'reset' } / { type: 'stats' } → { type: 'stats', requests, maxInFlight }
 */
import * as path from 'node:path';
import { startServerForTree } from './testing';

export type TreeServerMessage =
  | { type: 'ready'; url: string; username: string; token: string; sessions: number; subjects: number; files: number; datasets: number }
  | { type: 'stats'; requests: number; maxInFlight: number };

async function main(root: string): Promise<void> {
  const { server, sessions, subjects, files } = await startServerForTree(root);
  const username = server.state.users[0]?.username ?? 'test_user';
  const send = (m: TreeServerMessage) => process.send?.(m);
  process.on('message', (m: { type?: string }) => {
    if (m.type === 'reset') server.resetStats();
    if (m.type === 'stats') send({ type: 'stats', requests: server.requests.length, maxInFlight: server.maxInFlight });
  });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
  send({
    type: 'ready', url: server.url, username, token: server.tokenFor(username), sessions, subjects, files, datasets: server.state.datasets.length,
  });
}

void main(path.resolve(process.argv[2] ?? '.'));
