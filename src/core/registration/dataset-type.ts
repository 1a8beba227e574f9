import { isValidAlfName, objectAttribute, stemOf } from './alf-path';
import { casefold, fnmatchCase } from './fnmatch';

/** What `getDatasetType` needs of a dataset type record. */
export interface DatasetTypeLike {
  name: string;
  filename_pattern?: string | null;
}

/** The file matches no dataset type, or several. `candidates` lists the matches (empty for none). */
export class DatasetTypeError extends Error {
  override readonly name = 'DatasetTypeError';
  constructor(
    message: string,
    readonly filename: string,
    readonly candidates: readonly DatasetTypeLike[],
  ) {
    super(message);
  }
}

/**
 * ONE's `get_dataset_type`: a type matches when its `filename_pattern` fnmatches the file name
 * (both casefolded), or, for types with an empty pattern, when the name's `object.attribute`
 * (the stem for non-ALF names) equals the type name. Exactly one must match. Casefolding is
 * Python's (`ß` matches `SS`, `ς` matches `Σ`).
 */
export function getDatasetType<T extends DatasetTypeLike>(filename: string, dtypes: Iterable<T>): T {
  const name = pathName(filename);
  const folded = casefold(name);
  let objAttr: string | undefined;
  const matches: T[] = [];
  for (const dt of dtypes) {
    const pattern = dt.filename_pattern ?? '';
    if (!pattern.trim()) {
      objAttr ??= isValidAlfName(name) ? (objectAttribute(name) as [string, string]).join('.') : stemOf(name);
      if (dt.name === objAttr) matches.push(dt);
    } else if (fnmatchCase(folded, casefold(pattern))) {
      matches.push(dt);
    }
  }
  if (matches.length === 0) throw new DatasetTypeError(`No dataset type found for filename "${name}"`, name, []);
  if (matches.length > 1) {
    throw new DatasetTypeError(
      `Multiple matching dataset types found for filename "${name}": ${matches.map((m) => m.name).join(', ')}`,
      name,
      matches,
    );
  }
  return matches[0] as T;
}

/** pathlib's `name`: the last component, ignoring trailing slashes and '.' components. */
function pathName(p: string): string {
  const parts = p.split(/[\\/]/).filter((part) => part !== '' && part !== '.');
  return parts[parts.length - 1] ?? '';
}
