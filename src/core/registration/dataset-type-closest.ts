/**
 * When a file matches no dataset type, which types come closest: the user then sees either a
 * typo in the file name (`trails.choice` → `trials.choice`) or that the lab needs a type of its
 * own, and how to add one.
 */
import { isValidAlfName, objectAttribute, stemOf } from './alf-path';
import type { DatasetTypeLike } from './dataset-type';
import { casefold } from './fnmatch';

/** A dataset type near a file name: `distance` counts edits on its object and attribute. */
export interface ClosestDatasetType {
  name: string;
  filename_pattern: string;
  distance: number;
  sameObject: boolean;
}

/**
 * Ranks dataset types by how near their `object.attribute` is to the file's: same object first,
 * then the fewest single-character edits (casefolded, so case never counts) over object and
 * attribute. A type's parts come from its name and from its filename pattern with the wildcards,
 * namespace and extension taken off; the nearer of the two counts. Types that share no object
 * and need more edits than about a third of the name are left out: a list of unrelated types
 * helps nobody.
 */
export function closestDatasetTypes(filename: string, dtypes: Iterable<DatasetTypeLike>, limit = 3): ClosestDatasetType[] {
  const name = filename.split(/[\\/]/).filter(Boolean).pop() ?? '';
  const file = fileParts(name);
  const budget = Math.max(2, Math.floor((file.object.length + file.attribute.length) / 3));
  const ranked: ClosestDatasetType[] = [];
  for (const dt of dtypes) {
    const pattern = dt.filename_pattern ?? '';
    const candidates = [typeParts(dt.name), pattern.trim() ? typeParts(patternCore(pattern)) : undefined].filter((p): p is Parts => !!p);
    let best: { distance: number; sameObject: boolean } | undefined;
    for (const parts of candidates) {
      const sameObject = parts.object === file.object;
      const distance = editDistance(parts.object, file.object) + editDistance(parts.attribute, file.attribute);
      if (!best || Number(sameObject) > Number(best.sameObject) || (sameObject === best.sameObject && distance < best.distance)) best = { distance, sameObject };
    }
    if (!best || (!best.sameObject && best.distance > budget)) continue;
    ranked.push({ name: dt.name, filename_pattern: pattern, ...best });
  }
  ranked.sort((a, b) => Number(b.sameObject) - Number(a.sameObject) || a.distance - b.distance || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return ranked.slice(0, limit);
}

/** How the closest types read in one line: `trials.choice (*trials.choice.*), wheel.position (object.attribute)`. */
export function describeClosest(closest: readonly Pick<ClosestDatasetType, 'name' | 'filename_pattern'>[]): string {
  return closest.map((c) => `${c.name} (${c.filename_pattern || 'matched on object.attribute'})`).join(', ');
}

/** Where a lab adds a dataset type: the Alyx admin site of `serverUrl` (Data → Dataset types). */
export function addDatasetTypeHint(serverUrl?: string): string {
  const where = serverUrl ? `${serverUrl.replace(/\/+$/, '')}/admin/data/datasettype/add/` : 'the Alyx admin site';
  return (
    'To register such files, an Alyx admin of the lab adds a dataset type (Alyx admin → Data → Dataset types → Add: ' +
    `name object.attribute, filename pattern e.g. *object.attribute.*) at ${where}; or rename the file to a type that exists.`
  );
}

interface Parts {
  object: string;
  attribute: string;
}

function fileParts(name: string): Parts {
  if (isValidAlfName(name)) {
    const [object, attribute] = objectAttribute(name) as [string, string];
    return { object: casefold(object), attribute: casefold(attribute) };
  }
  return split(stemOf(name));
}

/** A type name `trials.intervals`, `_iblrig_Camera.raw` (namespace dropped), `ephysData.raw.ap`. */
function typeParts(text: string): Parts | undefined {
  const bare = text.replace(/^_[^_.]+_/, '');
  return bare ? split(bare) : undefined;
}

/** `*trials.intervals*.*` → `trials.intervals`; `_iblrig_*Camera.raw.*` → `Camera.raw`. */
function patternCore(pattern: string): string {
  const parts = pattern.replace(/^_[^_.*]+_/, '').split('.').map((p) => p.replace(/[*?]|\[[^\]]*\]/g, '')).filter(Boolean);
  // The last part is the extension when the pattern names one (`*.ap.meta` keeps `ap.meta`).
  return (parts.length > 2 ? parts.slice(0, 2) : parts).join('.');
}

function split(text: string): Parts {
  const folded = casefold(text);
  const dot = folded.indexOf('.');
  return dot < 0 ? { object: folded, attribute: '' } : { object: folded.slice(0, dot), attribute: folded.slice(dot + 1) };
}

/** Levenshtein distance over code points. */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      row[j] = Math.min((previous[j] as number) + 1, (row[j - 1] as number) + 1, (previous[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[y.length] as number;
}
