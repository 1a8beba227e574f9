/**
 * An ALF object from files already chosen (by the worker, with ONE's revision rules): the
 * extension host reads them with the core's loaders, without opening the cache's tables.
 */
import { type AlfObject, assembleObject } from '../core/one/alf-object';
import { parseDataset, type ParsedDataset, uniqueSorted } from '../core/one/filters';
import type { DecodeOptions } from '../core/npy';

export interface ChosenFile {
  /** Session-relative, '/' separators. */
  relPath: string;
  /** Absolute path on disk. */
  file: string;
}

export async function loadObjectFromFiles(eid: string, object: string, files: readonly ChosenFile[], options: DecodeOptions = {}, warnings: readonly string[] = []): Promise<AlfObject> {
  const chosen = files.map((f) => {
    const dataset = parseDataset({ eid, rel_path: f.relPath, qc: 'NOT_SET', exists: true });
    if (!dataset) throw new Error(`${f.relPath} is not an ALF file name`);
    return { dataset, file: f.file };
  });
  const obj = await assembleObject(eid, object, chosen, options);
  obj.warnings.unshift(...warnings);
  const revisions = uniqueSorted(chosen.map((c: { dataset: ParsedDataset }) => c.dataset.parts.revision ?? ''));
  if (revisions.length > 1) obj.warnings.push(`multiple revisions: ${revisions.map((r) => `"${r}"`).join(', ')}`);
  return obj;
}
