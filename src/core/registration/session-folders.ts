/** Numbered session folders (`subject/yyyy-mm-dd/NNN`) made on disk, as ONE makes them. */
import { promises as fs, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { InvalidInputError } from './errors';

/** ONE's `next_num_folder`: one more than the highest numbered folder, zero-padded to 3. */
export async function nextNumFolder(dateFolder: string): Promise<string> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(dateFolder, { withFileTypes: true });
  } catch {
    return '001';
  }
  const nums = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.') && /^\d+$/.test(e.name)).map((e) => Number(e.name));
  const next = Math.max(0, ...nums) + 1;
  if (next > 999) throw new InvalidInputError('date', `${dateFolder} already has session 999; ALF session numbers stop there`);
  return String(next).padStart(3, '0');
}

/** Creates the next numbered folder; another process taking the same number moves us to the next. */
export async function makeNextSessionFolder(dateFolder: string): Promise<string> {
  await fs.mkdir(dateFolder, { recursive: true });
  for (;;) {
    const candidate = path.join(dateFolder, await nextNumFolder(dateFolder));
    try {
      await fs.mkdir(candidate);
      return candidate;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
