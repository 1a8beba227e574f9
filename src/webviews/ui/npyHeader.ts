/**
 * The rows of the .npy editor's header table, as text. Kept apart from the DOM code so that a
 * plain-Node test can compare them with what `alf npy` prints for the same file.
 */
import { formatBytes } from '../../core/util/bytes.js';
import type { NpyHeaderView } from '../../protocol/local.js';

export function npyHeaderRows(h: NpyHeaderView): Array<[label: string, text: string]> {
  return [
    ['dtype', `${h.dtype} (${h.descr})`],
    ['shape', `(${h.shape.join(', ')}${h.shape.length === 1 ? ',' : ''})`],
    ['order', h.order],
    ['elements', h.count.toLocaleString('en-US')],
    ['data size', formatBytes(h.byteLength, { exact: true })],
    ['file size', formatBytes(h.fileSize, { exact: true })],
    ['format version', h.version],
  ];
}
