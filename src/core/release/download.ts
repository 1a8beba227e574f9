/**
 * Downloads a release zip to a file, resuming with HTTP Range after a dropped connection (and
 * from a previous run's partial file, when the server still has the same file).
 */
import { createHash, type Hash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { CancelledError, type ProgressOptions } from '../progress';
import { formatBytes } from '../util/bytes';

/** The server or the network failed (exit 4 on the command line). */
export class ReleaseNetworkError extends Error {
  override readonly name = 'ReleaseNetworkError';
}

export interface DownloadOptions extends ProgressOptions {
  /** Attempts after a dropped connection. */
  retries?: number;
  retryDelayMs?: number;
}

export interface DownloadResult {
  bytes: number;
  /** Times the transfer continued from where it stopped (this run or an earlier one). */
  resumed: number;
  /** sha256 of the whole file, computed while it arrived. */
  sha256: string;
}

interface PartInfo {
  url: string;
  validator?: string;
}

export async function download(url: string, partFile: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const infoFile = `${partFile}.json`;
  let info: PartInfo = { url };
  try {
    const saved = JSON.parse(fs.readFileSync(infoFile, 'utf8')) as PartInfo;
    if (saved.url === url && fs.existsSync(partFile)) info = saved;
    else fs.rmSync(partFile, { force: true });
  } catch {
    fs.rmSync(partFile, { force: true });
  }
  let resumed = 0;
  const retries = options.retries ?? 5;
  for (let attempt = 0; ; attempt++) {
    const have = fs.existsSync(partFile) ? fs.statSync(partFile).size : 0;
    if (have > 0) resumed++;
    try {
      const done = await fetchOnce(url, partFile, have, info, options);
      fs.rmSync(infoFile, { force: true });
      return { bytes: done.bytes, resumed, sha256: done.sha256 };
    } catch (err) {
      if (!(err instanceof DroppedError) || attempt >= retries) {
        if (err instanceof DroppedError) throw new ReleaseNetworkError(`${url}: ${err.message}; run the same command again to resume`);
        throw err;
      }
      fs.writeFileSync(infoFile, JSON.stringify(info));
      await new Promise((r) => setTimeout(r, options.retryDelayMs ?? 500));
    }
  }
}

/** The connection ended before the whole file came: worth another try with Range. */
class DroppedError extends Error {}

/** The hash of a partial file's first `length` bytes, to continue it with what the server sends next. */
function hashOfPart(partFile: string, length: number): Hash {
  const hash = createHash('sha256');
  if (length === 0) return hash;
  const fd = fs.openSync(partFile, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let at = 0; at < length; ) {
      const n = fs.readSync(fd, buf, 0, Math.min(buf.length, length - at), at);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      at += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash;
}

function fetchOnce(url: string, partFile: string, have: number, info: PartInfo, options: DownloadOptions, redirects = 0): Promise<{ bytes: number; sha256: string }> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new CancelledError());
    const u = new URL(url);
    const get = u.protocol === 'https:' ? https.get : u.protocol === 'http:' ? http.get : undefined;
    if (!get) return reject(new ReleaseNetworkError(`${url}: only http and https URLs can be downloaded`));
    const headers: Record<string, string> = {};
    if (have > 0) {
      headers.Range = `bytes=${have}-`;
      if (info.validator) headers['If-Range'] = info.validator;
    }
    let out: fs.WriteStream | undefined;
    const req = get(u, { headers, ...(options.signal ? { signal: options.signal } : {}) }, (res) => {
      const status = res.statusCode ?? 0;
      if ([301, 302, 303, 307, 308].includes(status) && res.headers.location) {
        res.resume();
        if (redirects >= 5) return reject(new ReleaseNetworkError(`${url}: too many redirects`));
        fetchOnce(new URL(res.headers.location, u).toString(), partFile, have, info, options, redirects + 1).then(resolve, reject);
        return;
      }
      let start = 0;
      let total: number | undefined;
      if (status === 206) {
        const m = /^bytes (\d+)-\d+\/(\d+|\*)$/u.exec(res.headers['content-range'] ?? '');
        if (!m || Number(m[1]) !== have) {
          res.resume();
          fs.rmSync(partFile, { force: true });
          return reject(new DroppedError('the server answered a different range than asked for'));
        }
        start = have;
        if (m[2] !== '*') total = Number(m[2]);
      } else if (status === 416 && have > 0) {
        res.resume();
        const m = /\/(\d+)$/u.exec(res.headers['content-range'] ?? '');
        if (m && Number(m[1]) === have) return resolve({ bytes: have, sha256: hashOfPart(partFile, have).digest('hex') });
        fs.rmSync(partFile, { force: true });
        return reject(new DroppedError('the partial download is longer than the file on the server'));
      } else if (status === 200) {
        const length = res.headers['content-length'];
        if (length !== undefined) total = Number(length);
      } else {
        res.resume();
        return reject(new ReleaseNetworkError(`${url}: the server answered ${status} ${res.statusMessage ?? ''}`.trim()));
      }
      info.validator = (res.headers.etag as string | undefined) ?? (res.headers['last-modified'] as string | undefined) ?? info.validator;
      const file = fs.createWriteStream(partFile, { flags: start > 0 ? 'a' : 'w' });
      out = file;
      let got = start;
      let writeError: NodeJS.ErrnoException | undefined;
      const hash = hashOfPart(partFile, start);
      const t0 = Date.now();
      res.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        got += chunk.length;
        options.onProgress?.({ phase: 'download', done: got, ...(total !== undefined ? { total } : {}), unit: 'bytes', detail: rate(got - start, t0) });
      });
      res.pipe(file);
      // A dropped connection still writes what arrived (the next attempt asks for the rest with
      // Range), and reports only once the file has closed, so two attempts never write at once.
      res.on('error', () => undefined);
      res.on('close', () => {
        if (!file.writableEnded) file.end();
      });
      file.on('error', (err: NodeJS.ErrnoException) => {
        writeError = err;
        res.destroy();
      });
      file.on('close', () => {
        if (options.signal?.aborted) return reject(new CancelledError());
        if (writeError) return reject(writeError);
        if (!res.complete || (total !== undefined && got < total)) return reject(new DroppedError(`the connection dropped after ${got} of ${total ?? '?'} bytes`));
        resolve({ bytes: got, sha256: hash.digest('hex') });
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      // Once the body is being written, the file's close reports (see above), cancelled or not.
      if (out) {
        if (!out.writableEnded) out.end();
        return;
      }
      if (options.signal?.aborted) return reject(new CancelledError());
      if (have > 0 || err.code === 'ECONNRESET') return reject(new DroppedError(err.message));
      reject(new ReleaseNetworkError(`${url}: cannot reach the server (${err.code ?? err.message}); check the address and the network`));
    });
  });
}

function rate(bytes: number, since: number): string {
  const s = (Date.now() - since) / 1000;
  return s > 0.2 ? `${formatBytes(bytes / s)}/s` : '';
}
