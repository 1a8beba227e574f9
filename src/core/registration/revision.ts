import * as path from 'node:path';
import { revisionOf } from './alf-path';

/**
 * ONE's `_next_revision`: `revision` + the first character from `alpha` on that is not taken,
 * e.g. `2020-01-01` → `2020-01-01a`, or `…c` when `a` and `b` are reserved.
 */
export function nextRevision(revision: string, reserved: readonly string[] = [], alpha = 'a'): string {
  if ([...alpha].length !== 1) throw new TypeError(`alpha must be a single character; received a string of length ${[...alpha].length}`);
  let code = alpha.codePointAt(0) as number;
  let candidate = revision + String.fromCodePoint(code);
  while (reserved.includes(candidate)) {
    code += 1;
    candidate = revision + String.fromCodePoint(code);
  }
  return candidate;
}

/** `{revision: protected}` entries for one file, newest revision first, the original (`""`) last. */
export type ProtectionInfo = ReadonlyArray<Readonly<Record<string, boolean>>>;

/**
 * Where a file must go before it can be registered again, following ONE's `register_files`
 * exactly: `relPath` (posix, relative to the session) is returned unchanged when no move is
 * needed, else its new path inside a `#revision#` folder.
 *
 * - never registered, or only an unprotected original: stays;
 * - in an explicit `#rev#` folder: stays unless `rev` is protected, then the next free `reva`, `revb`…;
 * - the latest revision is unprotected: into it when it is date-named, else into today's;
 * - the latest revision is today's and protected: the next free sub-revision of today;
 * - otherwise: into today's `#YYYY-MM-DD#`.
 */
export function revisionTarget(relPath: string, protection: ProtectionInfo, today: string): string {
  if (!protection.length) return relPath;
  const posix = relPath.split(path.sep).join('/');
  const name = path.posix.basename(posix);
  const parent = path.posix.dirname(posix);
  const existing = protection.flatMap((entry) => Object.entries(entry).filter(([, prot]) => prot).map(([rev]) => rev));
  // ONE reads the revision with folder_parts, which needs a session in front of the path.
  const fileRevision = revisionOf(`subject/2000-01-01/001/${posix}`);

  let folder: string;
  if (fileRevision) {
    folder = existing.includes(fileRevision)
      ? path.posix.join(path.posix.dirname(parent), `#${nextRevision(fileRevision, existing)}#`)
      : parent;
  } else {
    const [latest, isProtected] = Object.entries(protection[0] as Record<string, boolean>)[0] ?? ['', false];
    if (latest === '' && !isProtected) {
      folder = parent;
    } else if (!isProtected) {
      folder = path.posix.join(parent, `#${isDateRevision(latest) ? latest : today}#`);
    } else if (latest.includes(today)) {
      const alpha = latest === today ? 'a' : latest.slice(-1);
      folder = path.posix.join(parent, `#${nextRevision(today, existing, alpha)}#`);
    } else {
      folder = path.posix.join(parent, `#${today}#`);
    }
  }
  return folder === parent ? posix : path.posix.join(folder, name);
}

/** Python's `strptime(latest[:10], '%Y-%m-%d')` succeeds (it accepts 1- or 2-digit months and days). */
function isDateRevision(revision: string): boolean {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(revision.slice(0, 10));
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}
