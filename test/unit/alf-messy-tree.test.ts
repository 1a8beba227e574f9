import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROBLEM_CODES, classifyFolder, classifyPath, isSessionPath, isValid, type PathVerdict } from '../../src/core/alf';
import { SHARED } from '../helpers';

// The shared tools live beside the project (../shared); the test skips, saying why, without them.
const GENERATOR = path.join(SHARED, 'tools', 'make-alf-tree.mjs');
const skip = fs.existsSync(GENERATOR) ? false : `${GENERATOR} not found: the shared folder beside the project is absent`;
if (skip) console.log(`skipping the messy-tree test: ${skip}`);

interface ManifestItem {
  path: string;
  category: string;
  spec_valid: boolean;
  name_valid: boolean | null;
  detail: string;
}

function walk(root: string, rel = '', out: string[] = []): string[] {
  for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) walk(root, r, out);
    else out.push(r);
  }
  return out;
}

test('the messy generated tree: isValid agrees with the spec and every file gets a reasoned verdict', { skip }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'alf-messy-'));
  try {
    const out = path.join(tmp, 'tree');
    const manifestFile = path.join(tmp, 'manifest.json');
    execFileSync(process.execPath, [GENERATOR, '--out', out, '--sessions', '300', '--messy', '--no-bytes', '--manifest', manifestFile, '--quiet'], { stdio: 'pipe' });
    const items = (JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { items: ManifestItem[] }).items;
    assert.ok(items.length > 100);

    const files = walk(out);
    const verdicts = new Map<string, PathVerdict>(files.map((f) => [f, classifyPath(f)]));
    const kinds: Record<string, number> = {};
    const codes: Record<string, number> = {};
    for (const v of verdicts.values()) {
      kinds[v.kind] = (kinds[v.kind] ?? 0) + 1;
      if (v.kind === 'invalid') codes[v.code] = (codes[v.code] ?? 0) + 1;
      if (v.kind === 'dataset') for (const w of v.warnings) codes[w.code] = (codes[w.code] ?? 0) + 1;
    }
    console.log(`messy tree: ${files.length} files, ${items.length} manifest entries; verdicts ${JSON.stringify(kinds)}; codes ${JSON.stringify(codes)}`);

    const badSessions = items.filter((i) => i.name_valid === null && !i.spec_valid).map((i) => `${i.path}/`);
    for (const item of items) {
      const name = item.path.slice(item.path.lastIndexOf('/') + 1);
      if (item.name_valid === null) {
        // A session-level alteration: the folder itself.
        assert.equal(isSessionPath(item.path), item.spec_valid, item.path);
        assert.equal(classifyFolder(item.path).kind === 'session-folder', item.spec_valid, item.path);
        continue;
      }
      assert.equal(isValid(name), item.name_valid, `isValid(${JSON.stringify(name)}) for ${item.category}`);
      const v = verdicts.get(item.path);
      assert.ok(v, `${item.path} was not written`);
      assert.equal(v.kind === 'dataset', item.spec_valid, `${item.path}: ${JSON.stringify(v)}`);
      // A reason for everything that is not a plain dataset.
      if (v.kind === 'invalid') {
        assert.ok(v.code in PROBLEM_CODES && v.message.length > 20, item.path);
        assert.ok(v.at === item.path || item.path.startsWith(`${v.at}/`), `${item.path} blamed on ${v.at}`);
        if (v.fix !== undefined && !v.isFolder) assert.equal(isValid(v.fix), true, v.fix);
      }
      if (v.kind === 'dataset' && item.category === 'odd-valid') assert.ok(v.warnings.length > 0, `${item.path} has no warning`);
      if (item.category === 'outside') assert.equal(v.kind, 'outside');
    }
    // Files the generator left alone are datasets unless their session was altered into a non-session.
    const listed = new Set(items.map((i) => i.path));
    for (const f of files) {
      if (listed.has(f) || badSessions.some((s) => f.startsWith(s))) continue;
      assert.equal(verdicts.get(f)?.kind, 'dataset', f);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
