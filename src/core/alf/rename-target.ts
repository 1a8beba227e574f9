/**
 * Which new names the rename quick fix may apply. A rename arrives as a command argument, and a
 * command can be run with any argument (from a keybinding, a link, another extension), so the
 * name is checked here, not trusted: one path component, not the same name, and either the name
 * the core proposes for that file or folder, or a name the core finds valid at that place.
 * `../../x` or `a/b.npy` would move the file out of its folder after a single confirmation.
 */
import { hasControlCharacters } from '../escape';
import { type ClassifyOptions, classifyFolder, classifyPath } from './classify';

export type RenameTargetVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface RenameTargetOptions extends ClassifyOptions {
  /** True when `relPath` is a folder. */
  readonly isFolder: boolean;
}

/**
 * Whether `newName` may replace the base name of `relPath` (a root-relative posix path, as the
 * extension's index keeps them). Pure: only the names are looked at, never the disk.
 */
export function checkRenameTarget(relPath: string, newName: unknown, options: RenameTargetOptions): RenameTargetVerdict {
  const what = options.isFolder ? 'folder' : 'file';
  if (typeof newName !== 'string' || newName === '') return { ok: false, reason: 'no new name was given' };
  const shown = JSON.stringify(newName);
  if (newName === '.' || newName === '..' || /[/\\]/.test(newName)) {
    return { ok: false, reason: `${shown} is not a single name: a rename keeps the ${what} in its folder` };
  }
  if (hasControlCharacters(newName) || newName.includes('\u0000')) return { ok: false, reason: `${shown} contains control characters` };
  const slash = relPath.lastIndexOf('/');
  const oldName = relPath.slice(slash + 1);
  if (newName === oldName) return { ok: false, reason: `the ${what} is already called ${shown}` };

  const verdict = options.isFolder ? classifyFolder(relPath, options) : classifyPath(relPath, options);
  const proposal = verdict.kind === 'invalid' && verdict.at === relPath ? verdict.fix : undefined;
  if (proposal !== undefined && newName === proposal) return { ok: true };

  const renamed = `${relPath.slice(0, slash + 1)}${newName}`;
  const valid = options.isFolder ? classifyFolder(renamed, options).kind !== 'invalid' : classifyPath(renamed, options).kind === 'dataset';
  if (valid) return { ok: true };
  return {
    ok: false,
    reason: `${shown} is not a valid ALF name for this ${what}${proposal !== undefined ? ` (the suggested name is ${JSON.stringify(proposal)})` : ''}`,
  };
}
