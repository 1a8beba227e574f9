/** Sizes in human units (binary, as file managers on Linux and VS Code show them). */
import { formatCount } from './vscodeApi.js';

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${formatCount(n)} bytes` : `${v.toFixed(Math.abs(v) < 10 ? 2 : 1)} ${units[u]}`;
}

/** ONE's file_size, and integer columns named like a size in bytes. */
export function isSizeColumn(name: string, type: string): boolean {
  return /^u?int(32|64)$/.test(type) && /(^|_)(file_?size|size|bytes|byte_?size)$/i.test(name);
}
