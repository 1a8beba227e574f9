/**
 * Names as a person can read them on one line: control characters escaped, and a name that is
 * not valid UTF-8 shown with its undecodable bytes as `\xNN`. Used by every text listing of the
 * CLI, so that a file named `a\nb.npy` cannot break a one-item-per-line report or send terminal
 * escape sequences.
 */

/** C0 and C1 control characters, DEL, and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex -- these are the characters this module escapes
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// eslint-disable-next-line no-control-regex -- these are the characters this module escapes
const CONTROL_ALL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

function escapeOne(c: string): string {
  const short = SHORT[c];
  if (short !== undefined) return short;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** True when `text` holds a character escapeControls would escape. */
export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}

/**
 * `text` with control characters escaped (`\n`, `\t`, `\e`, `\x07`, `\u2028`). Text without any
 * is returned as is; in text with some, backslashes are doubled too, so the escaped form reads
 * back to one name only.
 */
export function escapeControls(text: string): string {
  if (!CONTROL.test(text)) return text;
  return text.replace(/\\/g, '\\\\').replace(CONTROL_ALL, escapeOne);
}

/** The length of the UTF-8 sequence starting at `i` when it is valid there, else 0. */
function utf8SequenceAt(bytes: Uint8Array, i: number): number {
  const b = bytes[i] as number;
  if (b < 0x80) return 1;
  const n = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
  if (n === 0 || i + n > bytes.length) return 0;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, i + n));
    return n;
  } catch {
    return 0;
  }
}

/** True when `bytes` are valid UTF-8. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** A file name's bytes for a person: valid UTF-8 as text, every other byte as `\xNN`, controls escaped. */
export function escapeNameBytes(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const n = utf8SequenceAt(bytes, i);
    if (n === 0) {
      out += `\\x${(bytes[i] as number).toString(16).padStart(2, '0')}`;
      i += 1;
      continue;
    }
    const c = new TextDecoder().decode(bytes.subarray(i, i + n));
    out += c === '\\' ? '\\\\' : CONTROL.test(c) ? escapeOne(c) : c;
    i += n;
  }
  return out;
}
