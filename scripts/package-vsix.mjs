// Packages the extension into alf-workbench-<version>.vsix, offline, from a staging folder that
// holds only what the .vsix ships. vsce lists every file under its working folder before it
// applies .vscodeignore, so packaging in place would walk generated data trees (bench-data has
// hundreds of thousands of files) for minutes. Run after `node scripts/build.mjs --production`.
//
// The Extensions details page shows the README inside the .vsix: that is media/README.vsix.md,
// written for users (its links are relative to the .vsix root), not the repository README.
// Screenshots are packed as palette PNGs (scripts/compress-png.mjs).
//
// VS Code's details page shows only https images (its page allows `img-src https: data:` and
// has no base for relative paths), so the packed screenshots show in the walkthrough and in any
// Markdown view of the unpacked README, but not there. Once they are published somewhere,
// --base-images-url makes vsce rewrite the README's image links to that address.
//
//   node scripts/package-vsix.mjs [--out FILE.vsix] [--base-images-url https://…/]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compressPng } from './compress-png.mjs';

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8'));
const { values: args } = parseArgs({ options: { out: { type: 'string' }, 'base-images-url': { type: 'string' } } });
const baseImagesUrl = args['base-images-url'];
if (baseImagesUrl !== undefined && !/^https:\/\/\S+\/$/.test(baseImagesUrl)) {
  console.error(`package-vsix: --base-images-url "${baseImagesUrl}" is not an https address ending in /`);
  process.exit(2);
}
const links = baseImagesUrl ? ['--baseImagesUrl', baseImagesUrl, '--baseContentUrl', baseImagesUrl] : ['--no-rewrite-relative-links'];
const out = path.resolve(args.out ?? path.join(project, `${pkg.name}-${pkg.version}.vsix`));
const USER_README = 'media/README.vsix.md';
const LIMIT = 2 * 1024 * 1024;

const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'alf-vsix-'));
try {
  const copy = (rel) => {
    const from = path.join(project, rel);
    if (!fs.existsSync(from)) return;
    fs.mkdirSync(path.dirname(path.join(stage, rel)), { recursive: true });
    fs.cpSync(from, path.join(stage, rel), { recursive: true });
  };
  // The same allow-list as .vscodeignore (which vsce still applies inside the stage).
  ['package.json', 'CHANGELOG.md', 'LICENSE', '.vscodeignore'].forEach(copy);
  fs.copyFileSync(path.join(project, USER_README), path.join(stage, 'README.md'));
  for (const dir of ['dist', 'media']) {
    for (const entry of fs.readdirSync(path.join(project, dir), { withFileTypes: true })) {
      if (entry.isFile()) copy(path.join(dir, entry.name));
    }
  }
  const shots = path.join(project, 'media', 'screenshots');
  fs.mkdirSync(path.join(stage, 'media', 'screenshots'), { recursive: true });
  for (const name of fs.readdirSync(shots).filter((n) => n.endsWith('.png'))) {
    fs.writeFileSync(path.join(stage, 'media', 'screenshots', name), await compressPng(fs.readFileSync(path.join(shots, name))));
  }
  const vsce = path.join(project, 'node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', ...links, '--out', out], {
    cwd: stage,
    stdio: 'inherit',
  });
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
}
const size = fs.statSync(out).size;
console.log(`${path.basename(out)}: ${(size / 1024).toFixed(0)} KB`);
if (size > LIMIT) {
  console.error(`package-vsix: the .vsix is over 2 MB (${size} bytes): was the build run with --production?`);
  process.exitCode = 1;
}
