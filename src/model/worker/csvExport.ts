/**
 * Writing rows of a table view as CSV (RFC 4180), streamed: a chunk of rows is turned into text
 * and written, waiting for the stream to drain, so a 1.5 M-row export never holds the file in
 * memory. Written to a temporary file beside the target and renamed into place at the end, so a
 * cancelled or failed export leaves no half file under the chosen name.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import { CancelledError } from '../../core/progress';

export interface CsvSource {
  header: string[];
  rowCount: number;
  /** Cells of the view's rows [start, end), as text (null: empty). */
  rows(start: number, end: number): (string | null)[][];
}

export interface CsvProgress {
  rows: number;
  total: number;
}

/** Rows turned into text and written at a time. */
const CHUNK_ROWS = 8192;

export function csvField(text: string | null): string {
  if (text === null) return '';
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function writeCsv(target: string, source: CsvSource, options: { signal?: AbortSignal; onProgress?: (p: CsvProgress) => void } = {}): Promise<{ rows: number; bytes: number }> {
  const { signal, onProgress } = options;
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  const out = createWriteStream(temp, { flags: 'wx' });
  let failure: Error | undefined;
  out.on('error', (e) => (failure ??= e));
  let bytes = 0;
  const write = async (text: string) => {
    if (failure) throw failure;
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) {
      await new Promise<void>((resolve, reject) => {
        const onError = (e: Error) => reject(e);
        out.once('drain', () => {
          out.off('error', onError);
          resolve();
        });
        out.once('error', onError);
      });
    }
  };
  try {
    await write(`${source.header.map(csvField).join(',')}\r\n`);
    for (let start = 0; start < source.rowCount; start += CHUNK_ROWS) {
      if (signal?.aborted) throw new CancelledError();
      const rows = source.rows(start, Math.min(source.rowCount, start + CHUNK_ROWS));
      let text = '';
      for (const row of rows) text += `${row.map(csvField).join(',')}\r\n`;
      await write(text);
      onProgress?.({ rows: start + rows.length, total: source.rowCount });
    }
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    if (failure) throw failure;
    await rename(temp, target);
    return { rows: source.rowCount, bytes };
  } catch (e) {
    out.destroy();
    await unlink(temp).catch(() => undefined);
    if (e instanceof CancelledError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`${target}: could not write the CSV file (${code ?? (e instanceof Error ? e.message : String(e))}); choose a folder you can write to`);
  }
}
