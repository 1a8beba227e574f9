import { spawnSync } from 'node:child_process';
import type * as http from 'node:http';
import { main } from '../../src/cli';

export function hasTool(cmd: string): boolean {
  return spawnSync(cmd, ['-v'], { stdio: 'ignore' }).error === undefined;
}

/** Runs the CLI in-process with captured output. */
export async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (add: (s: string) => void) => ({ write: (s: string | Uint8Array) => (add(String(s)), true) }) as unknown as NodeJS.WritableStream;
  const code = await main(argv, {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    stdin: process.stdin,
    env: {},
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

/** Answers a `Range: bytes=N-` request for `body` with 206 (true), or leaves it to the caller (false). */
export function answerRange(body: Buffer, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const m = /^bytes=(\d+)-$/u.exec(req.headers.range ?? '');
  if (!m) return false;
  const start = Number(m[1]);
  res.writeHead(206, { 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}`, 'Content-Length': body.length - start, ETag: '"v1"' });
  res.end(body.subarray(start));
  return true;
}
