/**
 * The one way ALF Workbench writes a size: binary units with IEC names (1 KiB = 1024 bytes), as
 * `du -h`, `ls -lh` and VS Code count, so a size here matches what the file manager shows. The
 * exact byte count (what Alyx stores in `file_size`) can follow in brackets.
 *
 * Plain code with no imports: the CLI, the extension and the browser bundle all use this file.
 */

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

export interface FormatBytesOptions {
  /** Add the exact count: `1.50 KiB (1,536 bytes)`. */
  exact?: boolean;
}

/** `512 B`, `1.50 KiB`, `12.3 MiB`, `512 GiB`: three significant digits past 1 KiB. */
export function formatBytes(n: number, options: FormatBytesOptions = {}): string {
  if (!Number.isFinite(n)) return `${n} B`;
  const count = `${Math.round(n).toLocaleString('en-US')} bytes`;
  if (Math.abs(n) < 1024) return options.exact ? count : `${Math.round(n)} B`;
  let v = n / 1024;
  let u = 0;
  // Round first so that 1023.99 KiB reads as 1.00 MiB, not 1024 KiB.
  while (Math.abs(Number(v.toFixed(digits(v)))) >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  const text = `${v.toFixed(digits(v))} ${UNITS[u]}`;
  return options.exact ? `${text} (${count})` : text;
}

function digits(v: number): number {
  const a = Math.abs(v);
  return a < 10 ? 2 : a < 100 ? 1 : 0;
}
