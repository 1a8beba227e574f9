/**
 * Where a session's files are: `<root>/<lab>/Subjects/<subject>/<date>/<NNN>`, or
 * `<root>/<subject>/<date>/<NNN>` for a session without a lab (ONE's `session_record2path`, with
 * the cache folder as root, as ONE's local mode does). The cache stores the number as an
 * integer, so the folder may be zero-padded ('001', what ONE writes) or not ('1'), or padded
 * differently ('01'); all are tried, in that order.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { SessionRow } from '../cache/types';

/** Candidate session folders, most likely first (the last resort is a look at the date folder). */
export function sessionDirCandidates(root: string, s: SessionRow): string[] {
  const padded = String(s.number).padStart(3, '0');
  const plain = String(s.number);
  const bases = s.lab ? [path.join(root, s.lab, 'Subjects', s.subject, s.date), path.join(root, s.subject, s.date)] : [path.join(root, s.subject, s.date)];
  const out: string[] = [];
  for (const base of bases) for (const n of padded === plain ? [padded] : [padded, plain]) out.push(path.join(base, n));
  return out;
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** The session's folder on disk, or null. */
export async function findSessionDir(root: string, s: SessionRow): Promise<string | null> {
  const candidates = sessionDirCandidates(root, s);
  for (const c of candidates) if (await isDir(c)) return c;
  // A number folder padded some other way ('01'): same integer value.
  for (const dateDir of new Set(candidates.map((c) => path.dirname(c)))) {
    let names: string[];
    try {
      names = await fs.readdir(dateDir);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      if (/^\d{1,3}$/.test(name) && Number(name) === s.number && (await isDir(path.join(dateDir, name)))) return path.join(dateDir, name);
    }
  }
  return null;
}
