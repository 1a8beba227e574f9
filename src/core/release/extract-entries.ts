/**
 * Writes a run of a zip's entries to disk, checking each one's local header, size and CRC-32.
 * It runs on worker threads (several runs at once: creating tens of thousands of small files is
 * the kernel's work, and it goes about twice as fast from two threads as from one) and, for
 * small archives, on the calling thread.
 *
 * Self-contained on purpose: the worker runs this function's own source text, so it refers to
 * nothing outside itself (a bundler renames module-level names) and requires what it uses.
 */

/**
 * A run of consecutive entries (checked already by readCentralDirectory) as columns: a thread
 * receives a few typed arrays and one string instead of tens of thousands of objects, whose
 * copy alone held the calling thread for a quarter of a second.
 */
export interface ExtractRun {
  /** The folder the names are relative to. */
  root: string;
  /** Each entry's relative posix path, joined with NUL (which no name holds). */
  names: string;
  /** Each entry's name bytes as stored, back to back: entry i's are rawNames[nameAt[i]] to rawNames[nameAt[i + 1]]. */
  rawNames: Uint8Array;
  nameAt: Uint32Array;
  localOffset: Float64Array;
  compressedSize: Float64Array;
  size: Float64Array;
  mtimeMs: Float64Array;
  crc: Uint32Array;
  method: Uint16Array;
}

/** Why a run stopped early; null when every entry was written. */
export interface ExtractFailure {
  kind: 'archive' | 'fs' | 'cancelled' | 'other';
  /** For 'archive': what is wrong with entry `index` (the caller puts its name in front). */
  message: string;
  index?: number;
  code?: string;
  path?: string;
  syscall?: string;
}

/**
 * Writes entries `from` to `to` (excluded) of the run. `control[0]` set to 1 stops it before its
 * next entry; `progress[slot]` counts the bytes written.
 * No function is defined inside it: bundlers that keep names (tsx, esbuild's keepNames) wrap
 * inner functions in a helper of their own that the worker would not have.
 */
export function extractEntries(zipPath: string, run: ExtractRun, from: number, to: number, control: Int32Array, progress: Float64Array, slot: number): ExtractFailure | null {
  /* eslint-disable @typescript-eslint/no-require-imports -- a worker runs this function's text alone */
  const fs = require('node:fs') as typeof import('node:fs');
  const path = require('node:path') as typeof import('node:path');
  const zlib = require('node:zlib') as typeof import('node:zlib');
  /* eslint-enable @typescript-eslint/no-require-imports */
  // Node ≥ 20.15 has a native CRC-32; VS Code's bundled Node may be older, hence the table.
  const nativeCrc = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
  let table: Uint32Array | undefined;
  if (!nativeCrc) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }

  // The zip is read in large consecutive blocks: a run of 74k small entries costs a few dozen reads.
  const WINDOW = 8 * 1024 * 1024;
  const fd = fs.openSync(zipPath, 'r');
  const fileSize = fs.fstatSync(fd).size;
  let backing = Buffer.allocUnsafeSlow(0); // not from Node's shared pool: it is read into
  let buf = backing;
  let bufStart = 0;
  const made = new Set<string>();
  const names = run.names.split('\0');
  const rawNames = Buffer.from(run.rawNames.buffer, run.rawNames.byteOffset, run.rawNames.byteLength);
  try {
    for (let i = from; i < to; i++) {
      if (Atomics.load(control, 0) !== 0) return { kind: 'cancelled', message: 'cancelled' };
      const target = path.join(run.root, ...names[i]!.split('/'));
      const nameBytes = rawNames.subarray(run.nameAt[i]!, run.nameAt[i + 1]!);
      const localOffset = run.localOffset[i]!;
      const compressedSize = run.compressedSize[i]!;
      const size = run.size[i]!;
      const dir = path.dirname(target);
      if (!made.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      // The room left for the local extra field is a guess; a longer one costs a second read.
      let want = 30 + nameBytes.length + 64 + compressedSize;
      let start = -1;
      let block = buf;
      for (let pass = 0; pass < 2; pass++) {
        const end = Math.min(localOffset + want, fileSize);
        if (localOffset < bufStart || end > bufStart + buf.length) {
          const length = Math.min(Math.max(end - localOffset, WINDOW), fileSize - localOffset);
          if (backing.length < length) backing = Buffer.allocUnsafeSlow(length);
          let done = 0;
          while (done < length) {
            const n = fs.readSync(fd, backing, done, length - done, localOffset + done);
            if (n === 0) break;
            done += n;
          }
          buf = backing.subarray(0, done);
          bufStart = localOffset;
        }
        block = buf.subarray(localOffset - bufStart, end - bufStart);
        if (pass === 0) {
          if (block.length < 30 + nameBytes.length || block.readUInt32LE(0) !== 0x04034b50) return { kind: 'archive', index: i, message: 'no local header where the directory points: the zip is damaged' };
          const nameLength = block.readUInt16LE(26);
          if (nameLength !== nameBytes.length || !block.subarray(30, 30 + nameLength).equals(nameBytes)) return { kind: 'archive', index: i, message: 'the local header names another file than the directory does: refused' };
          start = 30 + nameLength + block.readUInt16LE(28);
          if (start + compressedSize <= block.length) break;
          want = start + compressedSize;
        }
      }
      if (start + compressedSize > block.length) return { kind: 'archive', index: i, message: 'the zip ends inside this entry: it is truncated (download it again)' };
      const packed = block.subarray(start, start + compressedSize);
      let data: Buffer;
      try {
        // maxOutputLength stops a lying entry as soon as it passes its declared size.
        data = run.method[i] === 0 ? packed : zlib.inflateRawSync(packed, { maxOutputLength: Math.max(size, 1) });
      } catch (err) {
        return { kind: 'archive', index: i, message: err instanceof RangeError ? 'inflates to more than its declared size (a zip bomb?): refused' : 'damaged compressed data' };
      }
      if (data.length !== size) return { kind: 'archive', index: i, message: `${data.length} bytes unpacked, the zip says ${size}: damaged or forged` };
      let crc: number;
      if (nativeCrc) crc = nativeCrc(data) >>> 0;
      else {
        let c = 0xffffffff;
        for (let i = 0; i < data.length; i++) c = table![(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
        crc = (c ^ 0xffffffff) >>> 0;
      }
      if (crc !== run.crc[i]) return { kind: 'archive', index: i, message: 'CRC-32 mismatch: the zip is damaged (download it again)' };
      const out = fs.openSync(target, 'wx');
      try {
        for (let done = 0; done < data.length; ) done += fs.writeSync(out, data, done, data.length - done);
        const t = new Date(run.mtimeMs[i]!);
        fs.futimesSync(out, t, t);
      } finally {
        fs.closeSync(out);
      }
      progress[slot] = (progress[slot] ?? 0) + size;
    }
    return null;
  } catch (err) {
    const x = err as { message?: string; code?: string; path?: string; syscall?: string };
    return { kind: x.code ? 'fs' : 'other', message: String(x.message ?? err), ...(x.code ? { code: x.code } : {}), ...(x.path ? { path: x.path } : {}), ...(x.syscall ? { syscall: x.syscall } : {}) };
  } finally {
    fs.closeSync(fd);
  }
}
