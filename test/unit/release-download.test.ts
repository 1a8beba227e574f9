// The resumable download on its own: a connection dropped mid-transfer and retried at once must
// continue from what reached the disk, never overlap the previous attempt's writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, pbkdf2, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { tempDir } from '../helpers';
import { download } from '../../src/core/release/download';
import { answerRange } from './release-helpers';

test('a dropped transfer retried at once resumes from the bytes on disk, 20 times over', async (t) => {
  const body = randomBytes(6 << 20);
  const sha256 = createHash('sha256').update(body).digest('hex');
  const ranges: (string | undefined)[] = [];
  let dropNext = true;
  const server = http.createServer((req, res) => {
    ranges.push(req.headers.range);
    if (answerRange(body, req, res)) return;
    res.writeHead(200, { 'Content-Length': body.length, 'Accept-Ranges': 'bytes', ETag: '"v1"' });
    if (dropNext) {
      dropNext = false;
      // Many small writes, then a reset: the client's file stream still has writes queued.
      for (let at = 0; at < body.length / 2; at += 16 << 10) res.write(body.subarray(at, at + (16 << 10)));
      // Keep libuv's threads busy so the client's queued file writes are still pending when the
      // reset arrives and the retry begins (what a loaded machine does by chance).
      for (let i = 0; i < 8; i++) pbkdf2('x', 'y', 20_000, 32, 'sha256', () => undefined);
      setImmediate(() => res.socket?.destroy());
      return;
    }
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/release.zip`;
  const dir = tempDir(t);
  for (let round = 0; round < 20; round++) {
    const part = path.join(dir, `r${round}.part`);
    ranges.length = 0;
    dropNext = true;
    const r = await download(url, part, { retryDelayMs: 0 });
    assert.equal(r.sha256, sha256, `round ${round}: the reported sha256 is the file's`);
    assert.equal(createHash('sha256').update(fs.readFileSync(part)).digest('hex'), sha256, `round ${round}: the file on disk is the server's`);
    assert.equal(ranges[0], undefined);
    assert.ok(ranges.length >= 2, `round ${round}: the transfer was dropped and retried`);
    assert.match(ranges[1] ?? '', /^bytes=[1-9]\d*-$/u, `round ${round}: the retry asks for the rest (${String(ranges[1])})`);
    assert.equal(r.resumed, ranges.length - 1);
  }
});
