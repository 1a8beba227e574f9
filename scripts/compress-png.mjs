#!/usr/bin/env node
// Screenshots as 8-bit palette PNGs (libimagequant, through sharp): a third of the size of the
// RGB screenshots chromium takes, with no visible change to UI text. Measured on the ten README
// screenshots: 969 KB as taken, 331 KB quantised; JPEG (q85) 799 KB and WebP (q85) 532 KB blur
// the text and are larger. Already-quantised files are left as they are, so running it twice
// changes nothing.
//
//   node scripts/compress-png.mjs FILE.png…     compresses in place, printing each size
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PALETTE_COLOUR_TYPE = 3;

/** True for a PNG whose pixels are palette indices (IHDR colour type 3). */
export function isPalettePng(bytes) {
  return bytes.length > 25 && bytes.subarray(0, 8).equals(PNG_SIGNATURE) && bytes.toString('latin1', 12, 16) === 'IHDR' && bytes[25] === PALETTE_COLOUR_TYPE;
}

/** The PNG quantised to at most 256 colours; a palette PNG comes back unchanged. */
export async function compressPng(bytes) {
  if (isPalettePng(bytes)) return bytes;
  // sharp is a dev dependency, loaded only when there is something to compress.
  const { default: sharp } = await import('sharp');
  const out = await sharp(bytes).png({ palette: true, quality: 90, effort: 10, compressionLevel: 9 }).toBuffer();
  return out.length < bytes.length ? out : bytes;
}

/** Compresses a file in place (atomically); returns the sizes before and after. */
export async function compressPngFile(file) {
  const before = fs.readFileSync(file);
  const after = await compressPng(before);
  if (after !== before) {
    const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    fs.writeFileSync(temp, after);
    fs.renameSync(temp, file);
  }
  return { before: before.length, after: after.length };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error('usage: node scripts/compress-png.mjs FILE.png…');
    process.exit(2);
  }
  let before = 0;
  let after = 0;
  for (const file of files) {
    const size = await compressPngFile(file);
    before += size.before;
    after += size.after;
    console.log(`${file}: ${(size.before / 1024).toFixed(0)} KB → ${(size.after / 1024).toFixed(0)} KB`);
  }
  console.log(`${files.length} files: ${(before / 1024).toFixed(0)} KB → ${(after / 1024).toFixed(0)} KB`);
}
