/**
 * The .vsix as the Extensions details page and the walkthrough see it (issue #12, items 1 and 2):
 * packs the extension with scripts/package-vsix.mjs, unpacks it, and follows every link.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { unpackZip } from '../../src/core/release/unpack';
import { PROJECT, tempDir, writeTree } from '../helpers';
import { brokenLinks, linkTargets } from './welcome-links';

const LIMIT = 2 * 1024 * 1024;
const NO_DIST = 'needs dist/ (npm run build, or npm test, builds it)';
const hasDist = existsSync(path.join(PROJECT, 'dist', 'extension.js'));

interface WalkthroughStep {
  id: string;
  media: { image?: string | Record<string, string>; markdown?: string };
}

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

describe('the packed .vsix', { skip: hasDist ? false : NO_DIST }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'alf-vsix-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const vsix = path.join(dir, 'test.vsix');
  let ext = '';
  let readme = '';

  before(async () => {
    execFileSync(process.execPath, [path.join(PROJECT, 'scripts', 'package-vsix.mjs'), '--out', vsix], { cwd: PROJECT, stdio: 'pipe' });
    await unpackZip(vsix, path.join(dir, 'unpacked'));
    ext = path.join(dir, 'unpacked', 'extension');
    const readmeName = readdirSync(ext).find((n) => n.toLowerCase() === 'readme.md');
    assert.ok(readmeName, 'the .vsix has a README');
    readme = path.join(ext, readmeName);
  });

  it('is under 2 MB', () => {
    const size = statSync(vsix).size;
    assert.ok(size < LIMIT, `${size} bytes`);
  });

  it('shows the README written for users, not the contributors’ one', () => {
    const text = readFileSync(readme, 'utf8');
    assert.equal(text, readFileSync(path.join(PROJECT, 'media', 'README.vsix.md'), 'utf8'));
    assert.doesNotMatch(text, /npm (ci|run|test)/, 'no build instructions');
    for (const section of ['## Get started', '## Commands', '## Settings', '## On the command line']) assert.ok(text.includes(section), section);
  });

  it('has every README image and link inside the .vsix or on https', () => {
    const text = readFileSync(readme, 'utf8');
    const images = linkTargets(text).filter((t) => t.endsWith('.png'));
    assert.ok(images.length >= 10, `${images.length} screenshots`);
    assert.ok(images.some((t) => /-dark\.png$/.test(t)) && images.some((t) => /-hc\.png$/.test(t)), 'dark and high-contrast screenshots');
    assert.deepEqual(brokenLinks(text, readme, ext), []);
  });

  it('has every walkthrough image and command a step names', () => {
    const manifest = JSON.parse(readFileSync(path.join(ext, 'package.json'), 'utf8'));
    const steps: WalkthroughStep[] = manifest.contributes.walkthroughs.flatMap((w: { steps: WalkthroughStep[] }) => w.steps);
    const media = steps.flatMap((s) => [s.media.markdown, ...(typeof s.media.image === 'string' ? [s.media.image] : Object.values(s.media.image ?? {}))]);
    const missing = media.filter((m): m is string => !!m).filter((m) => !existsSync(path.join(ext, m)));
    assert.deepEqual(missing, []);
  });

  it('ships its screenshots as palette PNGs (compressed)', () => {
    const pngs = filesUnder(ext).filter((f) => f.startsWith('media/screenshots/'));
    assert.ok(pngs.length > 0);
    const rgb = pngs.filter((f) => readFileSync(path.join(ext, f))[25] !== 3);
    assert.deepEqual(rgb, []);
  });
});

describe('the packed .vsix with --base-images-url', { skip: hasDist ? false : NO_DIST }, () => {
  it('points every README image at that https address, for VS Code’s details page (which shows only https images)', async (t) => {
    const dir = tempDir(t, 'alf-vsix-base-');
    const vsix = path.join(dir, 'base.vsix');
    const base = 'https://example.org/alf-workbench/';
    execFileSync(process.execPath, [path.join(PROJECT, 'scripts', 'package-vsix.mjs'), '--out', vsix, '--base-images-url', base], { cwd: PROJECT, stdio: 'pipe' });
    await unpackZip(vsix, path.join(dir, 'unpacked'));
    const ext = path.join(dir, 'unpacked', 'extension');
    const readme = path.join(ext, readdirSync(ext).find((n) => n.toLowerCase() === 'readme.md')!);
    const images = linkTargets(readFileSync(readme, 'utf8')).filter((l) => l.endsWith('.png'));
    assert.ok(images.length >= 10);
    assert.deepEqual(images.filter((l) => !l.startsWith(`${base}media/screenshots/`)), []);
    assert.deepEqual(brokenLinks(readFileSync(readme, 'utf8'), readme, ext), []);
  });

  it('refuses an address that is not https', () => {
    const run = () => execFileSync(process.execPath, [path.join(PROJECT, 'scripts', 'package-vsix.mjs'), '--out', '/nonexistent/x.vsix', '--base-images-url', 'http://example.org/'], { cwd: PROJECT, stdio: 'pipe' });
    assert.throws(run, (err: { status?: number; stderr?: Buffer }) => err.status === 2 && /not an https address/.test(String(err.stderr)));
  });
});

describe('the README link check', () => {
  it('reports a link to a file that is not packed, an http address and a missing heading', (t) => {
    const root = tempDir(t);
    writeTree(root, { 'media/a.png': 'x' });
    const md = [
      '# Title',
      '![ok](media/a.png) [ok](https://example.org/x) [ok](#title) `[not a link](nowhere)`',
      '![missing](media/screenshots/b.png) [docs](docs/extension.md) [plain](http://example.org)',
      '[up](../outside.md) [anchor](#nothing) <img src="media/c.png">',
    ].join('\n');
    assert.deepEqual(brokenLinks(md, path.join(root, 'README.md'), root), [
      'media/screenshots/b.png: not in the .vsix',
      'docs/extension.md: not in the .vsix',
      'http://example.org: only https addresses work on the details page',
      '../outside.md: points outside the extension',
      '#nothing: no such heading',
      'media/c.png: not in the .vsix',
    ]);
  });
});
